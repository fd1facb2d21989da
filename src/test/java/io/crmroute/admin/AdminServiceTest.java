package io.crmroute.admin;

import io.crmroute.testing.Await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmroute.http.HttpRequest;
import io.crmroute.http.HttpResponse;
import io.crmroute.http.HttpRouting;
import io.crmroute.store.Database;
import io.crmroute.store.DecisionLog;
import io.crmroute.store.DecisionRow;
import io.crmroute.store.LiveRouteTable;
import io.crmroute.store.RouteStore;
import io.crmroute.store.TestPostgres;
import io.crmroute.store.TestRoutes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin API through its real routing, against a real PostgreSQL; no server needed. */
class AdminServiceTest {

    static final String TOKEN = "s3cret-admin-token";
    static Database database;
    static DecisionLog decisions;
    static LiveRouteTable live;
    static HttpRouting routing;

    @BeforeAll
    static void start() throws Exception {
        database = Database.connect(TestPostgres.shared().createDatabase("admin"));
        database.whenReady().get(30, TimeUnit.SECONDS);
        decisions = DecisionLog.start(database, DecisionLog.Options.defaults());
        live = LiveRouteTable.start(database, TestRoutes.compiler(), Map.of(), Map.of(), LiveRouteTable.Options.defaults());
        RouteStore store = new RouteStore(database, TestRoutes.compiler());
        routing = HttpRouting.builder().register(new AdminService(store, decisions, TOKEN, live::reload)).build();
    }

    @AfterAll
    static void stop() {
        live.close();
        decisions.close();
        database.close();
    }

    static HttpResponse call(String method, String path, String body, String... headers) throws Exception {
        Map<String, String> headerMap = new HashMap<>();
        headerMap.put("authorization", "Bearer " + TOKEN);
        for (int i = 0; i < headers.length; i += 2) headerMap.put(headers[i].toLowerCase(), headers[i + 1]);
        headerMap.values().removeIf(String::isEmpty);
        String[] parts = path.split("\\?", 2);
        Map<String, List<String>> query = new HashMap<>();
        if (parts.length > 1) {
            for (String pair : parts[1].split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(kv[0], List.of(java.net.URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8)));
            }
        }
        HttpRequest request = new HttpRequest(method, parts[0], query, headerMap, Map.of(),
                body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        return routing.route(request).get(10, TimeUnit.SECONDS);
    }

    static JsonNode json(HttpResponse response) throws Exception {
        return AdminService.JSON.readTree(response.body());
    }

    @Test
    void refusesRequestsWithoutTheToken() throws Exception {
        assertEquals(401, call("GET", "/api/routes", null, "Authorization", "").status());
        HttpResponse wrong = call("GET", "/api/routes/vip", null, "Authorization", "Bearer nope");
        assertEquals(401, wrong.status());
        assertEquals("Bearer error=\"invalid_token\"", wrong.headers().get("WWW-Authenticate"), "RFC 6750 for a wrong token");
        assertEquals(401, call("PUT", "/api/routes/vip", TestRoutes.document("1").toString(), "Authorization", "Basic " + TOKEN).status());
        assertEquals(401, call("GET", "/api/decisions", null, "Authorization", "").status());
    }

    @Test
    void createsReadsListsUpdatesAndDeletesARoute() throws Exception {
        HttpResponse created = call("PUT", "/api/routes/crud", TestRoutes.document("103").toString());
        assertEquals(201, created.status());
        String etag = created.headers().get("ETag");
        assertTrue(etag.matches("\"\\d+\""), etag);

        HttpResponse read = call("GET", "/api/routes/crud", null);
        assertEquals(200, read.status());
        assertEquals(etag, read.headers().get("ETag"));
        assertEquals(TestRoutes.document("103"), json(read));

        JsonNode listed = json(call("GET", "/api/routes?q=crud", null));
        assertEquals(1, listed.size());
        assertEquals("crud", listed.get(0).path("name").asText());
        assertEquals(etag, listed.get(0).path("etag").asText());

        HttpResponse updated = call("PUT", "/api/routes/crud", TestRoutes.document("104").toString(), "If-Match", etag);
        assertEquals(200, updated.status());
        assertEquals("104", json(call("GET", "/api/routes/crud", null)).at("/rules/0/to/queue").asText());

        assertEquals(204, call("DELETE", "/api/routes/crud", null, "If-Match", updated.headers().get("ETag")).status());
        assertEquals(404, call("GET", "/api/routes/crud", null).status());
        assertEquals(404, call("DELETE", "/api/routes/crud", null).status());
    }

    @Test
    void refusesAStaleUpdateWith412() throws Exception {
        String etag = call("PUT", "/api/routes/stale", TestRoutes.document("103").toString()).headers().get("ETag");
        assertEquals(200, call("PUT", "/api/routes/stale", TestRoutes.document("200").toString(), "If-Match", etag).status());

        HttpResponse stale = call("PUT", "/api/routes/stale", TestRoutes.document("999").toString(), "If-Match", etag);
        assertEquals(412, stale.status());
        assertTrue(json(stale).path("error").asText().contains("changed"));
        assertEquals("200", json(call("GET", "/api/routes/stale", null)).at("/rules/0/to/queue").asText());
        assertEquals(412, call("DELETE", "/api/routes/stale", null, "If-Match", etag).status());
    }

    @Test
    void answersAnInvalidRouteWith400NamingTheBadKey() throws Exception {
        ObjectNode document = TestRoutes.document("103");
        ((ObjectNode) document.at("/rules/2")).put("op", "=~");
        HttpResponse invalid = call("PUT", "/api/routes/bad", document.toString());
        assertEquals(400, invalid.status());
        assertEquals("rules[2].op", json(invalid).get(0).path("path").asText());
        assertTrue(json(invalid).get(0).path("message").asText().contains("=~"));
        assertEquals(404, call("GET", "/api/routes/bad", null).status());

        HttpResponse notJson = call("PUT", "/api/routes/bad", "{crm: ");
        assertEquals(400, notJson.status());
        assertEquals("", json(notJson).get(0).path("path").asText());
        assertEquals(400, call("PUT", "/api/routes/bad", "[]").status());
        assertEquals("If-Match", json(call("PUT", "/api/routes/bad", document.toString(), "If-Match", "yesterday")).get(0).path("path").asText());
    }

    @Test
    void reordersRulesAndTheNextLookupSeesIt() throws Exception {
        String etag = call("PUT", "/api/routes/order", TestRoutes.document("103").toString()).headers().get("ETag");
        assertEquals("103", live.route("order").orElseThrow().rules().get(0).to().target());   // reloaded before the answer

        HttpResponse reordered = call("POST", "/api/routes/order/rules:reorder", "{\"order\": [3, 1, 2]}", "If-Match", etag);
        assertEquals(200, reordered.status());
        assertEquals(List.of(">=", "=", "="), List.of(json(reordered).at("/rules/0/op").asText(),
                json(reordered).at("/rules/1/op").asText(), json(reordered).at("/rules/2/op").asText()));
        assertEquals("gold", json(reordered).at("/rules/1/name").asText());
        assertEquals("300", live.route("order").orElseThrow().rules().get(0).to().target());

        assertEquals(412, call("POST", "/api/routes/order/rules:reorder", "{\"order\": [1, 2, 3]}", "If-Match", etag).status());
        HttpResponse twice = call("POST", "/api/routes/order/rules:reorder", "{\"order\": [1, 1, 2]}");
        assertEquals(400, twice.status());
        assertEquals("order[1]", json(twice).get(0).path("path").asText());
        assertEquals("order", json(call("POST", "/api/routes/order/rules:reorder", "{\"order\": [1]}")).get(0).path("path").asText());
    }

    @Test
    void readsDecisionsBackByFilterNewestFirst() throws Exception {
        Instant t0 = Instant.parse("2025-04-01T08:00:00Z");
        decisions.record(row("+15557770001", "api-vip", "MATCH", t0));
        decisions.record(row("+15557770001", "api-vip", "FAILED", t0.plusSeconds(10)));
        decisions.record(row("+15557770002", "api-vip", "MATCH", t0.plusSeconds(20)));
        Await.until("rows written", Duration.ofSeconds(30), () -> decisions.counters().pending() == 0);

        JsonNode byCaller = json(call("GET", "/api/decisions?caller=%2B15557770001", null));
        assertEquals(2, byCaller.size());
        assertEquals("FAILED", byCaller.get(0).path("status").asText());
        for (String field : List.of("uniqueid", "time", "caller", "route", "status", "rule", "type", "dest", "crm_ms", "error")) {
            assertTrue(byCaller.get(0).has(field), field);
        }
        assertEquals("queue", byCaller.get(0).path("type").asText());
        assertEquals(25, byCaller.get(0).path("crm_ms").asInt());

        JsonNode window = json(call("GET", "/api/decisions?route=api-vip&status=match&from=2025-04-01T08:00:05Z&to=2025-04-01T09:00:00Z", null));
        assertEquals(1, window.size());
        assertEquals("+15557770002", window.get(0).path("caller").asText());
        assertEquals(1, json(call("GET", "/api/decisions?route=api-vip&limit=1", null)).size());

        HttpResponse bad = call("GET", "/api/decisions?from=yesterday&limit=0", null);
        assertEquals(400, bad.status());
        assertEquals("from", json(bad).get(0).path("path").asText());
        assertEquals("limit", json(bad).get(1).path("path").asText());
    }

    private static DecisionRow row(String caller, String route, String status, Instant time) {
        return new DecisionRow(UUID.randomUUID(), time, "1711.1", "SIP/t-1", caller, route, "", "demo", Optional.of("GOLD"),
                Optional.of(1), status, "gold", Optional.of("queue"), Optional.of("103"), false, Optional.of(25L), Optional.empty());
    }
}
