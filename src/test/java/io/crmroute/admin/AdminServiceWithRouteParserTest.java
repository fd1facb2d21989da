package io.crmroute.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmroute.crm.CrmSpec;
import io.crmroute.crm.CrmTypes;
import io.crmroute.http.HttpRequest;
import io.crmroute.http.HttpResponse;
import io.crmroute.http.HttpRouting;
import io.crmroute.store.Database;
import io.crmroute.store.DecisionLog;
import io.crmroute.store.LiveRouteTable;
import io.crmroute.store.RouteCompiler;
import io.crmroute.store.RouteStore;
import io.crmroute.store.TestPostgres;
import io.crmroute.store.TestRoutes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The admin API with the application's {@link RouteCompiler} (the config's RouteParser):
 * DESIGN.md's own example route goes in, is served to the next call, and a bad key is named.
 */
class AdminServiceWithRouteParserTest {

    static final String TOKEN = "parser-token";
    static final String VIP = "{\"crm\": \"demo\", \"object\": \"contacts\", \"match\": {\"field\": \"phone\", \"from\": \"callerid\"},"
            + " \"retrieve\": [\"status\", \"balance\"], \"field\": \"status\", \"records\": 1, \"timeout\": \"1500ms\","
            + " \"rules\": [{\"name\": \"gold\", \"op\": \"=\", \"value\": \"GOLD\", \"to\": {\"queue\": \"103\"}},"
            + " {\"op\": \">=\", \"field\": \"balance\", \"value\": 1000, \"to\": {\"ivr\": \"200\"}}],"
            + " \"default\": {\"to\": {\"extension\": \"100\"}, \"voicemail\": true}, \"failure\": {\"to\": {\"queue\": \"900\"}}}";

    static CrmSpec demoCrm() {
        return CrmSpec.standIn("demo", CrmTypes.named("file"));
    }

    @Test
    void storesServesAndValidatesRoutesWithTheRealParser() throws Exception {
        RouteCompiler compiler = RouteCompiler.withCrms(Map.of("demo", demoCrm()));
        try (Database database = Database.connect(TestPostgres.shared().createDatabase("parser"));
             DecisionLog decisions = DecisionLog.start(database, DecisionLog.Options.defaults());
             LiveRouteTable live = LiveRouteTable.start(database, compiler, Map.of(), Map.of(), LiveRouteTable.Options.defaults())) {
            database.whenReady().get(30, TimeUnit.SECONDS);
            HttpRouting routing = HttpRouting.builder()
                    .register(new AdminService(new RouteStore(database, compiler), decisions, TOKEN, live::reload)).build();

            HttpResponse created = put(routing, "vip", VIP);
            assertEquals(201, created.status(), new String(created.body(), StandardCharsets.UTF_8));
            assertEquals("103", live.route("vip").orElseThrow().rules().get(0).to().target());
            assertEquals(Duration.ofMillis(1500), live.route("vip").orElseThrow().timeout());

            ObjectNode bad = TestRoutes.json(VIP);
            ((ObjectNode) bad.at("/rules/1")).put("op", "=~");
            HttpResponse refused = put(routing, "vip", bad.toString());
            assertEquals(400, refused.status());
            JsonNode problems = AdminService.JSON.readTree(refused.body());
            assertEquals("rules[1].op", problems.get(0).path("path").asText());
            assertTrue(live.route("vip").isPresent());

            ObjectNode unknownCrm = TestRoutes.json(VIP).put("crm", "nosuch");
            assertEquals("crm", AdminService.JSON.readTree(put(routing, "vip", unknownCrm.toString()).body()).get(0).path("path").asText());
        }
    }

    private static HttpResponse put(HttpRouting routing, String name, String body) throws Exception {
        HttpRequest request = new HttpRequest("PUT", "/api/routes/" + name, Map.of(), Map.of("authorization", "Bearer " + TOKEN),
                Map.of(), body.getBytes(StandardCharsets.UTF_8));
        return routing.route(request).get(10, TimeUnit.SECONDS);
    }
}
