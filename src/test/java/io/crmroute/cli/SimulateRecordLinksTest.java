package io.crmroute.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code crmroute simulate} shows the record's id and page a call would carry to the agent. */
class SimulateRecordLinksTest {

    @Test
    void simulateShowsTheRecordsIdAndPage(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("people.json"),
                "{\"contacts\": [{\"id\": \"C-42\", \"phone\": \"+15551230001\", \"status\": \"GOLD\"}]}");
        Files.writeString(dir.resolve("crmroute.yaml"), String.join("\n",
                "crms:",
                "  demo:",
                "    type: file",
                "    path: people.json",
                "    record-url: https://crm.example.com/{object}/{id}",
                "    phone: { default-country: US }",
                "routes:",
                "  vip:",
                "    crm: demo",
                "    object: contacts",
                "    retrieve: [status]",
                "    field: status",
                "    rules: [ { op: \"=\", value: GOLD, to: { queue: \"103\" } } ]",
                "    default: { to: { queue: \"100\" } }",
                ""));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));

        assertEquals(0, cli.execute("simulate", "--config", dir.resolve("crmroute.yaml").toString(), "--route", "vip",
                "--callerid", "5551230001"), err.toString());
        String text = out.toString();
        assertTrue(text.contains("CRM_contacts_status=GOLD"), text);
        assertTrue(text.contains("CRM_contacts_ID=C-42"), text);
        assertTrue(text.contains("CRM_contacts_URL=https://crm.example.com/contacts/C-42"), text);
    }
}
