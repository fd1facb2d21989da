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
import static io.crmroute.crm.SchemaTesting.fieldNames;
import static io.crmroute.crm.SchemaTesting.objectNames;
import static io.crmroute.crm.TestCrms.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pipedrive's schema: the fixed item types, and each one's v1 field list with {@code filtering_allowed}. */
class PipedriveSchemaTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef01234567";
    private static final Reply PAGE_1 = Reply.json("""
            {"success":true,"data":[
              {"id":1,"key":"name","name":"Name","field_type":"varchar","filtering_allowed":true,"searchable_flag":true,"edit_flag":false},
              {"id":2,"key":"phone","name":"Phone","field_type":"phone","filtering_allowed":true,"searchable_flag":true,"edit_flag":false}],
             "additional_data":{"start":0,"limit":2,"more_items_in_collection":true,"next_start":2}}""");
    private static final Reply PAGE_2 = Reply.json("""
            {"success":true,"data":[
              {"id":3,"key":"9dc80c50d78a15643bfc4ca79d76156a73a1ca0e","name":"Customer tier","field_type":"enum",
               "filtering_allowed":true,"options":[{"id":11,"label":"Gold"}]},
              {"id":4,"key":"picture_id","name":"Profile picture","field_type":"picture","filtering_allowed":false}],
             "additional_data":{"start":2,"limit":2,"more_items_in_collection":false}}""");

    private final CrmContext context = CrmContext.create(new TestCrms.FakeClock(), Ticker.systemTicker());
    private FakeCrmServer server;

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
        context.close();
    }

    private CrmConnector pipedrive() {
        return pipedrive(context);
    }

    private CrmConnector pipedrive(CrmContext in) {
        CrmSpec spec = TestCrms.withSecrets(TestCrms.spec("pd", PipedriveCrm.TYPE,
                Map.of("base-url", server.url(""), "allow-insecure", "true", "auth.api-token", TOKEN)), Set.of(TOKEN));
        return CrmConnectors.connectorFor(spec, in);
    }

    @Test
    void theObjectsAreTheItemTypesTheSearchTakesAskedOfNobody() throws Exception {
        server = new FakeCrmServer(Reply.status(500));
        assertEquals(List.of("persons", "organizations", "deals", "products"), objectNames(await(pipedrive().objects())));
        assertTrue(server.seen().isEmpty());
    }

    @Test
    void fieldsAreReadPageByPageWithTheirFilterFlag() throws Exception {
        server = new FakeCrmServer(PAGE_1, PAGE_2);
        List<CrmField> fields = await(pipedrive().fields("persons"));

        assertEquals(List.of("/v1/personFields", "/v1/personFields"), server.seen().stream().map(FakeCrmServer.Seen::path).toList());
        assertEquals("start=0&limit=500", server.seen().get(0).rawQuery());
        assertEquals("start=2&limit=500", server.seen().get(1).rawQuery());
        assertEquals(TOKEN, server.seen().get(0).header("x-api-token"));
        assertEquals(List.of(new CrmField("name", "Name", "varchar", true, true), new CrmField("phone", "Phone", "phone", true, true),
                new CrmField("9dc80c50d78a15643bfc4ca79d76156a73a1ca0e", "Customer tier", "enum", true, true),
                new CrmField("picture_id", "Profile picture", "picture", false, true)), fields);
    }

    @Test
    void eachItemTypeHasItsOwnFieldList() throws Exception {
        server = new FakeCrmServer(PAGE_2);
        assertEquals(2, await(pipedrive().fields("organizations")).size());
        assertEquals("/v1/organizationFields", server.seen().get(0).path());
    }

    @Test
    void anUnknownObjectFailsNamingItWithoutAsking() throws Exception {
        server = new FakeCrmServer(PAGE_1);
        CrmException e = failure(pipedrive().fields("widgets"), CrmException.Kind.CONFIG);
        assertTrue(e.getMessage().contains("widgets"), e.getMessage());
        assertTrue(server.seen().isEmpty());
    }

    @Test
    void fieldsUseTheTokenLookupsUse() throws Exception {
        server = new FakeCrmServer(Reply.json("{\"success\":true,\"data\":{\"items\":[]}}"), PAGE_2);
        CrmConnector crm = pipedrive();
        TestCrms.await(crm.lookup(new LookupRequest("persons", "phone", "+14155552671", Optional.empty(), List.of("name"), 1, "", "",
                Duration.ofSeconds(5), null)));
        assertEquals(List.of("9dc80c50d78a15643bfc4ca79d76156a73a1ca0e", "picture_id"), fieldNames(await(crm.fields("persons"))));
        assertEquals(server.seen().get(0).header("x-api-token"), server.seen().get(1).header("x-api-token"));
    }

    @Test
    void aRefusalInAnOkReplyIsAFailureOfItsKind() throws Exception {
        server = new FakeCrmServer(Reply.json("{\"success\":false,\"error\":\"unauthorized access\",\"errorCode\":401}"));
        assertEquals("crm pd: success:false: unauthorized access", failure(pipedrive().fields("deals"), CrmException.Kind.AUTH).getMessage());
        assertEquals("/v1/dealFields", server.seen().get(0).path());
    }

    @Test
    void aSilentCrmFailsAtItsTimeoutAndNotBefore() throws Exception {
        server = new FakeCrmServer(Reply.never());
        ManualTime time = new ManualTime();
        try (CrmContext driven = TestCrms.drivenBy(time)) {
            CompletableFuture<List<CrmField>> fields = pipedrive(driven).fields("persons");
            server.awaitRequests(1);
            time.advance(CrmSpec.DEFAULT_TIMEOUT.minusMillis(1));
            assertFalse(fields.isDone(), "nothing ends before the CRM's timeout");
            time.advance(Duration.ofMillis(1));
            failure(fields, CrmException.Kind.TIMEOUT);
        }
    }
}
