package io.crmroute.crm;

import io.crmroute.crm.FakeCrmServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.crmroute.crm.TestCrms.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Dataverse's EntityDefinitions and Attributes metadata (Web API v9.2), as documented, faked on 127.0.0.1. */
class DynamicsSchemaTest {

    static final String ENTITIES = """
            {"@odata.context": "x", "value": [
              {"LogicalName": "contact", "EntitySetName": "contacts", "MetadataId": "608861bc-50a4-4c5f-a02c-21fe1943e2cf",
               "DisplayName": {"LocalizedLabels": [], "UserLocalizedLabel": {"Label": "Contact", "LanguageCode": 1033}}},
              {"LogicalName": "account", "EntitySetName": "accounts", "DisplayName": {"UserLocalizedLabel": {"Label": "Account"}}},
              {"LogicalName": "msdyn_nolabel", "EntitySetName": "msdyn_nolabels", "DisplayName": {"UserLocalizedLabel": null}}]}""";
    static final String CONTACT_SET = "{\"value\": [{\"LogicalName\": \"contact\", \"EntitySetName\": \"contacts\"}]}";
    static final String ATTRIBUTES = """
            {"value": [
              {"@odata.type": "#Microsoft.Dynamics.CRM.StringAttributeMetadata", "LogicalName": "telephone1", "AttributeType": "String",
               "IsValidForRead": true, "IsValidForAdvancedFind": {"Value": true, "CanBeChanged": false},
               "DisplayName": {"UserLocalizedLabel": {"Label": "Business Phone"}}},
              {"LogicalName": "description", "AttributeType": "Memo", "IsValidForRead": true,
               "IsValidForAdvancedFind": {"Value": false}, "DisplayName": {"UserLocalizedLabel": {"Label": "Description"}}},
              {"LogicalName": "new_salary", "AttributeType": "Money", "IsValidForRead": false,
               "IsValidForAdvancedFind": {"Value": true}, "DisplayName": {"UserLocalizedLabel": {"Label": "Salary"}}}]}""";

    private final CrmContext context = CrmContext.create(new TestCrms.FakeClock(), new TestCrms.FakeTicker());
    private FakeCrmServer api;
    private FakeCrmServer login;

    @AfterEach
    void tearDown() {
        if (api != null) api.close();
        if (login != null) login.close();
        context.close();
    }

    private CrmConnector dynamics(Reply... replies) throws Exception {
        api = new FakeCrmServer(replies);
        login = new FakeCrmServer(Reply.json("{\"token_type\": \"Bearer\", \"expires_in\": 3599, \"access_token\": \"tok-1\"}"));
        return CrmConnectors.create(TestCrms.spec("d365", DynamicsCrm.TYPE, Map.of("base-url", api.url("/"), "allow-insecure", "true",
                "auth.client-id", "app-id", "auth.client-secret", "secret", "auth.token-url", login.url("/t/oauth2/v2.0/token"))), context);
    }

    private static String query(FakeCrmServer.Seen seen) {
        return URLDecoder.decode(seen.rawQuery(), StandardCharsets.UTF_8);
    }

    @Test
    void listsEntitySetsAndAnEntitysAttributesWithAdvancedFindAsFilterable() throws Exception {
        CrmConnector crm = dynamics(Reply.json(ENTITIES), Reply.json(CONTACT_SET), Reply.json(ATTRIBUTES));

        assertEquals(List.of(new CrmObject("contacts", "Contact"), new CrmObject("accounts", "Account"),
                new CrmObject("msdyn_nolabels", "msdyn_nolabels")), crm.objects().get(5, TimeUnit.SECONDS));
        assertEquals(List.of(
                new CrmField("telephone1", "Business Phone", "String", true, true),
                new CrmField("description", "Description", "Memo", false, true),
                new CrmField("new_salary", "Salary", "Money", true, false)), crm.fields("contacts").get(5, TimeUnit.SECONDS));

        assertEquals("/api/data/v9.2/EntityDefinitions", api.seen().get(0).path());
        assertEquals("$select=LogicalName,EntitySetName,DisplayName&$filter=IsValidForAdvancedFind eq true", query(api.seen().get(0)));
        assertEquals("$select=LogicalName,EntitySetName&$filter=EntitySetName eq 'contacts'", query(api.seen().get(1)));
        assertEquals("/api/data/v9.2/EntityDefinitions(LogicalName='contact')/Attributes", api.seen().get(2).path());
        assertEquals("Bearer tok-1", api.seen().get(2).header("Authorization"));
    }

    @Test
    void anEntitySetDataverseDoesNotHaveIsAConfigFailureNamingIt() throws Exception {
        CrmConnector crm = dynamics(Reply.json("{\"value\": []}"));
        assertEquals("crm d365: no entity set contakts the CRM user can query", failure(crm.fields("contakts"), CrmException.Kind.CONFIG).getMessage());
        failure(crm.fields("contacts') or (1 eq 1"), CrmException.Kind.CONFIG);
        assertEquals(1, api.seen().size(), "a name that is no OData name is never sent");
    }
}
