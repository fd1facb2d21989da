package io.crmroute.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The commands an admin types, run as {@code crmroute ...} would run them. */
class MainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void checkAcceptsTheShippedConfig() {
        assertEquals(0, run("check", "--config", "config/crmroute.yaml"), err.toString());
        assertTrue(out.toString().contains("OK"), out.toString());
    }

    @Test
    void selftestRoutesOneCallThroughARealServerAndExitsZero() {
        assertEquals(0, run("selftest"), err.toString());
        assertTrue(out.toString().contains("selftest: ok: one call routed to queue 100"), out.toString());
    }

    @Test
    void checkNamesEveryBadKeyWithItsLineAndExitsOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("broken.yaml");
        Files.writeString(file, String.join("\n",
                "crms:",
                "  demo: { type: file, path: missing.json }",
                "routes:",
                "  vip:",
                "    crm: demo",
                "    object: contacts",
                "    field: status",
                "    tiemout: 2s",
                "    rules:",
                "      - { op: \"=~\", value: GOLD, to: { queue: \"103\" } }",
                "    default: { to: { queue: \"100\" } }",
                ""));
        assertEquals(1, run("check", "--config", file.toString()));
        List<String> lines = err.toString().lines().toList();
        assertTrue(lines.size() >= 3, err.toString());
        assertTrue(lines.stream().anyMatch(line -> line.contains("crms.demo.path") && line.contains("line 2")), err.toString());
        assertTrue(lines.stream().anyMatch(line -> line.contains("routes.vip.tiemout") && line.contains("line 8")), err.toString());
        assertTrue(lines.stream().anyMatch(line -> line.contains("routes.vip.rules[0].op") && line.contains("line 10")), err.toString());
    }

    /** Issue 8: check said OK to settings every call then failed on; now it names each one and exits 1. */
    @Test
    void checkRefusesVendorSettingsACallCouldNotUse(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("vendors.yaml");
        Files.writeString(file, String.join("\n",
                "crms:",
                "  sf:",
                "    type: salesforce",
                "    base-url: https://acme.my.salesforce.com",
                "    api-version: \"sixty\"",
                "    token-lifetime: banana",
                "    auth: { client-id: abc, client-secret: def }",
                "  vt:",
                "    type: vtiger",
                "    base-url: http://crm.example.com",
                "    session-lifetime: forever",
                "    auth: { username: pbx, access-key: k }",
                "routes:",
                "  vip:",
                "    crm: sf",
                "    object: Contact",
                "    field: Tier__c",
                "    default: { to: { queue: \"100\" } }",
                ""));
        assertEquals(1, run("check", "--config", file.toString()));
        assertEquals(List.of(
                "crms.sf.api-version (line 5): \"sixty\": expected vNN.N",
                "crms.sf.token-lifetime (line 6): \"banana\": expected a duration like 30m, 2h or 90s, at most 24h",
                "crms.vt.base-url (line 10): \"http://crm.example.com\": https required: this URL carries credentials"
                        + " (set allow-insecure: true on this CRM to allow http://)",
                "crms.vt.session-lifetime (line 11): \"forever\": expected a duration like 30m, 2h or 90s, at most 24h"),
                err.toString().lines().map(line -> line.substring((file + ": ").length())).toList(), err.toString());
        assertTrue(out.toString().isEmpty(), out.toString());
    }

    @Test
    void checkRefusesAnEmptyAllowlistAndAcceptsIpv4MappedRanges(@TempDir Path dir) throws Exception {
        Path empty = dir.resolve("empty.yaml");
        Files.writeString(empty, "server:\n  agi: { allow: [] }\nroutes: {}\n");
        assertEquals(1, run("check", "--config", empty.toString()));
        assertTrue(err.toString().contains("server.agi.allow (line 2): empty: nobody could connect"), err.toString());
        Path mapped = dir.resolve("mapped.yaml");
        Files.writeString(mapped, "server:\n  agi: { allow: [\"::ffff:127.0.0.1/128\", \"::ffff:0:0/96\"] }\nroutes: {}\n");
        assertEquals(0, run("check", "--config", mapped.toString()), err.toString());
    }

    @Test
    void simulateExplainsTheDecisionForACallerOnTheShippedConfig() {
        assertEquals(0, run("simulate", "--config", "config/crmroute.yaml", "--route", "vip", "--callerid", "15551230001"),
                err.toString());
        String text = out.toString();
        assertTrue(text.contains("CRM request: file"), text);
        assertTrue(text.contains("records found: 1"), text);
        assertTrue(text.contains("rule gold: status \"GOLD\" = \"GOLD\" -> holds"), text);
        assertTrue(text.contains("CRMROUTE_STATUS=MATCH"), text);
        assertTrue(text.contains("CRMROUTE_DEST=103"), text);
    }

    @Test
    void simulateShowsWhatAWithheldCallerGets() {
        assertEquals(0, run("simulate", "--config", "config/crmroute.yaml", "--route", "vip", "--callerid", "unknown"));
        assertTrue(out.toString().contains("caller ID withheld: no CRM asked"), out.toString());
        assertTrue(out.toString().contains("CRMROUTE_STATUS=WITHHELD"), out.toString());
    }

    @Test
    void simulateTakesDigitsForADtmfRoute() {
        assertEquals(0, run("simulate", "--config", "config/crmroute.yaml", "--route", "account", "--callerid", "15550000000",
                "--dtmf", "10001"), err.toString());
        assertTrue(out.toString().contains("CRMROUTE_DIGITS=10001"), out.toString());
    }
}
