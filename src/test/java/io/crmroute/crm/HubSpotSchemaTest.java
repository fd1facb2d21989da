package io.crmroute.crm;

import io.crmroute.crm.FakeCrmServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.crmroute.crm.TestCrms.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HubSpot's object schemas and properties APIs (CRM v3), as documented, faked on 127.0.0.1. */
class HubSpotSchemaTest {

    static final String SCHEMAS = """
            {"results": [{"id": "123456", "name": "cars", "objectTypeId": "2-123456", "fullyQualifiedName": "p7878787_cars",
              "labels": {"singular": "Car", "plural": "Cars"}, "primaryDisplayProperty": "model",
              "searchableProperties": ["model"], "properties": []}]}""";
    static final String PROPERTIES = """
            {"results": [
              {"name": "phone", "label": "Phone Number", "type": "string", "fieldType": "phonenumber", "groupName": "contactinformation",
               "hidden": false, "hasUniqueValue": false, "modificationMetadata": {"readOnlyValue": false}},
              {"name": "lifecyclestage", "label": "Lifecycle Stage", "type": "enumeration", "fieldType": "radio", "options": []}]}""";

    private final CrmContext context = CrmContext.create(new TestCrms.FakeClock(), new TestCrms.FakeTicker());
    private FakeCrmServer server;

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
        context.close();
    }

    private CrmConnector hubspot(Reply... replies) throws Exception {
        server = new FakeCrmServer(replies);
        return CrmConnectors.create(TestCrms.spec("hs", HubSpotCrm.TYPE,
                Map.of("base-url", server.url("/"), "allow-insecure", "true", "auth.api-token", "pat-na1-token")), context);
    }

    @Test
    void listsTheStandardTypesAndTheCustomObjectsAndAnObjectsProperties() throws Exception {
        CrmConnector crm = hubspot(Reply.json(SCHEMAS), Reply.json(PROPERTIES));

        List<CrmObject> objects = crm.objects().get(5, TimeUnit.SECONDS);
        assertEquals(new CrmObject("contacts", "Contacts"), objects.get(0));
        assertTrue(objects.contains(new CrmObject("companies", "Companies")));
        assertEquals(new CrmObject("2-123456", "Cars"), objects.get(objects.size() - 1));
        assertEquals(List.of(new CrmField("phone", "Phone Number", "string", true, true),
                new CrmField("lifecyclestage", "Lifecycle Stage", "enumeration", true, true)), crm.fields("contacts").get(5, TimeUnit.SECONDS));

        assertEquals("/crm/v3/schemas", server.seen().get(0).path());
        assertEquals("/crm/v3/properties/contacts", server.seen().get(1).path());
        assertEquals("Bearer pat-na1-token", server.seen().get(1).header("Authorization"));
    }

    @Test
    void anObjectTypeHubSpotCannotResolveIsAConfigFailureNamingIt() throws Exception {
        CrmConnector crm = hubspot(new Reply(400, "application/json",
                "{\"status\": \"error\", \"message\": \"Unable to infer object type from: contakts\", \"category\": \"VALIDATION_ERROR\"}", Map.of()));
        assertEquals("crm hs: no object type contakts", failure(crm.fields("contakts"), CrmException.Kind.CONFIG).getMessage());
    }

    @Test
    void aRefusedTokenIsAnAuthFailure() throws Exception {
        CrmConnector crm = hubspot(Reply.status(401));
        failure(crm.objects(), CrmException.Kind.AUTH);
    }
}
