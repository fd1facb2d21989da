package io.crmroute.crm;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.crmroute.crm.TestCrms.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The file CRM's schema: its objects are the file's keys, an object's fields every key its records have. */
class FileCrmSchemaTest {

    @TempDir
    Path dir;

    private final CrmContext context = CrmContext.create();

    @AfterEach
    void tearDown() {
        context.close();
    }

    @Test
    void objectsAreTheKeysAndFieldsTheUnionOfTheRecordsKeys() throws Exception {
        Files.writeString(dir.resolve("crm.json"), """
                {"contacts": [{"phone": "+15551230001", "status": "GOLD"}, {"phone": "+15551230002", "name": "Bob"}],
                 "accounts": []}""");
        CrmConnector crm = CrmConnectors.create(TestCrms.spec("demo", FileCrm.TYPE, Map.of("path", "crm.json"), dir), context);

        assertEquals(List.of(new CrmObject("accounts", "accounts"), new CrmObject("contacts", "contacts")), crm.objects().get(5, TimeUnit.SECONDS));
        assertEquals(List.of(new CrmField("phone", "phone", "text", true, true), new CrmField("status", "status", "text", true, true),
                new CrmField("name", "name", "text", true, true)), crm.fields("contacts").get(5, TimeUnit.SECONDS));
        assertEquals(List.of(), crm.fields("accounts").get(5, TimeUnit.SECONDS));
        assertEquals("crm demo: no object \"leads\" in crm.json (it has accounts, contacts)",
                failure(crm.fields("leads"), CrmException.Kind.CONFIG).getMessage());
    }

    @Test
    void theCustomHttpCrmHasNoSchema() {
        CrmConnector crm = CrmConnectors.create(TestCrms.spec("billing", HttpCrm.TYPE, Map.of("url", "https://billing.invalid/crm")), context);
        assertEquals("crm billing: has no schema to list", failure(crm.objects(), CrmException.Kind.UNSUPPORTED).getMessage());
        failure(crm.fields("contacts"), CrmException.Kind.UNSUPPORTED);
    }
}
