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

/** {@code crmroute check} on routes' write actions: what a CRM cannot do is a problem, what it cannot retry safely a warning. */
class CheckActionsTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int check(String yaml) throws Exception {
        Files.writeString(dir.resolve("crm.json"), "{\"contacts\": []}");
        Path file = dir.resolve("crmroute.yaml");
        Files.writeString(file, yaml);
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute("check", "--config", file.toString());
    }

    @Test
    void anActionTheCrmCannotDoIsAProblemNamingTheActionAndTheType() throws Exception {
        assertEquals(1, check("""
                crms:
                  demo: { type: file, path: crm.json }
                routes:
                  vip:
                    crm: demo
                    object: contacts
                    field: status
                    default: { to: { queue: "100" } }
                    actions:
                      match: [ { log-call: true, subject: "Call to {dnid}" } ]
                """));
        assertTrue(err.toString().contains("routes.vip.actions.match[0]: crms.demo: type file cannot log-call"), err.toString());
    }

    @Test
    void aCreateThatIsNotRetrySafeIsAWarningAndWithAKeyFieldNone() throws Exception {
        assertEquals(0, check("""
                crms:
                  sf:
                    type: salesforce
                    base-url: https://acme.my.salesforce.com
                    auth: { client-id: 3MVG9-client, client-secret: s3cr3t }
                routes:
                  sales:
                    crm: sf
                    object: Contact
                    field: Phone
                    default: { to: { queue: "100" } }
                    actions:
                      nomatch: [ { create: Lead, set: { Phone: "{callerid}" } },
                                 { create: Case, key-field: Call_Key__c, set: { Subject: "Call from {callerid}" } } ]
                      match: [ { log-call: true, subject: "Call to {dnid}" } ]
                """), err.toString());
        assertTrue(out.toString().contains("warning: routes.sales.actions.nomatch[0]: crms.sf: a create of type salesforce is not retry-safe"
                + " without key-field"), out.toString());
        assertEquals(1, out.toString().lines().filter(line -> line.contains("warning")).count(), out.toString());
        assertTrue(out.toString().contains("OK"), out.toString());
    }
}
