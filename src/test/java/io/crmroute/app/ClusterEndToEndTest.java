package io.crmroute.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.crmroute.agi.FakeAsterisk;
import io.crmroute.agi.FakeAsterisk.Responder;
import io.crmroute.config.DatabaseSettings;
import io.crmroute.store.TestPostgres;
import io.crmroute.testing.Await;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real crmroute processes on one PostgreSQL share a CRM whose account allows {@value #LIMIT}
 * requests a second: each is configured with {@code rate-limit: 30}, as the operator writes the account's
 * limit. Under 300 calls a second spread over the three, the fake CRM (counting per real second, answering
 * 429 above the limit and one node's slice) never sees more than that, so no call fails on a 429; when
 * one node is killed mid-load, the two left take its share, and its heartbeat stops showing it up.
 */
class ClusterEndToEndTest {

    private static final int LIMIT = 30;
    private static final int SLICE = LIMIT / 3; // one node's share: the tolerance at second boundaries
    private static final int CALLS_PER_TICK = 30; // every 100 ms: 300 calls a second
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private HttpServer crm;
    private final ConcurrentMap<Long, AtomicInteger> perSecond = new ConcurrentHashMap<>();
    private final AtomicInteger tooMany = new AtomicInteger();
    private final List<ServeProcess> nodes = new ArrayList<>();
    private final List<int[]> ports = new ArrayList<>(); // {agi, http} per node
    private volatile List<Integer> callable = List.of();
    private final AtomicLong matched = new AtomicLong();
    private ScheduledExecutorService pacer;
    private ExecutorService callers;

    @AfterEach
    void stop() throws Exception {
        if (pacer != null) pacer.shutdownNow();
        if (callers != null) callers.shutdownNow();
        for (ServeProcess node : nodes) node.close();
        if (crm != null) crm.stop(0);
    }

    @Test
    void threeNodesKeepTheAccountUnderItsLimitAndTheSurvivorsTakeAKilledNodesShare() throws Exception {
        crm = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 2048);
        crm.setExecutor(Executors.newFixedThreadPool(16));
        crm.createContext("/crm", this::countedAnswer);
        crm.start();
        DatabaseSettings db = TestPostgres.shared().createDatabase("cluster_e2e");
        for (String node : List.of("pbx-a", "pbx-b", "pbx-c")) {
            Path config = dir.resolve(node + ".yaml");
            Files.writeString(config, """
                    node: NODE
                    server:
                      agi: { host: 127.0.0.1, port: 0, allow: ["::ffff:127.0.0.1/128"] }
                      http: { host: 127.0.0.1, port: 0 }
                      heartbeat: 1s
                    crms:
                      account: { type: http, url: "BASE/crm", allow-insecure: true, timeout: 2s, rate-limit: LIMIT }
                    routes:
                      vip:
                        crm: account
                        field: status
                        timeout: 1500ms
                        rules: [ { name: gold, op: "=", value: GOLD, to: { queue: "103" } } ]
                        default: { to: { queue: "104" } }
                        failure: { to: { queue: "900" } }
                    database: { url: "URL", user: "USER" }
                    """.replace("NODE", node).replace("LIMIT", String.valueOf(LIMIT))
                    .replace("BASE", "http://127.0.0.1:" + crm.getAddress().getPort())
                    .replace("URL", db.url()).replace("USER", db.user()));
            nodes.add(ServeProcess.start(config, Map.of()));
        }
        for (ServeProcess node : nodes) {
            Matcher serving = Calls.SERVING.matcher(node.awaitLine(line -> Calls.SERVING.matcher(line).find(), WAIT));
            assertTrue(serving.find());
            ports.add(new int[] {Integer.parseInt(serving.group(1)), Integer.parseInt(serving.group(2))});
        }
        for (int[] port : ports) {
            Await.until(() -> "three nodes up in /health of :" + port[1] + ": " + get(port[1]), WAIT, () -> nodesUp(port[1]).size() == 3);
        }

        callable = ports.stream().map(port -> port[0]).toList();
        // A few calls one after another on each node first: a JVM's first lookups (class loading, the CRM
        // connection) can take long enough that a turn taken in one second reaches the CRM in the next.
        for (int i = 0; i < 5; i++) {
            for (int agi : callable) call(agi, -1 - i * 10L - agi);
        }
        long loadStarted = second();
        startLoad();
        Await.until(() -> "4 full seconds of load; the CRM saw " + new TreeMap<>(perSecond), WAIT, () -> second() >= loadStarted + 5);

        nodes.get(2).close(); // killed: no goodbye, its row stays until its heartbeats are missed
        callable = callable.subList(0, 2);
        long killed = second();
        Await.until(() -> "pbx-c down in /health of pbx-a: " + get(ports.get(0)[1]), WAIT,
                () -> nodesUp(ports.get(0)[1]).equals(List.of("pbx-a", "pbx-b")));
        Await.until(() -> "a second after the kill in which the CRM saw more than the two survivors' own shares: " + new TreeMap<>(perSecond),
                WAIT, () -> perSecond.entrySet().stream().anyMatch(entry -> entry.getKey() > killed + 1 && entry.getValue().get() > 2 * SLICE));
        pacer.shutdownNow();

        Map<Long, Integer> seen = new TreeMap<>();
        perSecond.forEach((second, count) -> seen.put(second, count.get()));
        assertEquals(0, tooMany.get(), "429s answered; per second: " + seen);
        assertTrue(seen.values().stream().allMatch(count -> count <= LIMIT + SLICE), "at most the limit and one slice a second: " + seen);
        assertTrue(seen.values().stream().anyMatch(count -> count >= LIMIT - SLICE), "the three used the account's budget: " + seen);
        assertTrue(matched.get() > 0, "calls were routed on the CRM's answer");
    }

    /** 30 calls every 100 ms, to the nodes still running in turn; what each call gets is counted, not waited for. */
    private void startLoad() {
        callers = Executors.newFixedThreadPool(128);
        pacer = Executors.newSingleThreadScheduledExecutor();
        AtomicLong sequence = new AtomicLong();
        pacer.scheduleAtFixedRate(() -> {
            List<Integer> agiPorts = callable;
            for (int i = 0; i < CALLS_PER_TICK; i++) {
                long n = sequence.incrementAndGet();
                int port = agiPorts.get((int) (n % agiPorts.size()));
                callers.execute(() -> call(port, n));
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
    }

    private void call(int port, long n) {
        try {
            // Each caller ID once: no two calls share a lookup.
            FakeAsterisk.Call call = FakeAsterisk.call(port, Map.of("network_script", "vip", "callerid", Long.toString(15550000000L + n)),
                    Responder.asterisk(), Duration.ofSeconds(10));
            if ("MATCH".equals(call.variables().get("CRMROUTE_STATUS"))) matched.incrementAndGet();
        } catch (IOException killedNode) {
            // a call the killed node was holding: Asterisk takes the next server of hagi://
        }
    }

    /** Counts per real second; above the limit and one slice it answers 429, as the account would. */
    private void countedAnswer(HttpExchange exchange) throws IOException {
        int count = perSecond.computeIfAbsent(second(), ignored -> new AtomicInteger()).incrementAndGet();
        if (count > LIMIT + SLICE) {
            tooMany.incrementAndGet();
            Calls.reply(exchange, 429, "application/json", "{\"error\": \"rate limit\"}");
            return;
        }
        Calls.reply(exchange, 200, "application/json", "{\"value\": \"GOLD\"}");
    }

    private static long second() {
        return System.currentTimeMillis() / 1000;
    }

    /** The ids of the nodes {@code /health} shows up. */
    private static List<String> nodesUp(int httpPort) {
        List<String> up = new ArrayList<>();
        for (JsonNode node : Calls.healthCheck(get(httpPort), "cluster").path("details").path("nodes")) {
            if (node.path("up").asBoolean()) up.add(node.path("id").asText());
        }
        return up;
    }

    private static String get(int httpPort) {
        return Calls.get(httpPort, "/health");
    }
}
