package io.crmroute.config;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmroute.crm.CrmKey;
import io.crmroute.crm.CrmType;
import io.crmroute.crm.CrmTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every key of every CRM type, through the loader {@code crmroute check} uses: a bad value is one
 * problem naming exactly that key path and its line, and every URL that carries credentials is
 * https only unless the CRM says {@code allow-insecure: true}. The good values' typed results are
 * checked beside the connectors ({@code io.crmroute.crm.CrmKeysTest}).
 */
class EveryCrmKeyTest {

    /** The least each type needs, by key path. */
    private static final Map<String, Map<String, String>> MINIMAL = Map.ofEntries(
            entry("file", Map.of("path", "people.json")),
            entry("http", Map.of("url", "https://crm.example.com/lookup")),
            entry("salesforce", Map.of("base-url", "https://acme.my.salesforce.com", "auth.client-id", "id", "auth.client-secret", "s")),
            entry("hubspot", Map.of("auth.api-token", "pat")),
            entry("dynamics", Map.of("base-url", "https://org.crm.dynamics.com", "auth.client-id", "id", "auth.client-secret", "s",
                    "auth.tenant-id", "contoso.onmicrosoft.com")),
            entry("pipedrive", Map.of("auth.api-token", "t")),
            entry("zendesk", Map.of("subdomain", "acme", "auth.email", "agent@acme.com", "auth.api-token", "t")),
            entry("zoho", Map.of("auth.client-id", "id", "auth.client-secret", "s", "auth.refresh-token", "r")),
            entry("sugarcrm", Map.of("base-url", "https://sugar.example.com", "auth.username", "pbx", "auth.password", "p")),
            entry("suitecrm", Map.of("base-url", "https://suite.example.com/legacy", "auth.client-id", "id", "auth.client-secret", "s")),
            entry("vtiger", Map.of("base-url", "https://vtiger.example.com", "auth.username", "pbx", "auth.access-key", "k")),
            entry("bullhorn", Map.of("auth.client-id", "id", "auth.client-secret", "s", "auth.refresh-token", "r")));

    /** A value each key refuses, by key path (whatever the type). */
    private static final Map<String, String> BAD = Map.ofEntries(
            entry("path", "missing.json"),
            entry("url", "ftp://crm.example.com/lookup"),
            entry("method", "PUT"),
            entry("value-pointer", "data/queue"),
            entry("base-url", "crm.example.com"),
            entry("login-url", "not a url"),
            entry("api-version", "sixty"),
            entry("token-lifetime", "banana"),
            entry("session-lifetime", "forever"),
            entry("session-ttl", "0"),
            entry("exact-match", "yes"),
            entry("subdomain", "Acme Corp"),
            entry("auth-scheme", "digest"),
            entry("endpoint", "tickets"),
            entry("phone-wildcard", "maybe"),
            entry("platform", "pbx router"),
            entry("auth.client-id", ""),
            entry("auth.client-secret", ""),
            entry("auth.refresh-token", ""),
            entry("auth.api-token", "two\nlines"),
            entry("auth.username", ""),
            entry("auth.password", ""),
            entry("auth.access-key", ""),
            entry("auth.email", ""),
            entry("auth.scope", ""),
            entry("auth.tenant-id", "../evil"),
            entry("auth.region", "mars"),
            entry("ui-url", "javascript:alert(1)"),
            entry("portal-id", "acme"),
            entry("company-domain", "Acme Inc"),
            entry("org-id", "org123"),
            entry("id-pointer", "id"),
            entry("url-pointer", "links/self"),
            entry("record-url", "https://crm.example.com/contacts"),
            entry("auth.token-url", "/oauth/token"));

    /** Keys naming a URL crmroute sends credentials to. */
    private static final Set<String> CREDENTIAL_URLS = Set.of("url", "base-url", "login-url", "auth.token-url");

    @TempDir
    Path dir;

    @BeforeEach
    void recordsFile() throws IOException {
        Files.writeString(dir.resolve("people.json"), "{\"people\": [{\"phone\": \"+15551230001\"}]}");
    }

    static Stream<Arguments> everyKeyOfEveryType() {
        return CrmTypes.all().stream().flatMap(type -> type.keys().stream().map(key -> Arguments.of(type.id(), key.path())));
    }

    static Stream<String> everyType() {
        return CrmTypes.all().stream().map(CrmType::id);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyType")
    void theLeastATypeNeedsIsValid(String type) {
        Map<String, String> minimal = MINIMAL.get(type);
        assertNotNull(minimal, "no minimal entry for " + type);
        assertEquals(List.of(), load(Entry.of(type, minimal)).problems());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyKeyOfEveryType")
    void aBadValueIsOneProblemAtItsKeyPathAndLine(String type, String key) {
        String bad = BAD.get(key);
        assertNotNull(bad, "no bad value for " + key);
        Map<String, String> keys = new LinkedHashMap<>(MINIMAL.get(type));
        keys.put(key, bad);
        Entry entry = Entry.of(type, keys);
        List<ConfigProblem> problems = load(entry).problems();
        assertEquals(1, problems.size(), problems::toString);
        assertEquals("crms.c." + key, problems.get(0).path());
        assertEquals(OptionalInt.of(entry.lineOf(key)), problems.get(0).line());
        CrmKey<?> declared = CrmTypes.named(type).keys().stream().filter(k -> k.path().equals(key)).findFirst().orElseThrow();
        String message = problems.get(0).message();
        if (declared.isSecret()) {
            // A credential is never repeated, even when it is wrong.
            assertTrue(message.startsWith("expected"), message);
            assertFalse(!bad.isEmpty() && message.contains(bad.substring(0, 3)), message);
        } else {
            assertTrue(message.startsWith("\"" + Names.shown(bad) + "\": "), message);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyType")
    void everyUrlThatCarriesCredentialsIsHttpsUnlessAllowedInsecure(String type) {
        List<String> urls = new ArrayList<>();
        for (CrmKey<?> key : CrmTypes.named(type).keys()) if (CREDENTIAL_URLS.contains(key.path())) urls.add(key.path());
        if (!type.equals("file")) assertFalse(urls.isEmpty(), type + " sends credentials somewhere");
        for (String url : urls) {
            Map<String, String> keys = new LinkedHashMap<>(MINIMAL.get(type));
            keys.put(url, "http://crm.example.com/x");
            Entry entry = Entry.of(type, keys);
            List<ConfigProblem> problems = load(entry).problems();
            assertEquals(List.of("crms.c." + url + " (line " + entry.lineOf(url) + "): \"http://crm.example.com/x\": https required:"
                    + " this URL carries credentials (set allow-insecure: true on this CRM to allow http://)"),
                    problems.stream().map(ConfigProblem::toString).toList());

            keys.put("allow-insecure", "true");
            assertEquals(List.of(), load(Entry.of(type, keys)).problems(), "allow-insecure lets " + url + " be http://");
        }
    }

    private ConfigResult load(Entry entry) {
        return ConfigLoader.parse(entry.yaml(), dir, Map.of());
    }

    /** One CRM named {@code c} written as YAML, one key a line, and the line of each key. */
    private record Entry(String yaml, Map<String, Integer> lines) {

        static Entry of(String type, Map<String, String> keys) {
            List<String> text = new ArrayList<>(List.of("crms:", "  c:", "    type: " + type));
            Map<String, Integer> lines = new HashMap<>();
            keys.forEach((key, value) -> {
                if (key.startsWith("auth.")) return;
                text.add("    " + key + ": " + quoted(value));
                lines.put(key, text.size());
            });
            if (keys.keySet().stream().anyMatch(key -> key.startsWith("auth."))) text.add("    auth:");
            keys.forEach((key, value) -> {
                if (!key.startsWith("auth.")) return;
                text.add("      " + key.substring("auth.".length()) + ": " + quoted(value));
                lines.put(key, text.size());
            });
            return new Entry(String.join("\n", text) + "\n", lines);
        }

        int lineOf(String key) {
            return lines.get(key);
        }

        private static String quoted(String value) {
            return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
        }
    }
}
