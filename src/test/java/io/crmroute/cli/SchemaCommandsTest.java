package io.crmroute.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code crmroute fields} and {@code crmroute check --online} as an admin runs them, against Salesforce,
 * Dataverse, HubSpot and Zoho speaking their documented metadata shapes on 127.0.0.1, the file CRM, the
 * custom http CRM (no schema) and a CRM nobody answers for.
 */
class SchemaCommandsTest {

    private static final String SF_DATA = "/services/data/v61.0";

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private FakeVendor salesforce;
    private FakeVendor dataverse;
    private Path config;
    private int closed; // a port nothing listens on

    @BeforeEach
    void vendors() throws Exception {
        salesforce = new FakeVendor();
        salesforce.answer("POST /services/oauth2/token", "{\"access_token\": \"tok\", \"instance_url\": \"{url}\", \"token_type\": \"Bearer\"}")
                .answer("GET " + SF_DATA + "/sobjects/", """
                        {"encoding": "UTF-8", "maxBatchSize": 200, "sobjects": [
                          {"name": "Account", "label": "Account", "queryable": true},
                          {"name": "Contact", "label": "Contact", "queryable": true}]}""")
                // Field-level security hides SSN__c from the integration user: describe leaves it out.
                .answer("GET " + SF_DATA + "/sobjects/Contact/describe", """
                        {"name": "Contact", "fields": [
                          {"name": "Phone", "label": "Business Phone", "type": "phone", "filterable": true},
                          {"name": "Description", "label": "Contact Description", "type": "textarea", "filterable": false},
                          {"name": "Tier__c", "label": "Tier", "type": "picklist", "filterable": true}]}""");
        dataverse = new FakeVendor();
        dataverse.answer("POST /tenant/oauth2/v2.0/token", "{\"token_type\": \"Bearer\", \"expires_in\": 3599, \"access_token\": \"tok\"}")
                .answer("GET /api/data/v9.2/EntityDefinitions?$select=LogicalName,EntitySetName,DisplayName&$filter=IsValidForAdvancedFind eq true",
                        "{\"value\": [{\"LogicalName\": \"contact\", \"EntitySetName\": \"contacts\","
                                + " \"DisplayName\": {\"UserLocalizedLabel\": {\"Label\": \"Contact\"}}}]}")
                .answer("GET /api/data/v9.2/EntityDefinitions?$select=LogicalName,EntitySetName&$filter=EntitySetName eq 'contacts'",
                        "{\"value\": [{\"LogicalName\": \"contact\", \"EntitySetName\": \"contacts\"}]}")
                .answer("GET /api/data/v9.2/EntityDefinitions(LogicalName='contact')/Attributes"
                                + "?$select=LogicalName,DisplayName,AttributeType,IsValidForRead,IsValidForAdvancedFind", """
                        {"value": [
                          {"LogicalName": "telephone1", "AttributeType": "String", "IsValidForRead": true,
                           "IsValidForAdvancedFind": {"Value": true}, "DisplayName": {"UserLocalizedLabel": {"Label": "Business Phone"}}},
                          {"LogicalName": "new_salary", "AttributeType": "Money", "IsValidForRead": false,
                           "IsValidForAdvancedFind": {"Value": true}, "DisplayName": {"UserLocalizedLabel": {"Label": "Salary"}}}]}""");
        Files.writeString(dir.resolve("crm.json"), "{\"contacts\": [{\"phone\": \"+15551230001\", \"status\": \"GOLD\"}]}");
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        config = dir.resolve("crmroute.yaml");
        Files.writeString(config, """
                crms:
                  sf:
                    type: salesforce
                    base-url: SF
                    allow-insecure: true
                    auth: { client-id: abc, client-secret: def }
                  d365:
                    type: dynamics
                    base-url: DV
                    allow-insecure: true
                    auth: { client-id: abc, client-secret: def, token-url: DV/tenant/oauth2/v2.0/token }
                  demo: { type: file, path: crm.json }
                  billing: { type: http, url: "http://127.0.0.1:CLOSED/crm", allow-insecure: true }
                  down: { type: hubspot, base-url: "http://127.0.0.1:CLOSED", allow-insecure: true, auth: { api-token: t } }
                routes:
                  vip:
                    crm: sf
                    object: Contact
                    match: { field: Phon }
                    retrieve: [SSN__c, Account.Name, phone]
                    field: Tier__c
                    rules: [ { op: "=", field: description, value: x, to: { queue: "1" } } ]
                    default: { to: { queue: "100" } }
                  notes: { crm: sf, object: Contact, match: { field: Description }, field: Tier__c, default: { to: { queue: "100" } } }
                  ghost: { crm: sf, object: Contakt, field: Phone, default: { to: { queue: "100" } } }
                  pay: { crm: d365, object: contacts, match: { field: telephone1 }, field: new_salary, default: { to: { queue: "100" } } }
                  leads: { crm: d365, object: leads, field: telephone1, default: { to: { queue: "100" } } }
                  file: { crm: demo, object: contacts, field: status, retrieve: [nickname], default: { to: { queue: "100" } } }
                  bill: { crm: billing, field: queue, default: { to: { queue: "100" } } }
                  hub: { crm: down, object: contacts, field: phone, default: { to: { queue: "100" } } }
                """.replace("SF", salesforce.url()).replace("DV", dataverse.url()).replace("CLOSED", Integer.toString(closed)));
    }

    @AfterEach
    void stop() {
        salesforce.close();
        dataverse.close();
    }

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    private List<String> errLines() {
        return err.toString().lines().map(line -> line.substring((config + ": ").length())).toList();
    }

    @Test
    void checkOnlineNamesEachProblemWithItsKeyPath() {
        assertEquals(1, run("check", "--online", "--config", config.toString()), out + "\n" + err);

        assertEquals(List.of(
                "routes.vip.match.field: \"Phon\" is not a field of Contact in crm sf",
                "routes.vip.retrieve[0]: \"SSN__c\" is not a field of Contact in crm sf",
                "routes.notes.match.field: \"Description\" of Contact in crm sf cannot be filtered on",
                "routes.ghost.object: \"Contakt\" is not an object of crm sf",
                "routes.pay.field: \"new_salary\" of contacts in crm d365 cannot be read by the CRM user",
                "routes.leads.object: \"leads\" is not an object of crm d365",
                "routes.file.retrieve[0]: \"nickname\" is not a field of contacts in crm demo",
                "crms.down: cannot be checked online: crm down: connection refused by 127.0.0.1:" + closed), errLines(), err.toString());
        assertEquals(List.of(config + ": crms.billing: not checked online: crm billing has no schema"), out.toString().lines().toList());
        assertEquals(1, salesforce.asked().stream().filter(line -> line.endsWith("/sobjects/Contact/describe")).count(),
                "Contact described once for its three routes");
    }

    /** HubSpot lists no property the token may not read; Zoho lists every field, marking those not in use as not visible. */
    @Test
    void checkOnlineAgainstHubSpotAndZoho() throws Exception {
        try (FakeVendor hubspot = new FakeVendor(); FakeVendor zoho = new FakeVendor()) {
            hubspot.answer("GET /crm/v3/schemas", "{\"results\": []}")
                    .answer("GET /crm/v3/properties/contacts", """
                            {"results": [{"name": "phone", "label": "Phone Number", "type": "string", "fieldType": "phonenumber"},
                              {"name": "lifecyclestage", "label": "Lifecycle Stage", "type": "enumeration"}]}""");
            zoho.answer("POST /oauth/v2/token", "{\"access_token\": \"tok\", \"api_domain\": \"{url}\", \"expires_in\": 3600}")
                    .answer("GET /crm/v7/settings/modules", "{\"modules\": [{\"api_name\": \"Contacts\", \"plural_label\": \"Contacts\","
                            + " \"api_supported\": true}]}")
                    .answer("GET /crm/v7/settings/fields?module=Contacts", """
                            {"fields": [{"api_name": "Phone", "field_label": "Phone", "data_type": "phone", "filterable": true, "visible": true},
                              {"api_name": "Old_Tier", "field_label": "Old tier", "data_type": "picklist", "filterable": true, "visible": false}]}""");
            Path vendors = dir.resolve("vendors.yaml");
            Files.writeString(vendors, """
                    crms:
                      hs: { type: hubspot, base-url: "HS", allow-insecure: true, auth: { api-token: pat } }
                      zoho:
                        type: zoho
                        allow-insecure: true
                        auth: { client-id: c, client-secret: s, refresh-token: r, token-url: "ZO/oauth/v2/token" }
                    routes:
                      hub: { crm: hs, object: contacts, field: lifecyclestage, retrieve: [hs_secret, firstnam], default: { to: { queue: "1" } } }
                      hubx: { crm: hs, object: contact, field: phone, default: { to: { queue: "1" } } }
                      zo: { crm: zoho, object: Contacts, match: { field: Phone }, field: Old_Tier, retrieve: [Tier], default: { to: { queue: "1" } } }
                      zox: { crm: zoho, object: Contact, field: Phone, default: { to: { queue: "1" } } }
                    """.replace("HS", hubspot.url()).replace("ZO", zoho.url()));

            assertEquals(1, run("check", "--online", "--config", vendors.toString()), out + "\n" + err);
            assertEquals(List.of(
                    "routes.hub.retrieve[0]: \"hs_secret\" is not a field of contacts in crm hs",
                    "routes.hub.retrieve[1]: \"firstnam\" is not a field of contacts in crm hs",
                    "routes.hubx.object: \"contact\" is not an object of crm hs",
                    "routes.zo.field: \"Old_Tier\" of Contacts in crm zoho cannot be read by the CRM user",
                    "routes.zo.retrieve[0]: \"Tier\" is not a field of Contacts in crm zoho",
                    "routes.zox.object: \"Contact\" is not an object of crm zoho"),
                    err.toString().lines().map(line -> line.substring((vendors + ": ").length())).toList(), err.toString());
        }
    }

    @Test
    void checkWithoutOnlineAsksNoCrm() {
        assertEquals(0, run("check", "--config", config.toString()), err.toString());
        assertEquals(List.of(), salesforce.asked());
        assertEquals(List.of(), dataverse.asked());
        assertTrue(out.toString().contains("OK (5 CRMs, 8 routes)"), out.toString());
    }

    @Test
    void fieldsListsTheObjectsThenAnObjectsFieldsAsAnAlignedTable() {
        assertEquals(0, run("fields", "--config", config.toString(), "--crm", "sf"), err.toString());
        assertEquals(List.of("NAME     LABEL", "Account  Account", "Contact  Contact"), out.toString().lines().toList());

        out.getBuffer().setLength(0);
        assertEquals(0, run("fields", "--config", config.toString(), "--crm", "d365", "--object", "contacts"), err.toString());
        assertEquals(List.of(
                "NAME        LABEL           TYPE    FILTERABLE  READABLE",
                "telephone1  Business Phone  String  yes         yes",
                "new_salary  Salary          Money   yes         no"), out.toString().lines().toList());
    }

    @Test
    void fieldsFailsWithOneClearLine() {
        assertEquals(1, run("fields", "--config", config.toString(), "--crm", "nope"));
        assertEquals(config + ": no crm named nope (crms: sf, d365, demo, billing, down)", err.toString().strip());

        err.getBuffer().setLength(0);
        assertEquals(1, run("fields", "--config", config.toString(), "--crm", "billing"));
        assertEquals("crm billing (type http) has no schema: crmroute cannot list its objects or fields", err.toString().strip());

        err.getBuffer().setLength(0);
        assertEquals(1, run("fields", "--config", config.toString(), "--crm", "down", "--object", "contacts"));
        assertEquals("crm down: connection refused by 127.0.0.1:" + closed, err.toString().strip());

        err.getBuffer().setLength(0);
        assertEquals(1, run("fields", "--config", config.toString(), "--crm", "sf", "--object", "Contakt"));
        assertEquals("crm sf: no sObject Contakt the CRM user can see", err.toString().strip());
        assertTrue(out.toString().isEmpty(), out.toString());
    }
}
