package io.crmroute.http;

import io.crmroute.testing.Await;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmroute.testing.ManualTime;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What one peer may hold on the HTTP port: connections, time to send a request, time to take a response. */
class HttpServerLimitsTest {

    private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(5);
    private static final byte[] ONE_MIB = new byte[1024 * 1024];

    static {
        Arrays.fill(ONE_MIB, (byte) 'x');
    }

    private final ManualTime time = new ManualTime();
    private HttpServer server;

    private static HttpRouting routing() {
        return HttpRouting.builder()
                .get("/fast", request -> HttpResponse.text(200, "text/plain", "fast").completed())
                .get("/big", request -> new HttpResponse(200, "text/plain", java.util.Map.of(), ONE_MIB).completed())
                .build();
    }

    private void start(int maxConnections, int maxPerSource) {
        HttpServerOptions options = HttpServerOptions.defaults().withLimits(maxConnections, maxPerSource, HEAD_TIMEOUT);
        server = HttpServer.start("127.0.0.1", 0, routing(), options, Optional.of(time.scheduler()));
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void aPeerDribblingARequestHeadIsClosedAtTheHeadDeadlineWhateverItSends() throws Exception {
        start(16, 16);
        try (Socket slow = connect()) {
            OutputStream out = slow.getOutputStream();
            out.write("GET /fast HTTP/1.1\r\nHo".getBytes(US_ASCII));
            out.flush();
            Await.until("the head deadline to be set", Duration.ofSeconds(10), () -> time.pendingTasks() == 1);

            time.advance(HEAD_TIMEOUT.minusSeconds(1));
            assertEquals(1, server.connections(), "still within the deadline");
            out.write("st: x\r\nX-A: ".getBytes(US_ASCII));   // more bytes do not move the deadline
            out.flush();
            time.advance(Duration.ofSeconds(1));

            assertEquals(-1, slow.getInputStream().read(), "closed without an answer");
        }
        Await.until("the connection counted out", Duration.ofSeconds(10), () -> server.connections() == 0);
        assertTrue(answers(connect()), "a whole request on a new connection is answered");
    }

    @Test
    void aPeerThatSendsItsHeadInTimeIsAnsweredAndKeptOpen() throws Exception {
        start(16, 16);
        try (Socket socket = connect()) {
            assertTrue(answers(socket));
            time.advance(HEAD_TIMEOUT.multipliedBy(3));   // idle between requests: no request deadline runs
            assertTrue(answers(socket));
        }
    }

    @Test
    void connectionsOverThePerSourceLimitAreClosedAndAFreedPlaceIsReused() throws Exception {
        start(16, 2);
        Socket first = connect();
        try (Socket second = connect(); Socket third = connect()) {
            assertTrue(answers(first));
            assertTrue(answers(second));
            assertEquals(-1, third.getInputStream().read(), "the third from 127.0.0.1 is closed at once");

            first.close();
            Await.until("the first connection counted out", Duration.ofSeconds(10), () -> server.connections() == 1);
            try (Socket fourth = connect()) {
                assertTrue(answers(fourth));
            }
        }
    }

    @Test
    void connectionsOverTheTotalLimitAreClosed() throws Exception {
        start(1, 16);
        try (Socket first = connect(); Socket second = connect()) {
            assertTrue(answers(first));
            assertEquals(-1, second.getInputStream().read());
        }
    }

    @Test
    void aPeerThatSendsManyRequestsAndNeverReadsIsClosedWhenAResponseWaitsPastTheWriteTimeout() throws Exception {
        start(16, 16);
        Duration writeTimeout = HttpServerOptions.defaults().writeTimeout();
        try (Socket greedy = connect()) {
            greedy.setReceiveBufferSize(64 * 1024);
            OutputStream out = greedy.getOutputStream();
            out.write("GET /big HTTP/1.1\r\nHost: x\r\n\r\n".repeat(64).getBytes(US_ASCII));   // 64 MiB of answers, none read
            out.flush();
            Await.until("the connection admitted", Duration.ofSeconds(10), () -> server.connections() == 1);
            // Each response the socket cannot take at once sets a write timer. Once the kernel's buffers
            // are full the response waiting stays, with the connection open, until its timer runs.
            int timersRun = 0;
            while (timersRun < 64) {
                Await.until("a response waiting, or the connection closed", Duration.ofSeconds(10),
                        () -> server.connections() == 0 || time.pendingTasks() == 1);
                if (server.connections() == 0) break;
                time.advance(writeTimeout);
                timersRun++;
            }
            assertTrue(timersRun > 0, "closed only after a write timer ran");
            Await.until("the greedy connection closed", Duration.ofSeconds(10), () -> server.connections() == 0);
        }
        assertTrue(answers(connect()));
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static boolean answers(Socket socket) throws IOException {
        socket.getOutputStream().write("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(US_ASCII));
        socket.getOutputStream().flush();
        String response = HttpServerTest.readResponse(socket.getInputStream());
        return response.startsWith("HTTP/1.1 200 OK") && response.endsWith("fast");
    }
}
