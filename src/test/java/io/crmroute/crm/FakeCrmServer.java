package io.crmroute.crm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** A CRM on 127.0.0.1 answering from a script of replies, recording what it was asked. */
final class FakeCrmServer implements AutoCloseable {

    /** One request as the server saw it ({@code path} raw, without the query). */
    record Seen(String method, String rawQuery, Map<String, List<String>> headers, String body, String path) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    /** A reply; {@code status} 0 means never answer (park until the server closes); an empty content type sends none. */
    record Reply(int status, String contentType, String body, Map<String, String> headers) {
        static Reply json(String body) {
            return new Reply(200, "application/json", body, Map.of());
        }

        static Reply text(String body) {
            return new Reply(200, "text/plain; charset=utf-8", body, Map.of());
        }

        static Reply status(int status) {
            return new Reply(status, "text/plain", "", Map.of());
        }

        static Reply never() {
            return new Reply(0, "", "", Map.of());
        }

        Reply withHeader(String name, String value) {
            Map<String, String> more = new java.util.HashMap<>(headers);
            more.put(name, value);
            return new Reply(status, contentType, body, more);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final List<Reply> script = new CopyOnWriteArrayList<>();
    private final Semaphore arrived = new Semaphore(0);
    private final Function<Seen, Reply> responder;

    /** Answers the replies in order, repeating the last one. */
    FakeCrmServer(Reply... replies) throws IOException {
        this(null, replies);
    }

    /**
     * Answers each request as {@code responder} makes the reply of it, for a CRM that keeps state (records a
     * create stored, so a retry finds them); it is called one request at a time.
     */
    FakeCrmServer(Function<Seen, Reply> responder) throws IOException {
        this(responder, new Reply[0]);
    }

    private FakeCrmServer(Function<Seen, Reply> responder, Reply... replies) throws IOException {
        this.responder = responder;
        script.addAll(List.of(replies));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Replaces the replies (for replies that name the server's own URL). */
    void answer(Reply... replies) {
        script.clear();
        script.addAll(List.of(replies));
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Seen> seen() {
        return seen;
    }

    /** Waits (at most 30 s, however busy the machine) until {@code count} requests have arrived. */
    void awaitRequests(int count) throws InterruptedException {
        if (!arrived.tryAcquire(count, 30, TimeUnit.SECONDS)) throw new AssertionError("requests arrived: " + seen.size() + " of " + count);
        arrived.release(count);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Reply reply;
        synchronized (seen) {
            Seen request = new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawQuery(),
                    Map.copyOf(exchange.getRequestHeaders()), body, exchange.getRequestURI().getRawPath());
            int index = seen.size();
            seen.add(request);
            arrived.release(); // before the responder, which may hold the reply back (requests still answered in order)
            reply = responder != null ? responder.apply(request) : script.get(Math.min(index, script.size() - 1));
        }
        if (reply.status() == 0) {
            try {
                closing.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        if (!reply.contentType().isEmpty()) exchange.getResponseHeaders().set("Content-Type", reply.contentType());
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
