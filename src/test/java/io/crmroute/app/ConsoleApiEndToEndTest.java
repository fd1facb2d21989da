package io.crmroute.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmroute.agi.FakeAsterisk;
import io.crmroute.config.ConfigLoader;
import io.crmroute.config.ConfigResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API and the console's endpoints of a server without a database, over real HTTP and FastAGI:
 * routes in the local store beside the config, decisions kept in memory, drafts tried on the call path.
 */
class ConsoleApiEndToEndTest {

    static final String TOKEN = "console-test-token-4b1d";
    static final String HOSTILE = "<img src=x onerror=alert(1)>";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static CrmrouteServer server;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        Files.writeString(dir.resolve("crm.json"), """
                {"contacts": [
                  {"phone": "+15551230001", "name": "Alice", "status": "GOLD"},
                  {"phone": "+15551230002", "name": "NAME", "status": "SILVER"}
                ]}""".replace("NAME", HOSTILE.replace("\"", "\\\"")));
        Files.writeString(dir.resolve("crmroute.yaml"), """
                server:
                  agi: { host: 127.0.0.1, port: 0, allow: [127.0.0.1/32] }
                  http: { host: 127.0.0.1, port: 0 }
                crms:
                  demo: { type: file, path: crm.json, phone: { default-country: US } }
                admin:
                  token: TOKEN
                routes:
                  vip:
                    crm: demo
                    object: contacts
                    retrieve: [name, status]
                    field: status
                    rules:
                      - { name: gold, op: "=", value: GOLD, to: { queue: "103" } }
                    default: { to: { extension: "100" } }
                """.replace("TOKEN", TOKEN));
        ConfigResult config = ConfigLoader.load(dir.resolve("crmroute.yaml"), Map.of());
        assertEquals(List.of(), config.problems());
        server = CrmrouteServer.start(config.config().orElseThrow());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        request.header("Authorization", "Bearer " + TOKEN);
        for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static String document(String goldQueue) {
        return """
                {"crm": "demo", "object": "contacts", "retrieve": ["name", "status"], "field": "status",
                 "rules": [{"name": "gold", "op": "=", "value": "GOLD", "to": {"queue": "QUEUE"}},
                           {"name": "silver", "op": "=", "value": "SILVER", "to": {"ivr": "200"}}],
                 "default": {"to": {"extension": "100"}}}""".replace("QUEUE", goldQueue);
    }

    private static Map<String, String> call(String route, String callerId, String uniqueId) throws Exception {
        Map<String, String> env = FakeAsterisk.defaultEnvironment();
        env.put("network_script", route);
        env.put("callerid", callerId);
        env.put("uniqueid", uniqueId);
        return FakeAsterisk.call(server.agiPort(), env).variables();
    }

    @Test
    void routesLiveInTheLocalStoreAndAChangeRoutesTheNextCall() throws Exception {
        HttpResponse<String> list = send("GET", "/api/routes", null);
        assertEquals(200, list.statusCode());
        assertTrue(json(list).findValuesAsText("name").contains("vip"));
        assertTrue(Files.exists(dir.resolve("crmroute.yaml.routes.json")));

        send("PUT", "/api/routes/edited", document("103"));
        HttpResponse<String> read = send("GET", "/api/routes/edited", null);
        String etag = read.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> saved = send("PUT", "/api/routes/edited", document("777"), "If-Match", etag);
        assertEquals(200, saved.statusCode());
        assertNotEquals(etag, saved.headers().firstValue("ETag").orElseThrow());

        assertEquals("777", call("edited", "15551230001", "local.1").get("CRMROUTE_DEST"));

        HttpResponse<String> stale = send("PUT", "/api/routes/edited", document("888"), "If-Match", etag);
        assertEquals(412, stale.statusCode());
        HttpResponse<String> invalid = send("PUT", "/api/routes/edited", document("103").replace("\"=\"", "\"=~\""));
        assertEquals(400, invalid.statusCode());
        assertEquals("rules[0].op", json(invalid).get(0).get("path").asText());
        assertEquals("777", call("edited", "15551230001", "local.2").get("CRMROUTE_DEST"));
    }

    @Test
    void decisionsAreKeptInMemoryAndFiltered() throws Exception {
        call("vip", "15551230002", "memory.1");
        call("vip", "15551230001", "memory.2");

        JsonNode found = json(send("GET", "/api/decisions?caller=15551230002&route=vip", null));

        assertEquals(1, found.size());
        assertEquals("memory.1", found.get(0).get("uniqueid").asText());
        assertEquals("DEFAULT", found.get(0).get("status").asText());
        assertTrue(found.get(0).get("crm_ms").isNumber(), found.toString());
    }

    @Test
    void decisionsArePagedNewestFirstWithTheLastTimeSeenAsTheNextPagesEnd() throws Exception {
        for (int i = 1; i <= 3; i++) call("vip", "15551239999", "page." + i);

        JsonNode first = json(send("GET", "/api/decisions?caller=15551239999&limit=2", null));
        String before = java.net.URLEncoder.encode(first.get(1).get("time").asText(), java.nio.charset.StandardCharsets.UTF_8);
        JsonNode older = json(send("GET", "/api/decisions?caller=15551239999&limit=2&to=" + before, null));

        assertEquals(List.of("page.3", "page.2"), first.findValuesAsText("uniqueid"));
        assertEquals(List.of("page.1"), older.findValuesAsText("uniqueid"));
    }

    @Test
    void aDraftIsTriedOnTheCallPathAndExplainedWithoutBeingRecorded() throws Exception {
        String body = "{\"name\": \"draft\", \"callerid\": \"15551230002\", \"route\": " + document("103") + "}";

        HttpResponse<String> tried = send("POST", "/api/simulate", body);

        assertEquals(200, tried.statusCode());
        JsonNode explanation = json(tried);
        assertEquals("found", explanation.at("/lookup/outcome").asText());
        assertEquals(HOSTILE, explanation.at("/lookup/records/0/name").asText());
        assertEquals(List.of("rule gold: status \"SILVER\" = \"GOLD\" -> does not hold",
                        "rule silver: status \"SILVER\" = \"SILVER\" -> holds"),
                explanation.get("rules").findValuesAsText("explain"));
        assertEquals("MATCH", explanation.at("/decision/status").asText());
        assertEquals("200", explanation.at("/decision/dest").asText());
        assertEquals(HOSTILE, explanation.at("/variables/CRM_contacts_name").asText());
        assertEquals("ivr", explanation.at("/variables/CRMROUTE_TYPE").asText());
        assertTrue(explanation.at("/requests/0").asText().contains("contacts"), explanation.toString());
        assertEquals(0, json(send("GET", "/api/decisions?route=draft", null)).size());
    }

    @Test
    void anInvalidDraftGetsItsProblemsAndAStrangerGets401() throws Exception {
        HttpResponse<String> invalid = send("POST", "/api/simulate",
                "{\"callerid\": \"1\", \"route\": " + document("103").replace("\"queue\"", "\"queues\"") + "}");
        assertEquals(400, invalid.statusCode());
        assertEquals("rules[0].to.queues", json(invalid).get(0).get("path").asText());

        HttpResponse<String> stranger = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/api/simulate"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Authorization", "Bearer wrong").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, stranger.statusCode());
    }

    @Test
    void routesGoOutAndComeInAsYamlAllOrNothing() throws Exception {
        HttpResponse<String> exported = send("GET", "/api/export", null);
        assertEquals(200, exported.statusCode());
        assertTrue(exported.body().startsWith("routes:\n"), exported.body());
        assertTrue(exported.body().contains("\n  vip:\n"), exported.body());

        String yaml = """
                routes:
                  imported: { crm: demo, object: contacts, field: status, default: { to: { queue: "5" } } }
                  broken: { crm: demo, object: contacts, field: status, rules: [ { op: "=~", value: x, to: { queue: "1" } } ], default: { to: { queue: "5" } } }
                """;
        HttpResponse<String> refused = send("POST", "/api/import", yaml);
        assertEquals(400, refused.statusCode());
        assertEquals("routes.broken.rules[0].op", json(refused).get(0).get("path").asText());
        assertEquals(404, send("GET", "/api/routes/imported", null).statusCode());

        HttpResponse<String> imported = send("POST", "/api/import", yaml.lines().limit(2).reduce("", (a, b) -> a + b + "\n"));
        assertEquals(200, imported.statusCode());
        assertEquals(1, json(imported).get("imported").asInt());
        assertEquals("5", call("imported", "15551230001", "import.1").get("CRMROUTE_DEST"));
        assertEquals(400, send("POST", "/api/import", "just: text").statusCode());
    }

    @Test
    void statusSaysWhereRoutesLiveAndCountsCallsPerStatus() throws Exception {
        call("vip", "15551230001", "status.1");
        JsonNode status = json(send("GET", "/api/status", null));
        assertEquals("local", status.at("/storage/kind").asText());
        assertEquals(10_000, status.at("/storage/decisions_kept").asInt());
        assertEquals(0, status.at("/nodes").size(), "without a database there are no other nodes: " + status);
        assertTrue(status.at("/calls/MATCH").asLong() >= 1, status.toString());
        assertEquals("demo", json(send("GET", "/api/crms", null)).get(0).get("name").asText());
    }
}
