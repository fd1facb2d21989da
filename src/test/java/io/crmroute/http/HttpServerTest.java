package io.crmroute.http;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpServerTest {

    private static final String SECRET = "db password is hunter2";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Completed by the test to answer {@code GET /slow}: lets a test control completion order. */
    private final CompletableFuture<HttpResponse> slow = new CompletableFuture<>();
    private final CountDownLatch slowCalled = new CountDownLatch(1);
    private HttpServer server;

    /** A routing like a service would register, reused by every test. */
    private HttpRouting routing() {
        return HttpRouting.builder()
                .get("/routes/{name}", request -> HttpResponse.json(200, Map.of("name", request.pathParam("name"))).completed())
                .delete("/routes/{name}", request -> HttpResponse.empty(204).completed())
                .get("/search", request -> HttpResponse.json(200, Map.of(
                        "q", request.queryParam("q").orElse("-"),
                        "all", request.query().getOrDefault("tag", java.util.List.of()))).completed())
                .post("/echo", request -> HttpResponse.text(200, "text/plain; charset=utf-8", request.bodyText())
                        .withHeader("X-Content-Type-Seen", request.header("Content-Type").orElse("none"))
                        .completed())
                .get("/throws", request -> {
                    throw new IllegalStateException(SECRET);
                })
                .get("/fails", request -> CompletableFuture.failedFuture(new IllegalStateException(SECRET)))
                .get("/slow", request -> {
                    slowCalled.countDown();
                    return slow;
                })
                .get("/fast", request -> HttpResponse.text(200, "text/plain", "fast").completed())
                .build();
    }

    @BeforeEach
    void start() {
        server = HttpServer.start("127.0.0.1", 0, routing());
    }

    @AfterEach
    void stop() {
        slow.complete(HttpResponse.empty(204));
        server.close();
    }

    @Test
    void pathParameterIsUrlDecodedAndPlusStaysPlus() throws Exception {
        var response = get("/routes/vip%20gold%2Fnew+1");

        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
        assertEquals("{\"name\":\"vip gold/new+1\"}", response.body());
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405WithAllow() throws Exception {
        assertEquals(404, get("/nowhere").statusCode());

        var response = send(request("/routes/vip").PUT(BodyPublishers.ofString("{}")).build());
        assertEquals(405, response.statusCode());
        assertEquals("GET, DELETE", response.headers().firstValue("allow").orElseThrow());
    }

    @Test
    void throwingHandlerIs500WithoutItsMessage() throws Exception {
        var response = get("/throws");

        assertEquals(500, response.statusCode());
        assertEquals("{\"error\":\"internal error\"}", response.body());
    }

    @Test
    void failedFutureIs500WithoutItsMessage() throws Exception {
        var response = get("/fails");

        assertEquals(500, response.statusCode());
        assertFalse(response.body().contains("hunter2"), response.body());
    }

    @Test
    void queryParametersAreDecodedAndRepeatable() throws Exception {
        var response = get("/search?q=caf%C3%A9+au+lait&tag=a&tag=b");

        assertEquals("{\"q\":\"café au lait\",\"all\":[\"a\",\"b\"]}".length(), response.body().length());
        assertTrue(response.body().contains("\"q\":\"café au lait\""), response.body());
        assertTrue(response.body().contains("\"all\":[\"a\",\"b\"]"), response.body());
    }

    @Test
    void bodyAndHeadersReachTheHandler() throws Exception {
        String body = "{\"caller\":\"+15551230001\",\"name\":\"Zoë\"}";
        var response = send(request("/echo").header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(body)).build());

        assertEquals(200, response.statusCode());
        assertEquals(body, response.body());
        assertEquals("application/json", response.headers().firstValue("x-content-type-seen").orElseThrow());
        assertEquals(String.valueOf(body.getBytes(UTF_8).length), response.headers().firstValue("content-length").orElseThrow());
    }

    @Test
    void oneConnectionServesSeveralRequests() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(US_ASCII));
            out.flush();
            assertTrue(readResponse(socket.getInputStream()).startsWith("HTTP/1.1 200 OK"));

            out.write("GET /routes/a HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(US_ASCII));
            out.flush();
            String second = readResponse(socket.getInputStream());
            assertTrue(second.startsWith("HTTP/1.1 200 OK"), second);
            assertTrue(second.endsWith("{\"name\":\"a\"}"), second);
        }
        // and the JDK client, which pools its connection, gets both answers too
        assertEquals(200, get("/fast").statusCode());
        assertEquals(200, get("/fast").statusCode());
    }

    @Test
    void pipelinedResponsesKeepRequestOrder() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(
                    "GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(US_ASCII));
            socket.getOutputStream().flush();
            assertTrue(slowCalled.await(5, TimeUnit.SECONDS));
            // /fast is done already; /slow completes only now, yet is answered first
            slow.complete(HttpResponse.text(200, "text/plain", "slow"));

            InputStream in = socket.getInputStream();
            assertTrue(readResponse(in).endsWith("slow"));
            assertTrue(readResponse(in).endsWith("fast"));
        }
    }

    @Test
    void bodyOverOneMebibyteIs413() throws Exception {
        byte[] twoMiB = new byte[2 * 1024 * 1024];
        var response = send(request("/echo").expectContinue(true).POST(BodyPublishers.ofByteArray(twoMiB)).build());

        assertEquals(413, response.statusCode());
    }

    @Test
    void bodyOfOneMebibyteIsAccepted() throws Exception {
        byte[] oneMiB = new byte[1024 * 1024];
        java.util.Arrays.fill(oneMiB, (byte) 'x');
        var response = send(request("/echo").POST(BodyPublishers.ofByteArray(oneMiB)).build());

        assertEquals(200, response.statusCode());
        assertEquals(oneMiB.length, response.body().length());
    }

    @Test
    void malformedRequestLineIs400AndCloses() throws Exception {
        String response = raw("GET /fast NOPE/1.1\r\nHost: x\r\n\r\n");

        assertTrue(response.startsWith("HTTP/1.1 400 Bad Request"), response);
    }

    @Test
    void aVersionThatIsNotHttp1Is505InHttp11AndCloses() throws Exception {
        // found by the fuzz test: Netty parses HTTP/9.1, and the answer used to echo it
        String response = raw("GET /fast HTTP/9.1\r\nHost: x\r\n\r\n");

        assertTrue(response.startsWith("HTTP/1.1 505 HTTP Version Not Supported"), response);
    }

    @Test
    void malformedQueryEncodingIs400() throws Exception {
        String response = raw("GET /search?q=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertTrue(response.startsWith("HTTP/1.1 400 Bad Request"), response);
        assertTrue(response.endsWith("{\"error\":\"bad request\"}"), response);
    }

    @Test
    void malformedPathParameterIs400() throws Exception {
        String response = raw("GET /routes/%E HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertTrue(response.startsWith("HTTP/1.1 400 Bad Request"), response);
    }

    @Test
    void closeStopsListeningAndABusyPortIsACleanError() throws Exception {
        HttpServer other = HttpServer.start("127.0.0.1", 0, routing());
        int port = other.port();
        IllegalStateException busy = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalStateException.class, () -> HttpServer.start("127.0.0.1", port, routing()));
        assertTrue(busy.getMessage().contains("127.0.0.1:" + port), busy.getMessage());

        other.close();
        org.junit.jupiter.api.Assertions.assertThrows(java.net.ConnectException.class, () -> new Socket("127.0.0.1", port).close());
    }

    private java.net.http.HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET().build());
    }

    private java.net.http.HttpRequest.Builder request(String path) {
        return java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10));
    }

    private java.net.http.HttpResponse<String> send(java.net.http.HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, BodyHandlers.ofString());
    }

    /** Sends bytes as they are and reads until the server closes. */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), UTF_8);
        }
    }

    /** One response: head up to the blank line, then Content-Length bytes of body. */
    static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new IOException("closed after: " + head);
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        return head + new String(in.readNBytes(length), UTF_8);
    }
}
