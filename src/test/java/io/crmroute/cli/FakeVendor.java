package io.crmroute.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A vendor's API on 127.0.0.1 answering by request line: {@link #answer} maps {@code "GET /path?query"}
 * (query URL-decoded) to a JSON body; anything else is 404. Records the request lines it was asked.
 */
final class FakeVendor implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, String> answers = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<String> asked = new CopyOnWriteArrayList<>();

    FakeVendor() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Answers {@code requestLine} with {@code json}; {@code {url}} in it stands for this server's URL. */
    FakeVendor answer(String requestLine, String json) {
        answers.put(requestLine, json.replace("{url}", url()));
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<String> asked() {
        return asked;
    }

    private void handle(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        String query = exchange.getRequestURI().getRawQuery();
        String line = exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath()
                + (query == null ? "" : "?" + URLDecoder.decode(query, StandardCharsets.UTF_8));
        asked.add(line);
        String body = answers.get(line);
        byte[] bytes = (body == null ? "[{\"errorCode\": \"NOT_FOUND\", \"message\": \"not found\"}]" : body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
