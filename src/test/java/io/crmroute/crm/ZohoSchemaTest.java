package io.crmroute.crm;

import io.crmroute.crm.FakeCrmServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.crmroute.crm.TestCrms.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Zoho CRM's modules and fields metadata APIs (v7), as documented, faked on 127.0.0.1. */
class ZohoSchemaTest {

    static final String MODULES = """
            {"modules": [
              {"api_name": "Home", "module_name": "Home", "plural_label": "Home", "api_supported": false},
              {"api_name": "Contacts", "module_name": "Contacts", "singular_label": "Contact", "plural_label": "Contacts",
               "api_supported": true, "creatable": true, "editable": true, "generated_type": "default"},
              {"api_name": "Leads", "module_name": "Leads", "plural_label": "Leads", "api_supported": true}]}""";
    static final String FIELDS = """
            {"fields": [
              {"api_name": "Phone", "field_label": "Phone", "display_label": "Phone", "data_type": "phone", "json_type": "string",
               "read_only": false, "filterable": true, "searchable": true, "visible": true},
              {"api_name": "Description", "field_label": "Description", "data_type": "textarea", "filterable": false,
               "searchable": false, "visible": true},
              {"api_name": "Old_Tier", "field_label": "Old tier", "data_type": "picklist", "searchable": true, "visible": false}]}""";

    private final CrmContext context = CrmContext.create(new TestCrms.FakeClock(), new TestCrms.FakeTicker());
    private FakeCrmServer api;
    private FakeCrmServer accounts;

    @AfterEach
    void tearDown() {
        if (api != null) api.close();
        if (accounts != null) accounts.close();
        context.close();
    }

    private CrmConnector zoho(Reply... replies) throws Exception {
        api = new FakeCrmServer(replies);
        accounts = new FakeCrmServer(Reply.json("{\"access_token\": \"tok-1\", \"api_domain\": \"" + api.url("")
                + "\", \"token_type\": \"Bearer\", \"expires_in\": 3600}"));
        return CrmConnectors.create(TestCrms.spec("zoho", ZohoCrm.TYPE, Map.of("allow-insecure", "true", "auth.client-id", "1000.CLIENT",
                "auth.client-secret", "csecret", "auth.refresh-token", "1000.refresh", "auth.token-url", accounts.url("/oauth/v2/token"))), context);
    }

    @Test
    void listsTheApiModulesAndAModulesFieldsWithTheirFlags() throws Exception {
        CrmConnector crm = zoho(Reply.json(MODULES), Reply.json(FIELDS));

        assertEquals(List.of(new CrmObject("Contacts", "Contacts"), new CrmObject("Leads", "Leads")), crm.objects().get(5, TimeUnit.SECONDS));
        assertEquals(List.of(
                new CrmField("Phone", "Phone", "phone", true, true),
                new CrmField("Description", "Description", "textarea", false, true),
                new CrmField("Old_Tier", "Old tier", "picklist", true, false)), crm.fields("Contacts").get(5, TimeUnit.SECONDS));

        assertEquals("/crm/v7/settings/modules", api.seen().get(0).path());
        assertEquals("/crm/v7/settings/fields", api.seen().get(1).path());
        assertEquals("module=Contacts", api.seen().get(1).rawQuery());
        assertEquals("Zoho-oauthtoken tok-1", api.seen().get(1).header("Authorization"));
    }

    @Test
    void anUnknownModuleIsAConfigFailureNamingIt() throws Exception {
        CrmConnector crm = zoho(new Reply(400, "application/json",
                "{\"code\": \"INVALID_MODULE\", \"details\": {}, \"message\": \"the module name given seems to be invalid\", \"status\": \"error\"}",
                Map.of()));
        assertEquals("crm zoho: no module Contakts the CRM user can use", failure(crm.fields("Contakts"), CrmException.Kind.CONFIG).getMessage());
    }
}
