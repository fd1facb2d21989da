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
import static io.crmroute.crm.SchemaTesting.field;
import static io.crmroute.crm.SchemaTesting.fieldNames;
import static io.crmroute.crm.TestCrms.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Zendesk's schema: users, organizations and tickets plus the account's custom objects; the users'
 * attributes plus {@code user_fields} (custom only), {@code ticket_fields} (system and custom).
 */
class ZendeskSchemaTest {

    private static final String TOKEN = "zdtoken6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz";
    private static final Reply USER_FIELDS = Reply.json("""
            {"user_fields":[
              {"id":7,"url":"https://acme.zendesk.com/api/v2/user_fields/7.json","key":"tier","type":"dropdown","title":"Customer tier",
               "active":true,"custom_field_options":[{"id":1,"name":"Gold","value":"gold"}]},
              {"id":8,"key":"old_code","type":"text","title":"Old code","active":false}],
             "next_page":null,"previous_page":null,"count":2}""");

    private final CrmContext context = CrmContext.create(new TestCrms.FakeClock(), Ticker.systemTicker());
    private FakeCrmServer server;

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
        context.close();
    }

    private CrmConnector zendesk() {
        CrmSpec spec = TestCrms.withSecrets(TestCrms.spec("zd", ZendeskCrm.TYPE, Map.of("base-url", server.url("/"), "allow-insecure", "true",
                "auth.email", "agent@example.com", "auth.api-token", TOKEN)), Set.of(TOKEN));
        return CrmConnectors.connectorFor(spec, context);
    }

    @Test
    void objectsAreTheStandardOnesAndTheAccountsCustomObjects() throws Exception {
        server = new FakeCrmServer(Reply.json("""
                {"custom_objects":[{"key":"car","title":"Car","title_pluralized":"Cars","raw_title":"Car"}],
                 "next_page":null,"previous_page":null,"count":1}"""));
        assertEquals(List.of(new CrmObject("users", "Users"), new CrmObject("organizations", "Organizations"),
                new CrmObject("tickets", "Tickets"), new CrmObject("car", "Cars")), await(zendesk().objects()));
        assertEquals("/api/v2/custom_objects", server.seen().get(0).path());
    }

    @Test
    void anAccountWithoutCustomObjectsListsTheStandardOnes() throws Exception {
        server = new FakeCrmServer(Reply.status(404));
        assertEquals(List.of("users", "organizations", "tickets"), SchemaTesting.objectNames(await(zendesk().objects())));
    }

    @Test
    void userFieldsAreTheAttributesThenEachActiveCustomFieldAsRetrievedAndAsSearched() throws Exception {
        server = new FakeCrmServer(USER_FIELDS);
        List<CrmField> fields = await(zendesk().fields("users"));

        assertEquals("/api/v2/user_fields", server.seen().get(0).path());
        assertEquals(new CrmField("phone", "Phone", "string", true, true), field(fields, "phone"));
        assertEquals(new CrmField("user_fields.tier", "Customer tier", "dropdown", false, true), field(fields, "user_fields.tier"));
        assertEquals(new CrmField("tier", "Customer tier", "dropdown", true, true), field(fields, "tier"));
        assertFalse(fieldNames(fields).contains("old_code"), "an inactive field is left out");
        assertFalse(fieldNames(fields).contains("user_fields.old_code"));
    }

    @Test
    void ticketFieldsNameSystemFieldsAsTheTicketDoesAndCustomOnesAsTheSearchDoes() throws Exception {
        server = new FakeCrmServer(Reply.json("""
                {"ticket_fields":[
                  {"id":1,"type":"subject","title":"Subject","active":true,"removable":false},
                  {"id":2,"type":"tickettype","title":"Type","active":true,"removable":false},
                  {"id":360001,"type":"text","title":"Order number","active":true,"removable":true}],
                 "next_page":null,"count":3}"""));
        assertEquals(List.of(new CrmField("subject", "Subject", "subject", true, true), new CrmField("type", "Type", "tickettype", true, true),
                new CrmField("custom_field_360001", "Order number", "text", true, true)), await(zendesk().fields("tickets")));
        assertEquals("/api/v2/ticket_fields", server.seen().get(0).path());
    }

    @Test
    void aNextPageOnTheSameZendeskIsFollowed() throws Exception {
        server = new FakeCrmServer(Reply.status(500));
        server.answer(Reply.json("{\"organization_fields\":[{\"key\":\"region\",\"title\":\"Region\",\"type\":\"text\",\"active\":true}],"
                + "\"next_page\":\"" + server.url("/api/v2/organization_fields.json?page=2") + "\"}"),
                Reply.json("{\"organization_fields\":[{\"key\":\"segment\",\"title\":\"Segment\",\"type\":\"text\",\"active\":true}],\"next_page\":null}"));
        List<CrmField> fields = await(zendesk().fields("organizations"));
        assertTrue(fieldNames(fields).containsAll(List.of("name", "organization_fields.region", "region", "organization_fields.segment")));
        assertEquals("page=2", server.seen().get(1).rawQuery());
    }

    @Test
    void aCustomObjectsFieldsComeFromItsFieldList() throws Exception {
        server = new FakeCrmServer(Reply.json("""
                {"custom_object_fields":[{"id":9,"key":"standard::name","title":"Name","type":"text","active":true,"system":true},
                  {"id":10,"key":"vin","title":"VIN","type":"text","active":true}]}"""));
        assertEquals(List.of("standard::name", "vin"), fieldNames(await(zendesk().fields("car"))));
        assertEquals("/api/v2/custom_objects/car/fields", server.seen().get(0).path());
    }

    @Test
    void anUnknownObjectFailsNamingIt() throws Exception {
        server = new FakeCrmServer(new Reply(404, "application/json", "{\"error\":\"RecordNotFound\",\"description\":\"Not found\"}", Map.of()));
        assertEquals("crm zd: HTTP 404 for /api/v2/custom_objects/widgets/fields: no such object",
                failure(zendesk().fields("widgets"), CrmException.Kind.HTTP_STATUS).getMessage());
        CrmException bad = failure(zendesk().fields("../users"), CrmException.Kind.CONFIG);
        assertTrue(bad.getMessage().contains("../users"), bad.getMessage());
        assertEquals(1, server.seen().size(), "a name no object has is not sent");
    }

    @Test
    void fieldsAreAskedWithTheCredentialsLookupsUse() throws Exception {
        server = new FakeCrmServer(Reply.json("{\"users\":[],\"count\":0}"), USER_FIELDS);
        CrmConnector crm = zendesk();
        TestCrms.await(crm.lookup(new LookupRequest("users", "phone", "+14155552671", Optional.empty(), List.of("name"), 1, "", "",
                Duration.ofSeconds(5), null)));
        await(crm.fields("users"));
        assertTrue(server.seen().get(0).header("Authorization").startsWith("Basic "));
        assertEquals(server.seen().get(0).header("Authorization"), server.seen().get(1).header("Authorization"));
    }

    @Test
    void refusedCredentialsAreAnAuthFailure() throws Exception {
        server = new FakeCrmServer(Reply.status(401));
        assertEquals("crm zd: HTTP 401 (credentials refused)", failure(zendesk().fields("users"), CrmException.Kind.AUTH).getMessage());
    }
}
