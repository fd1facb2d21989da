package io.crmroute.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmroute.agi.FakeAsterisk;
import io.crmroute.config.DatabaseSettings;
import io.crmroute.store.TestPostgres;
import io.crmroute.testing.Await;
import io.crmroute.testing.FakeSalesforce;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable async actions across real crmroute processes on one PostgreSQL: node A takes 100 calls whose async
 * create (an upsert on a key field: retry-safe) goes to the outbox; the fake Salesforce holds every write, so A
 * holds all 100 rows, claimed, with writes in flight. B and C start and take none of them while A's lease is
 * renewed. A is killed (SIGKILL); the fake is released (A's writes in flight land, their answers lost); B and C
 * claim A's rows when its lease ends and write every one: the fake has one Lead per call key, 100 in all.
 */
class OutboxEndToEndTest {

    private static final int CALLS = 100;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final FakeSalesforce salesforce = new FakeSalesforce();
    private final CompletableFuture<Void> release = new CompletableFuture<>();
    private final List<ServeProcess> nodes = new ArrayList<>();
    private DatabaseSettings db;

    OutboxEndToEndTest() throws Exception {}

    @AfterEach
    void stop() throws Exception {
        release.complete(null);
        for (ServeProcess node : nodes) node.close();
        salesforce.close();
    }

    @Test
    void aKilledNodesHundredQueuedActionsAreEachWrittenOnceByTheOthers() throws Exception {
        db = TestPostgres.shared().createDatabase("outbox_e2e");
        salesforce.holdEveryWrite(release);
        int[] portsA = serving(start("pbx-a"));
        int agiA = portsA[0];
        // Before the schema is migrated the outbox cannot take a row: the action would go to A's memory queue.
        Await.until("A's database up", WAIT, () -> Calls.healthCheck(Calls.get(portsA[1], "/health"), "database").path("up").asBoolean());

        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<Map<String, String>>> calls = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                int n = i;
                calls.add(callers.submit(() -> call(agiA, n)));
            }
            for (Future<Map<String, String>> call : calls) {
                Map<String, String> set = call.get(60, TimeUnit.SECONDS);
                assertEquals("NOMATCH", set.get("CRMROUTE_STATUS"), set.toString());
            }
        } finally {
            callers.shutdownNow();
        }
        Await.until(() -> "A claims all " + CALLS + " rows and writes some: " + states() + ", writes at the CRM " + salesforce.writes()
                        + "; A's warnings: " + warnings(nodes.get(0)),
                WAIT, () -> count("state = 'queued' AND claimed_by = 'pbx-a'") == CALLS && salesforce.writes() > 0);

        List<ServeProcess> others = List.of(start("pbx-b"), start("pbx-c"));
        int httpB = serving(others.get(0))[1];
        serving(others.get(1));
        assertEquals(CALLS, count("state = 'queued' AND claimed_by = 'pbx-a'"), "B and C take none while A renews its lease: " + states());
        int inFlight = salesforce.writes();
        assertEquals(0, salesforce.records("Lead"), "nothing written yet");

        nodes.get(0).close(); // SIGKILL: no release, no goodbye
        release.complete(null);

        Await.until(() -> "every row done by B and C: " + states() + "; warnings " + warnings(others.get(0)) + warnings(others.get(1)), WAIT, () -> count("state = 'done'") == CALLS);
        Map<String, Long> perKey = salesforce.recordsOf("Lead").stream()
                .collect(Collectors.groupingBy(lead -> lead.path("Call_Key__c").asText(), TreeMap::new, Collectors.counting()));
        assertEquals(CALLS, perKey.size(), "a Lead for every call: " + perKey.keySet());
        assertTrue(perKey.values().stream().allMatch(count -> count == 1), "no call key twice: " + perKey);
        assertEquals(CALLS, salesforce.records("Lead"));
        assertTrue(perKey.keySet().stream().allMatch(key -> key.matches("1733120000\\.\\d+:sales:nomatch:0")), perKey.keySet().toString());
        assertEquals(0, count("claimed_by = 'pbx-a'"));
        assertTrue(salesforce.writes() >= CALLS + inFlight, "A's writes in flight were sent again by B or C: " + salesforce.writes());
        Await.until(() -> "B's last poll counted no row pending", WAIT,
                () -> Calls.get(httpB, "/metrics").contains("\ncrmroute_actions_outbox_pending 0.0\n"));
        Await.until(() -> "each call's action audited written once: " + audited(), WAIT,
                () -> audited().size() == CALLS && audited().values().stream().allMatch(count -> count == 1));
    }

    private ServeProcess start(String node) throws Exception {
        Path config = dir.resolve(node + ".yaml");
        Files.writeString(config, """
                node: NODE
                server:
                  agi: { host: 127.0.0.1, port: 0 }
                  http: { host: 127.0.0.1, port: 0 }
                  heartbeat: 1s
                  outbox-lease: 4s
                  outbox-poll: 200ms
                crms:
                CRM_ENTRY
                routes:
                  sales:
                    crm: sf
                    object: Contact
                    field: Phone
                    timeout: 20s
                    default: { to: { queue: "200" } }
                    nomatch: { to: { queue: "209" } }
                    failure: { to: { queue: "299" } }
                    actions:
                      nomatch: [ { create: Lead, key-field: Call_Key__c, retry-for: 10m, set: { LastName: "Caller {callerid}", Phone: "{callerid}" } } ]
                database: { url: "URL", user: "USER" }
                """.replace("NODE", node)
                // A's writes wait at the fake until A is killed: longer than the test, not the 2 s of the shared entry.
                .replace("CRM_ENTRY", salesforce.crmEntry().replace("timeout: 2s", "timeout: 60s"))
                .replace("URL", db.url()).replace("USER", db.user()));
        ServeProcess process = ServeProcess.start(config, Map.of("SF_SECRET", "s3cr3t"));
        nodes.add(process);
        return process;
    }

    /** The node's FastAGI and HTTP ports, once it serves. */
    private static int[] serving(ServeProcess node) throws InterruptedException {
        Matcher serving = Calls.SERVING.matcher(node.awaitLine(line -> Calls.SERVING.matcher(line).find(), WAIT));
        assertTrue(serving.find());
        return new int[] {Integer.parseInt(serving.group(1)), Integer.parseInt(serving.group(2))};
    }

    private static Map<String, String> call(int agiPort, int n) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("network_script", "sales");
        env.put("callerid", Long.toString(15550100000L + n));
        env.put("uniqueid", "1733120000." + n);
        return FakeAsterisk.call(agiPort, env, FakeAsterisk.Responder.asterisk(), Duration.ofSeconds(40)).variables();
    }

    private static List<String> warnings(ServeProcess node) {
        return node.lines().stream().filter(line -> line.contains("WARN") || line.contains("ERROR")).limit(20).toList();
    }

    private long count(String where) {
        try (Connection connection = connection(); PreparedStatement count = connection.prepareStatement(
                "SELECT count(*) FROM action_outbox WHERE " + where); ResultSet rows = count.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String states() {
        try (Connection connection = connection(); PreparedStatement select = connection.prepareStatement(
                "SELECT state, coalesce(claimed_by, '-'), count(*) FROM action_outbox GROUP BY 1, 2 ORDER BY 1, 2");
             ResultSet rows = select.executeQuery()) {
            List<String> shown = new ArrayList<>();
            while (rows.next()) shown.add(rows.getString(1) + "/" + rows.getString(2) + "=" + rows.getLong(3));
            return shown.toString();
        } catch (SQLException e) {
            return e.toString();
        }
    }

    /** Per call, the {@code written} rows of its action in the audit. */
    private Map<String, Long> audited() {
        try (Connection connection = connection(); PreparedStatement select = connection.prepareStatement(
                "SELECT uniqueid FROM crm_action WHERE result = 'written' AND route = 'sales'"); ResultSet rows = select.executeQuery()) {
            List<String> uniqueids = new ArrayList<>();
            while (rows.next()) uniqueids.add(rows.getString(1));
            return uniqueids.stream().collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Connection connection() throws SQLException {
        return DriverManager.getConnection(db.url(), db.user(), db.password());
    }
}
