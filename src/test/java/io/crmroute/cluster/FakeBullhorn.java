package io.crmroute.cluster;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bullhorn's OAuth server, REST login and search on 127.0.0.1, strict as the real one about refresh tokens:
 * each is good for one grant, which answers the next. Counts grants, refused grants and refused searches.
 */
final class FakeBullhorn implements AutoCloseable {

    static final String FIRST_REFRESH_TOKEN = "rt-0";

    private final HttpServer server;
    private final Set<String> refreshTokens = new HashSet<>(Set.of(FIRST_REFRESH_TOKEN)); // guarded by this
    private final Set<String> accessTokens = new HashSet<>(); // guarded by this
    private final Set<String> sessions = new HashSet<>(); // guarded by this
    final AtomicInteger grants = new AtomicInteger();
    final AtomicInteger refusedGrants = new AtomicInteger();
    final AtomicInteger refusedSearches = new AtomicInteger();
    final AtomicInteger searches = new AtomicInteger();

    FakeBullhorn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/oauth/token", this::token);
        server.createContext("/rest-services/login", this::login);
        server.createContext("/rest-services/e1/search/", this::search);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Every session ends now, as when Bullhorn logs the API user out: the next search with one is refused. */
    synchronized void endSessions() {
        sessions.clear();
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = decode(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String reply;
        synchronized (this) {
            if (!refreshTokens.remove(form.getOrDefault("refresh_token", ""))) {
                refusedGrants.incrementAndGet();
                reply(exchange, 400, "{\"error\": \"invalid_grant\"}");
                return;
            }
            int n = grants.incrementAndGet();
            refreshTokens.add("rt-" + n);
            accessTokens.add("at-" + n);
            reply = "{\"access_token\": \"at-" + n + "\", \"token_type\": \"Bearer\", \"expires_in\": 600, \"refresh_token\": \"rt-" + n + "\"}";
        }
        reply(exchange, 200, reply);
    }

    private void login(HttpExchange exchange) throws IOException {
        String accessToken = decode(exchange.getRequestURI().getRawQuery()).getOrDefault("access_token", "");
        synchronized (this) {
            if (!accessTokens.remove(accessToken)) {
                reply(exchange, 401, "{\"errorMessage\": \"bad access token\"}");
                return;
            }
            sessions.add("bh-" + accessToken);
        }
        reply(exchange, 200, "{\"BhRestToken\": \"bh-" + accessToken + "\", \"restUrl\": \"" + url("/rest-services/e1/") + "\"}");
    }

    private void search(HttpExchange exchange) throws IOException {
        boolean known;
        synchronized (this) {
            known = sessions.contains(String.valueOf(exchange.getRequestHeaders().getFirst("BhRestToken")));
        }
        if (!known) {
            refusedSearches.incrementAndGet();
            reply(exchange, 401, "{\"errorMessage\": \"Bad 'BhRestToken' or timed-out.\"}");
            return;
        }
        searches.incrementAndGet();
        reply(exchange, 200, "{\"total\": 1, \"start\": 0, \"count\": 1, \"data\": [{\"id\": 4711, \"firstName\": \"Ada\"}]}");
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> decode(String raw) {
        Map<String, String> parameters = new HashMap<>();
        if (raw == null || raw.isEmpty()) return parameters;
        for (String pair : raw.split("&")) {
            String[] parts = pair.split("=", 2);
            parameters.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8), parts.length < 2 ? "" : URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        return parameters;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
