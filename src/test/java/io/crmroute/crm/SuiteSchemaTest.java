package io.crmroute.crm;

import com.github.benmanes.caffeine.cache.Ticker;
import io.crmroute.crm.FakeCrmServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.crmroute.crm.TestCrms.await;
import static io.crmroute.crm.TestCrms.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SuiteCRM's schema from the V8 meta routes, with the lookups' Bearer token. */
class SuiteSchemaTest {

    private static final String SECRET = "client s3cret";
    private static final Reply TOKEN = Reply.json("{\"token_type\":\"Bearer\",\"expires_in\":3600,\"access_token\":\"tok-1\"}");
    private static final Reply MODULES = api("""
            {"data":{"type":"modules","attributes":{
               "Accounts":{"label":"Accounts","access":["access","delete","edit","export","import","list","massupdate","view"]},
               "Contacts":{"label":"Contacts","access":["access","edit","list","view"]}}}}""");
    private static final Reply CONTACT_FIELDS = api("""
            {"data":{"type":"fields","attributes":{
               "id":{"type":"id","dbType":"id","required":true},
               "phone_work":{"type":"phone","dbType":"varchar","len":100,"required":false},
               "account_name":{"type":"relate","source":"non-db","relationship":"accounts_contacts"}}}}""");

    private final CrmContext context = CrmContext.create(new TestCrms.FakeClock(), Ticker.systemTicker());
    private FakeCrmServer server;

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
        context.close();
    }

    private static Reply api(String body) {
        return new Reply(200, SuiteCrm.MEDIA_TYPE, body, Map.of());
    }

    private CrmConnector suite(String basePath) {
        CrmSpec spec = TestCrms.withSecrets(TestCrms.spec("suite", SuiteCrm.TYPE, Map.of("base-url", server.url(basePath), "allow-insecure", "true",
                "auth.client-id", "crmroute-client", "auth.client-secret", SECRET)), Set.of(SECRET));
        return CrmConnectors.connectorFor(spec, context);
    }

    @Test
    void objectsAreTheModulesTheUserMayReachWithTheirLabels() throws Exception {
        server = new FakeCrmServer(TOKEN, MODULES);
        assertEquals(List.of(new CrmObject("Accounts", "Accounts"), new CrmObject("Contacts", "Contacts")), await(suite("").objects()));

        FakeCrmServer.Seen meta = server.seen().get(1);
        assertEquals("GET", meta.method());
        assertEquals("/Api/V8/meta/modules", meta.path());
        assertEquals("Bearer tok-1", meta.header("Authorization"));
        assertEquals(SuiteCrm.MEDIA_TYPE, meta.header("Accept"));
    }

    @Test
    void fieldsAreTheModulesFieldsWithTheirTypeAndNoLabel() throws Exception {
        server = new FakeCrmServer(TOKEN, CONTACT_FIELDS);
        assertEquals(List.of(new CrmField("id", null, "id", true, true), new CrmField("phone_work", null, "phone", true, true),
                new CrmField("account_name", null, "relate", true, true)), await(suite("/legacy").fields("Contacts")));
        assertEquals("/legacy/Api/V8/meta/fields/Contacts", server.seen().get(1).path());
    }

    @Test
    void anUnknownModuleFailsNamingIt() throws Exception {
        server = new FakeCrmServer(TOKEN, new Reply(400, SuiteCrm.MEDIA_TYPE,
                "{\"errors\":{\"status\":400,\"title\":null,\"detail\":\"Module Widgets does not exist\"}}", Map.of()));
        CrmConnector crm = suite("");
        assertEquals("crm suite: fields of Widgets: HTTP 400: Module Widgets does not exist",
                failure(crm.fields("Widgets"), CrmException.Kind.HTTP_STATUS).getMessage());
        server.answer(api("{\"data\":{\"type\":\"fields\",\"attributes\":{}}}"));
        assertEquals("crm suite: no module Gadgets in SuiteCRM's metadata", failure(crm.fields("Gadgets"), CrmException.Kind.CONFIG).getMessage());
        server.answer(api("{\"data\":{\"type\":\"fields\",\"attributes\":[]}}"));
        failure(crm.fields("Gadgets"), CrmException.Kind.CONFIG);
    }

    @Test
    void theLookupsTokenServesTheSchemaWithoutASecondLogin() throws Exception {
        server = new FakeCrmServer(TOKEN, api("{\"data\":[]}"), MODULES);
        CrmConnector crm = suite("");
        TestCrms.await(crm.lookup(new LookupRequest("Contacts", "phone_work", "+14155552671", Optional.empty(), List.of("first_name"), 1, "", "",
                Duration.ofSeconds(5), null)));
        await(crm.objects());
        assertEquals(1, server.seen().stream().filter(s -> s.path().equals("/Api/access_token")).count());
        assertEquals("Bearer tok-1", server.seen().get(2).header("Authorization"));
    }

    @Test
    void aBadModuleNameIsNotSent() throws Exception {
        server = new FakeCrmServer(TOKEN);
        CrmException e = failure(suite("").fields("Contacts?x=1"), CrmException.Kind.CONFIG);
        assertTrue(e.getMessage().contains("Contacts?x=1"), e.getMessage());
        assertTrue(server.seen().isEmpty());
    }
}
