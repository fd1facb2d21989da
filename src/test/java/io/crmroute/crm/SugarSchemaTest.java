package io.crmroute.crm;

import com.github.benmanes.caffeine.cache.Ticker;
import io.crmroute.crm.FakeCrmServer.Reply;
import io.crmroute.testing.ManualTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static io.crmroute.crm.TestCrms.await;
import static io.crmroute.crm.SchemaTesting.field;
import static io.crmroute.crm.SchemaTesting.objectNames;
import static io.crmroute.crm.TestCrms.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SugarCRM's schema from its metadata API, filtered to the module list and to one module, with the lookups' token. */
class SugarSchemaTest {

    private static final String PASSWORD = "s3cret pass";
    private static final Reply TOKEN = Reply.json("""
            {"access_token":"tok-1","expires_in":3600,"token_type":"bearer","refresh_token":"ref-1","refresh_expires_in":1209600}""");
    private static final Reply MODULE_LIST = Reply.json("""
            {"module_list":{"Home":"Home","Accounts":"Accounts","Contacts":"Contacts","Leads":"Leads","_hash":"4d2b8e0f"},
             "_hash":"a31c"}""");
    private static final Reply CONTACTS = Reply.json("""
            {"modules":{"Contacts":{
               "fields":{"id":{"name":"id","vname":"LBL_ID","type":"id","required":true},
                         "phone_work":{"name":"phone_work","vname":"LBL_OFFICE_PHONE","type":"phone","len":100,"sortable":true},
                         "salary_c":{"name":"salary_c","vname":"LBL_SALARY","type":"currency"},
                         "_hash":"77a"},
               "acl":{"access":"yes","view":"yes","list":"yes","edit":"yes","fields":{"salary_c":{"read":"no","write":"no"}}}}},
             "_hash":"9f0"}""");

    private final CrmContext context = CrmContext.create(new TestCrms.FakeClock(), Ticker.systemTicker());
    private FakeCrmServer server;

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
        context.close();
    }

    private CrmConnector sugar() {
        return sugar(context);
    }

    private CrmConnector sugar(CrmContext in) {
        CrmSpec spec = TestCrms.withSecrets(TestCrms.spec("sugar", SugarCrm.TYPE, Map.of("base-url", server.url("/"), "allow-insecure", "true",
                "auth.username", "pbx", "auth.password", PASSWORD)), Set.of(PASSWORD));
        return CrmConnectors.connectorFor(spec, in);
    }

    private long tokenRequests() {
        return server.seen().stream().filter(s -> s.path().endsWith("/oauth2/token")).count();
    }

    @Test
    void objectsAreTheModuleList() throws Exception {
        server = new FakeCrmServer(TOKEN, MODULE_LIST);
        assertEquals(List.of("Home", "Accounts", "Contacts", "Leads"), objectNames(await(sugar().objects())));

        FakeCrmServer.Seen metadata = server.seen().get(1);
        assertEquals("GET", metadata.method());
        assertEquals("/rest/v11_20/metadata", metadata.path());
        assertEquals("type_filter=module_list", metadata.rawQuery());
        assertEquals("tok-1", metadata.header("OAuth-Token"));
    }

    @Test
    void fieldsAreTheModulesFieldsUnreadableWhereItsAclSaysSo() throws Exception {
        server = new FakeCrmServer(TOKEN, CONTACTS);
        List<CrmField> fields = await(sugar().fields("Contacts"));

        assertEquals("type_filter=modules&module_filter=Contacts", server.seen().get(1).rawQuery());
        assertEquals(List.of("id", "phone_work", "salary_c"), SchemaTesting.fieldNames(fields));
        assertEquals(new CrmField("phone_work", "phone_work", "phone", true, true), field(fields, "phone_work"));
        assertFalse(field(fields, "salary_c").readable());
    }

    @Test
    void anUnknownModuleFailsNamingIt() throws Exception {
        server = new FakeCrmServer(TOKEN, Reply.json("{\"modules\":[],\"_hash\":\"0\"}"));
        assertEquals("crm sugar: no module Widgets in SugarCRM's metadata for this user",
                failure(sugar().fields("Widgets"), CrmException.Kind.CONFIG).getMessage());
        CrmException bad = failure(sugar().fields("Contacts/../x"), CrmException.Kind.CONFIG);
        assertTrue(bad.getMessage().contains("Contacts/../x"), bad.getMessage());
    }

    @Test
    void theLookupsTokenServesTheSchemaWithoutASecondLogin() throws Exception {
        server = new FakeCrmServer(TOKEN, Reply.json("{\"next_offset\":-1,\"records\":[]}"), MODULE_LIST, CONTACTS);
        CrmConnector crm = sugar();
        TestCrms.await(crm.lookup(new LookupRequest("Contacts", "phone_work", "+14155552671", Optional.empty(), List.of("first_name"), 1, "", "",
                Duration.ofSeconds(5), null)));
        await(crm.objects());
        await(crm.fields("Contacts"));
        assertEquals(1, tokenRequests());
        assertEquals(List.of("tok-1", "tok-1", "tok-1"), server.seen().stream().skip(1).map(s -> s.header("OAuth-Token")).toList());
    }

    @Test
    void aRefusedTokenIsRenewedOnceLikeForLookups() throws Exception {
        server = new FakeCrmServer(TOKEN, new Reply(401, "application/json", "{\"error\":\"invalid_grant\"}", Map.of()),
                Reply.json("{\"access_token\":\"tok-2\",\"expires_in\":3600,\"refresh_token\":\"ref-2\"}"), MODULE_LIST);
        assertEquals(4, await(sugar().objects()).size());
        assertEquals("tok-2", server.seen().get(3).header("OAuth-Token"));
    }

    @Test
    void aSilentCrmFailsAtItsTimeoutAndNotBefore() throws Exception {
        server = new FakeCrmServer(TOKEN, Reply.never());
        ManualTime time = new ManualTime();
        try (CrmContext driven = TestCrms.drivenBy(time)) {
            CompletableFuture<List<CrmField>> fields = sugar(driven).fields("Contacts");
            server.awaitRequests(2);
            time.advance(CrmSpec.DEFAULT_TIMEOUT.minusMillis(1));
            assertFalse(fields.isDone(), "nothing ends before the CRM's timeout");
            time.advance(Duration.ofMillis(1));
            failure(fields, CrmException.Kind.TIMEOUT);
        }
    }
}
