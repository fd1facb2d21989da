package io.crmroute.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An admin's broken config: every mistake is reported at once, each at its key path and line. */
class BrokenConfigTest {

    @TempDir
    Path dir;

    private static final String BROKEN = String.join("\n",
            "server:",                                              // 1
            "  agi:",                                               // 2
            "    allow: [127.0.0.1/32, 10.0.0.0/33]",               // 3  bad CIDR
            "crms:",                                                // 4
            "  billing:",                                           // 5
            "    type: http",                                       // 6
            "    url: http://billing.example.com/crm",              // 7  http without allow-insecure
            "    headers: { X-Api-Key: \"${BILLING_KEY}\" }",       // 8  unset variable
            "routes:",                                              // 9
            "  vip:",                                               // 10
            "    crm: billing",                                     // 11
            "    field: status",                                    // 12
            "    default: { to: { extension: 100 } }",              // 13
            "    tiemout: 2s",                                      // 14 unknown key
            "    rules:",                                           // 15
            "      - { op: \"=\", value: GOLD, to: { queue: 103 } }",         // 16
            "      - { op: \"=~\", value: SILVER, to: { queue: 104 } }",      // 17 bad op
            "      - { op: \">\", value: 1, to: { queue: 1, ivr: 2 } }",     // 18 two destinations
            "  account:",                                           // 19 default missing, dtmf missing
            "    crm: nowhere",                                     // 20 crm not defined
            "    object: contacts",                                 // 21
            "    match: { field: account, from: dtmf }",            // 22
            "    field: status",                                    // 23
            "    timeout: 2 seconds",                               // 24 bad duration
            "");

    @Test
    void everyBadKeyIsOneProblemWithPathAndLine() {
        ConfigResult result = ConfigLoader.parse(BROKEN, dir, Map.of());

        assertFalse(result.config().isPresent());
        Map<String, ConfigProblem> byPath = result.problems().stream()
                .collect(Collectors.toMap(ConfigProblem::path, problem -> problem));
        assertEquals(List.of(
                "server.agi.allow[1]",
                "crms.billing.url",
                "crms.billing.headers.X-Api-Key",
                "routes.vip.tiemout",
                "routes.vip.rules[1].op",
                "routes.vip.rules[2].to",
                "routes.account.dtmf",      // missing keys are reported on the line of the map that lacks them
                "routes.account.default",
                "routes.account.crm",
                "routes.account.timeout"),
                result.problems().stream().map(ConfigProblem::path).collect(Collectors.toList()),
                () -> result.problems().toString());
        assertLine(3, byPath.get("server.agi.allow[1]"), "\"10.0.0.0/33\": expected an address range");
        assertLine(7, byPath.get("crms.billing.url"), "\"http://billing.example.com/crm\": https required: this URL carries credentials (set allow-insecure: true on this CRM to allow http://)");
        assertLine(8, byPath.get("crms.billing.headers.X-Api-Key"), "environment variable BILLING_KEY is not set");
        assertLine(14, byPath.get("routes.vip.tiemout"), "unknown key \"tiemout\"");
        assertLine(17, byPath.get("routes.vip.rules[1].op"), "unknown operator \"=~\" (expected one of =, !=, <, >, <=, >=)");
        assertLine(18, byPath.get("routes.vip.rules[2].to"), "expected exactly one of queue, ivr, recording, extension (found queue, ivr)");
        assertLine(19, byPath.get("routes.account.dtmf"), "required when match.from is dtmf");
        assertLine(19, byPath.get("routes.account.default"), "missing (required");
        assertLine(20, byPath.get("routes.account.crm"), "\"nowhere\" is not defined under crms (defined: billing)");
        assertLine(24, byPath.get("routes.account.timeout"), "expected a duration like 400ms, 2s or 1m");
    }

    @Test
    void problemsPrintAsCheckShowsThem() {
        ConfigProblem problem = ConfigLoader.parse(BROKEN, dir, Map.of()).problems().stream()
                .filter(p -> p.path().equals("routes.vip.rules[1].op")).findFirst().orElseThrow();
        assertEquals("routes.vip.rules[1].op (line 17): unknown operator \"=~\" (expected one of =, !=, <, >, <=, >=)", problem.toString());
    }

    @Test
    void yamlSyntaxErrorIsAProblemWithItsLine() {
        ConfigResult result = ConfigLoader.parse("routes:\n  vip:\n    crm: demo\n   field: [status\n", dir, Map.of());
        assertEquals(1, result.problems().size(), result.problems()::toString);
        ConfigProblem problem = result.problems().get(0);
        assertEquals("config", problem.path());
        assertTrue(problem.line().isPresent());
        assertTrue(problem.message().startsWith("YAML syntax: "), problem.message());
    }

    @Test
    void duplicateKeyIsReportedAtItsSecondLine() {
        ConfigResult result = ConfigLoader.parse("server:\n  http: { port: 1 }\n  http: { port: 2 }\n", dir, Map.of());
        assertEquals(List.of(new ConfigProblem("server.http", OptionalInt.of(3), "duplicate key \"http\"")), result.problems());
    }

    @Test
    void aSecondDocumentIsAProblem() {
        ConfigResult result = ConfigLoader.parse("server: {}\n---\nroutes: {}\n", dir, Map.of());
        assertEquals(List.of(new ConfigProblem("config", OptionalInt.of(3), "a second YAML document; a config is one document")),
                result.problems());
    }

    @Test
    void emptyFileIsAProblem() {
        ConfigResult result = ConfigLoader.parse("# nothing here\n", dir, Map.of());
        assertEquals("expected a map with server, crms and routes (the file is empty)", result.problems().get(0).message());
    }

    @Test
    void missingFileIsAProblem() {
        ConfigResult result = ConfigLoader.load(dir.resolve("nope.yaml"), Map.of());
        assertEquals("nope.yaml", result.problems().get(0).path());
        assertTrue(result.problems().get(0).message().startsWith("no such file"));
    }

    private static void assertLine(int line, ConfigProblem problem, String messagePart) {
        assertEquals(OptionalInt.of(line), problem.line(), problem::toString);
        assertTrue(problem.message().contains(messagePart), () -> problem + " should say " + messagePart);
    }
}
