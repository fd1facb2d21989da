package io.crmroute.crm;

import com.github.benmanes.caffeine.cache.Ticker;
import io.crmroute.crm.FakeCrmServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.crmroute.crm.TestCrms.await;
import static io.crmroute.crm.TestCrms.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Vtiger's schema: {@code listtypes} and {@code describe}, with the lookups' session. */
class VtigerSchemaTest {

    private static final String ACCESS_KEY = "aK3yFr0mMyPreferences";
    private static final Reply CHALLENGE = Reply.json("{\"success\":true,\"result\":{\"token\":\"5f1a2b3c4d5e6\",\"serverTime\":1736935200,\"expireTime\":1736935500}}");
    private static final Reply LOGIN_1 = Reply.json("{\"success\":true,\"result\":{\"sessionName\":\"sess-1\",\"userId\":\"19x5\"}}");
    private static final Reply LOGIN_2 = Reply.json("{\"success\":true,\"result\":{\"sessionName\":\"sess-2\",\"userId\":\"19x5\"}}");
    private static final Reply TYPES = Reply.json("""
            {"success":true,"result":{"types":["Contacts","Accounts","Groups"],
             "information":{"Contacts":{"isEntity":true,"label":"Contacts","singular":"Contact"},
                            "Accounts":{"isEntity":true,"label":"Organizations","singular":"Organization"},
                            "Groups":{"isEntity":false,"label":"Groups","singular":"Group"}}}}""");
    private static final Reply DESCRIBE = Reply.json("""
            {"success":true,"result":{"name":"Contacts","label":"Contacts","createable":true,"updateable":true,"retrieveable":true,
             "idPrefix":"12","isEntity":true,"labelFields":"firstname,lastname","fields":[
               {"name":"firstname","label":"First Name","mandatory":false,"type":{"name":"string"},"nullable":true,"editable":true},
               {"name":"phone","label":"Office Phone","mandatory":false,"type":{"name":"phone"},"nullable":true,"editable":true},
               {"name":"account_id","label":"Organization Name","mandatory":false,"type":{"name":"reference","refersTo":["Accounts"]},"editable":true}]}}""");
    private static final Reply INVALID_SESSION = Reply.json(
            "{\"success\":false,\"error\":{\"code\":\"INVALID_SESSIONID\",\"message\":\"Session Identifier provided is Invalid\"}}");

    private final CrmContext context = CrmContext.create(new TestCrms.FakeClock(), Ticker.systemTicker());
    private FakeCrmServer server;

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
        context.close();
    }

    private CrmConnector vtiger() {
        CrmSpec spec = TestCrms.withSecrets(TestCrms.spec("vt", VtigerCrm.TYPE, Map.of("base-url", server.url("/vtigercrm/"), "allow-insecure", "true",
                "auth.username", "pbx", "auth.access-key", ACCESS_KEY)), Set.of(ACCESS_KEY));
        return CrmConnectors.connectorFor(spec, context);
    }

    private static Map<String, String> decode(String raw) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            String[] parts = pair.split("=", 2);
            parameters.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8), URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        return parameters;
    }

    private long logins() {
        return server.seen().stream().filter(s -> "POST".equals(s.method())).count();
    }

    @Test
    void objectsAreTheTypesTheUserMayUseWithTheirLabels() throws Exception {
        server = new FakeCrmServer(CHALLENGE, LOGIN_1, TYPES);
        assertEquals(List.of(new CrmObject("Contacts", "Contacts"), new CrmObject("Accounts", "Organizations"), new CrmObject("Groups", "Groups")),
                await(vtiger().objects()));
        FakeCrmServer.Seen listtypes = server.seen().get(2);
        assertEquals("GET", listtypes.method());
        assertEquals("/vtigercrm/webservice.php", listtypes.path());
        assertEquals(Map.of("operation", "listtypes", "sessionName", "sess-1"), decode(listtypes.rawQuery()));
    }

    @Test
    void fieldsAreTheDescribedFieldsWithLabelAndTypeName() throws Exception {
        server = new FakeCrmServer(CHALLENGE, LOGIN_1, DESCRIBE);
        assertEquals(List.of(new CrmField("firstname", "First Name", "string", true, true), new CrmField("phone", "Office Phone", "phone", true, true),
                new CrmField("account_id", "Organization Name", "reference", true, true)), await(vtiger().fields("Contacts")));
        assertEquals(Map.of("operation", "describe", "elementType", "Contacts", "sessionName", "sess-1"), decode(server.seen().get(2).rawQuery()));
    }

    @Test
    void anUnknownModuleFailsNamingIt() throws Exception {
        server = new FakeCrmServer(CHALLENGE, LOGIN_1,
                Reply.json("{\"success\":false,\"error\":{\"code\":\"INVALID_MODULE\",\"message\":\"Permission to perform the operation is denied\"}}"));
        assertEquals("crm vt: describe Widgets failed: INVALID_MODULE (Permission to perform the operation is denied)",
                failure(vtiger().fields("Widgets"), CrmException.Kind.CONFIG).getMessage());
        CrmException bad = failure(vtiger().fields("Contacts'--"), CrmException.Kind.CONFIG);
        assertTrue(bad.getMessage().contains("Contacts'--"), bad.getMessage());
        assertEquals(3, server.seen().size(), "a name no module has is not sent");
    }

    @Test
    void theLookupsSessionServesTheSchemaWithoutASecondLogin() throws Exception {
        server = new FakeCrmServer(CHALLENGE, LOGIN_1, Reply.json("{\"success\":true,\"result\":[]}"), TYPES, DESCRIBE);
        CrmConnector crm = vtiger();
        TestCrms.await(crm.lookup(new LookupRequest("Contacts", "phone", "+14155552671", Optional.empty(), List.of("firstname"), 1, "", "",
                Duration.ofSeconds(5), null)));
        await(crm.objects());
        await(crm.fields("Contacts"));
        assertEquals(1, logins());
        assertEquals(List.of("sess-1", "sess-1", "sess-1"), server.seen().stream().skip(2).map(s -> decode(s.rawQuery()).get("sessionName")).toList());
    }

    @Test
    void anExpiredSessionIsRenewedOnceLikeForLookups() throws Exception {
        server = new FakeCrmServer(CHALLENGE, LOGIN_1, INVALID_SESSION, CHALLENGE, LOGIN_2, DESCRIBE);
        assertEquals(3, await(vtiger().fields("Contacts")).size());
        assertEquals(2, logins());
        assertEquals("sess-2", decode(server.seen().get(5).rawQuery()).get("sessionName"));
    }
}
