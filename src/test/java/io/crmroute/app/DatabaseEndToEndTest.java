package io.crmroute.app;

import io.crmroute.testing.Await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmroute.agi.FakeAsterisk;
import io.crmroute.config.ConfigLoader;
import io.crmroute.config.ConfigResult;
import io.crmroute.config.DatabaseSettings;
import io.crmroute.store.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An admin edits a route while calls flow, and an operator reads back why each call went where it
 * did; the database goes down and comes back without a decision lost or written twice. The whole
 * server, real FastAGI calls, a real PostgreSQL.
 */
class DatabaseEndToEndTest {

    private static final String TOKEN = "admin-token-e2e";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;

    private static TestPostgres postgres;
    private static CrmrouteServer server;

    @BeforeAll
    static void start() throws Exception {
        postgres = TestPostgres.startPrivate();
        DatabaseSettings db = postgres.createDatabase("e2e");
        Files.writeString(dir.resolve("crm.json"), "{\"contacts\": [{\"phone\": \"+15551230001\", \"status\": \"GOLD\"}]}");
        Files.writeString(dir.resolve("crmroute.yaml"), """
                server:
                  agi: { host: 127.0.0.1, port: 0 }
                  http: { host: 127.0.0.1, port: 0 }
                crms:
                  demo: { type: file, path: crm.json, phone: { default-country: US } }
                routes:
                  vip:
                    crm: demo
                    object: contacts
                    field: status
                    rules: [ { name: gold, op: "=", value: GOLD, to: { queue: "103" } } ]
                    default: { to: { extension: "100" } }
                database: { url: "URL", user: "USER", password: "${DB_PASSWORD}" }
                admin: { token: "${ADMIN_TOKEN}" }
                """.replace("URL", db.url()).replace("USER", db.user()));
        ConfigResult config = ConfigLoader.load(dir.resolve("crmroute.yaml"), Map.of("DB_PASSWORD", db.password(), "ADMIN_TOKEN", TOKEN));
        assertEquals(java.util.List.of(), config.problems());
        server = CrmrouteServer.start(config.config().orElseThrow());
        Await.until("the YAML routes imported into the empty database", Duration.ofSeconds(30),
                () -> api("GET", "/api/routes/vip", null, Map.of()).statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (postgres != null) postgres.stopIfRunning();
    }

    private static HttpResponse<String> api(String method, String path, String body, Map<String, String> headers) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                    .header("Authorization", "Bearer " + TOKEN)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            headers.forEach(request::header);
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String call(String uniqueId) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("network_script", "vip");
        env.put("callerid", "15551230001");
        env.put("uniqueid", uniqueId);
        return FakeAsterisk.call(server.agiPort(), env).variables().get("CRMROUTE_DEST");
    }

    private static String route(String goldQueue, String op) {
        return "{\"crm\": \"demo\", \"object\": \"contacts\", \"field\": \"status\", \"rules\": [{\"name\": \"gold\", \"op\": \"" + op
                + "\", \"value\": \"GOLD\", \"to\": {\"queue\": \"" + goldQueue + "\"}}], \"default\": {\"to\": {\"extension\": \"100\"}}}";
    }

    @Test
    void anAdminsChangeIsUsedByTheNextCallAndBadOrStaleChangesAreRefused() throws Exception {
        assertEquals("103", call("edit.1"));
        String etag = api("GET", "/api/routes/vip", null, Map.of()).headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> saved = api("PUT", "/api/routes/vip", route("777", "="), Map.of("If-Match", etag));
        assertEquals(200, saved.statusCode(), saved.body());
        assertEquals("777", call("edit.2"), "the next call, no restart");

        HttpResponse<String> invalid = api("PUT", "/api/routes/vip", route("888", "=~"), Map.of());
        assertEquals(400, invalid.statusCode());
        assertEquals("rules[0].op", JSON.readTree(invalid.body()).get(0).get("path").asText(), invalid.body());
        assertEquals("777", call("edit.3"), "an invalid change leaves the last good rules");

        HttpResponse<String> stale = api("PUT", "/api/routes/vip", route("999", "="), Map.of("If-Match", etag));
        assertEquals(412, stale.statusCode(), "written over a newer version: refused, not overwritten");
        assertEquals("777", call("edit.4"));
        assertEquals(401, HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/api/routes")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void decisionsMadeWhileTheDatabaseIsDownAreWrittenOnceItIsBack() throws Exception {
        Set<String> made = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            call("outage.before." + i);
            made.add("outage.before." + i);
        }
        postgres.stop();
        for (int i = 0; i < 30; i++) {
            assertTrue(call("outage.during." + i) != null, "calls are routed while the database is down");
            made.add("outage.during." + i);
        }
        postgres.start();
        Await.until("every decision written", Duration.ofSeconds(60), () -> recorded().containsAll(made));
        JsonNode rows = JSON.readTree(api("GET", "/api/decisions?route=vip&limit=1000", null, Map.of()).body());
        Map<String, Integer> times = new LinkedHashMap<>();
        for (JsonNode row : rows) {
            String uniqueId = row.get("uniqueid").asText();
            if (uniqueId.startsWith("outage.")) times.merge(uniqueId, 1, Integer::sum);
        }
        assertEquals(made, times.keySet(), "none lost");
        assertTrue(times.values().stream().allMatch(n -> n == 1), "none written twice: " + times);
        JsonNode health = JSON.readTree(api("GET", "/health", null, Map.of()).body());
        assertTrue(health.toString().contains("\"name\":\"database\""), health.toString());
    }

    @Test
    void statusAndHealthListThisNodeByItsDefaultNameWithItsHeartbeat() throws Exception {
        JsonNode[] nodes = new JsonNode[1];
        Await.until(() -> "this node's heartbeat in /api/status: " + nodes[0], Duration.ofSeconds(30), () -> {
            try {
                nodes[0] = JSON.readTree(api("GET", "/api/status", null, Map.of()).body()).path("nodes");
            } catch (java.io.IOException e) {
                return false;
            }
            return nodes[0].size() == 1 && nodes[0].get(0).path("up").asBoolean();
        });
        JsonNode node = nodes[0].get(0);
        assertTrue(node.path("id").asText().endsWith(":0"), "host and the configured FastAGI port: " + node);
        assertEquals("dev", node.path("version").asText(), "run from classes, not the jar");
        assertTrue(java.time.Instant.parse(node.path("last_heartbeat").asText()).compareTo(java.time.Instant.parse(node.path("started_at").asText())) >= 0);
        JsonNode health = JSON.readTree(api("GET", "/health", null, Map.of()).body());
        JsonNode cluster = null;
        for (JsonNode check : health.path("checks")) if (check.path("name").asText().equals("cluster")) cluster = check;
        assertTrue(cluster != null && !cluster.path("critical").asBoolean(), health.toString());
        assertEquals(node.path("id").asText(), cluster.at("/details/node").asText());
        assertEquals(false, cluster.at("/details/sharedCredentials").asBoolean(), "no CRMROUTE_SECRET_KEY in this test's environment");
    }

    private static Set<String> recorded() {
        HttpResponse<String> response = api("GET", "/api/decisions?route=vip&limit=1000", null, Map.of());
        Set<String> ids = new HashSet<>();
        if (response.statusCode() != 200) return ids;
        try {
            for (JsonNode row : JSON.readTree(response.body())) ids.add(row.get("uniqueid").asText());
        } catch (Exception e) {
            return ids;
        }
        return ids;
    }
}
