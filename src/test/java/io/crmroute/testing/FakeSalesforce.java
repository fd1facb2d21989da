package io.crmroute.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Salesforce org on 127.0.0.1 that keeps the records written to it, in REST v61.0's shapes: the client
 * credentials token, SOQL lookups of Contacts by phone (one Contact, 003A, at +15551230001), the Task lookup
 * by CallObject, create ({@code POST /sobjects/O/}), upsert ({@code PATCH /sobjects/O/Field/value}) and
 * update ({@code PATCH /sobjects/O/Id}). A test makes it misbehave: answer the next writes with a status
 * after keeping them, keep the next write and then hold its reply, or hold every write before keeping it.
 * It counts the records it keeps, so a test can tell one record from two.
 */
public final class FakeSalesforce implements AutoCloseable {

    public static final String CONTACT_PHONE = "+15551230001";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SOBJECT = Pattern.compile("/services/data/v61\\.0/sobjects/([A-Za-z0-9_]+)/?(?:([^/]+)(?:/([^/]+))?)?");
    private static final Pattern CALL_OBJECT = Pattern.compile("FROM Task WHERE CallObject = '((?:[^'\\\\]|\\\\.)*)'");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CompletableFuture<Void> closing = new CompletableFuture<>();
    /** Records kept, by id: their sObject in {@code attributes.type} and their fields. */
    private final Map<String, ObjectNode> records = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger lookups = new AtomicInteger();
    private final AtomicInteger writes = new AtomicInteger();
    private final AtomicInteger updates = new AtomicInteger();
    private final List<String> writeBodies = new CopyOnWriteArrayList<>();
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile int failStatus;
    private final AtomicInteger holdNext = new AtomicInteger();
    private volatile CompletableFuture<Void> holdEveryWrite = CompletableFuture.completedFuture(null);
    private final CompletableFuture<Void> releaseHeld = new CompletableFuture<>();
    private volatile CompletableFuture<Void> nextWrite = new CompletableFuture<>();

    public FakeSalesforce() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1000);
        server.setExecutor(executor);
        server.createContext("/services/oauth2/token", exchange -> reply(exchange, 200, "{\"access_token\":\"tok-1\",\"instance_url\":\""
                + url() + "\",\"token_type\":\"Bearer\"}"));
        server.createContext("/services/data/v61.0/query", this::query);
        server.createContext("/services/data/v61.0/sobjects/", this::write);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * The config entry of a CRM {@code sf} on this org, indented to sit under {@code crms:}: plain http (127.0.0.1),
     * a 2 s timeout, US phone numbers, the client secret from {@code ${SF_SECRET}}.
     */
    public String crmEntry() {
        return "  sf:\n"
                + "    type: salesforce\n"
                + "    base-url: " + url() + "\n"
                + "    allow-insecure: true\n"
                + "    timeout: 2s\n"
                + "    phone: { default-country: US }\n"
                + "    auth: { client-id: 3MVG9-client, client-secret: \"${SF_SECRET}\" }\n";
    }

    /** The next {@code count} writes are kept, then answered {@code status} (the CRM failed after it committed). */
    public void keepThenFail(int count, int status) {
        failStatus = status;
        failNext.set(count);
    }

    /** The next write is kept, then its reply held until {@link #releaseHeld} (or close): the client times out. */
    public void keepThenHoldNext() {
        holdNext.set(1);
    }

    public void releaseHeld() {
        releaseHeld.complete(null);
    }

    /** Every write waits, neither kept nor answered, until {@code release} completes (or close). */
    public void holdEveryWrite(CompletableFuture<Void> release) {
        holdEveryWrite = release;
    }

    /** Completes when the next write arrives (before it is held, kept or answered). */
    public CompletableFuture<Void> nextWriteArrives() {
        nextWrite = new CompletableFuture<>();
        return nextWrite;
    }

    /** Records kept of {@code sObject}. */
    public long records(String sObject) {
        return records.values().stream().filter(record -> record.path("attributes").path("type").asText().equals(sObject)).count();
    }

    public List<ObjectNode> recordsOf(String sObject) {
        return records.values().stream().filter(record -> record.path("attributes").path("type").asText().equals(sObject)).toList();
    }

    /** Write requests received (creates, upserts, updates), answered or not. */
    public int writes() {
        return writes.get();
    }

    public int updates() {
        return updates.get();
    }

    /** Contact lookups received. */
    public int lookups() {
        return lookups.get();
    }

    private void query(HttpExchange exchange) throws IOException {
        String q = URLDecoder.decode(exchange.getRequestURI().getRawQuery().replaceFirst("^q=", ""), StandardCharsets.UTF_8);
        Matcher task = CALL_OBJECT.matcher(q);
        List<JsonNode> found = new ArrayList<>();
        if (task.find()) {
            String key = task.group(1).replaceAll("\\\\(.)", "$1");
            for (ObjectNode record : recordsOf("Task")) if (record.path("CallObject").asText().equals(key)) found.add(record);
        } else {
            lookups.incrementAndGet();
            if (q.contains("'" + CONTACT_PHONE + "'")) {
                found.add(JSON.readTree("{\"attributes\":{\"type\":\"Contact\",\"url\":\"/services/data/v61.0/sobjects/Contact/003A\"},"
                        + "\"Id\":\"003A\",\"Phone\":\"" + CONTACT_PHONE + "\",\"LastName\":\"Lovelace\"}"));
            }
        }
        reply(exchange, 200, "{\"totalSize\":" + found.size() + ",\"done\":true,\"records\":" + JSON.writeValueAsString(found) + "}");
    }

    private void write(HttpExchange exchange) throws IOException {
        writes.incrementAndGet();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        writeBodies.add(body);
        nextWrite.complete(null);
        await(holdEveryWrite);
        Matcher path = SOBJECT.matcher(exchange.getRequestURI().getRawPath());
        if (!path.matches()) {
            reply(exchange, 404, "[{\"errorCode\":\"NOT_FOUND\",\"message\":\"no such resource\"}]");
            return;
        }
        String sObject = path.group(1);
        ObjectNode fields = (ObjectNode) JSON.readTree(body.isEmpty() ? "{}" : body);
        String method = exchange.getRequestMethod();
        int status;
        String answer;
        if (method.equals("POST") && path.group(2) == null) {
            String id = keep(sObject, fields);
            status = 201;
            answer = "{\"id\":\"" + id + "\",\"errors\":[],\"success\":true}";
        } else if (method.equals("PATCH") && path.group(3) != null) {
            String field = path.group(2);
            String value = URLDecoder.decode(path.group(3), StandardCharsets.UTF_8);
            String id;
            boolean created;
            synchronized (records) { // as Salesforce's unique external id: two upserts of one value make one record
                id = recordsOf(sObject).stream().filter(record -> record.path(field).asText().equals(value))
                        .map(record -> record.path("Id").asText()).findFirst().orElse(null);
                created = id == null;
                if (created) id = keep(sObject, fields.put(field, value));
            }
            status = created ? 201 : 200;
            answer = "{\"id\":\"" + id + "\",\"success\":true,\"created\":" + created + "}";
        } else if (method.equals("PATCH") && path.group(2) != null) {
            updates.incrementAndGet();
            status = 204;
            answer = "";
        } else {
            reply(exchange, 405, "[{\"errorCode\":\"METHOD_NOT_ALLOWED\",\"message\":\"no\"}]");
            return;
        }
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            reply(exchange, failStatus, "[{\"errorCode\":\"UNKNOWN_EXCEPTION\",\"message\":\"try again\"}]");
            return;
        }
        if (holdNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) await(releaseHeld);
        reply(exchange, status, answer);
    }

    private String keep(String sObject, ObjectNode fields) {
        String id = prefix(sObject) + String.format("%012d", ids.incrementAndGet());
        fields.put("Id", id);
        fields.putObject("attributes").put("type", sObject);
        records.put(id, fields);
        return id;
    }

    private static String prefix(String sObject) {
        return switch (sObject) {
            case "Lead" -> "00Q";
            case "Task" -> "00T";
            case "Contact" -> "003";
            default -> "a00";
        };
    }

    private void await(CompletableFuture<Void> release) {
        try {
            CompletableFuture.anyOf(release, closing).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            // answer anyway
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException clientLeft) {
            // the client gave up on this exchange (its deadline): nothing to answer
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        closing.complete(null);
        server.stop(0);
        executor.shutdownNow();
    }
}
