package io.crmroute.crm;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.core.JsonPointer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every key of every CRM type reads a good value into its typed value, as the connector then uses
 * it. (Bad values, and http:// URLs, are checked through the config loader: {@code EveryCrmKeyTest}.)
 */
class CrmKeysTest {

    /** A good text and its typed value, by key path (whatever the type). */
    private static final Map<String, Good> GOOD = Map.ofEntries(
            entry("url", new Good("https://crm.example.com/lookup", URI.create("https://crm.example.com/lookup"))),
            entry("method", new Good("POST", "POST")),
            entry("value-pointer", new Good("/data/0/queue", JsonPointer.compile("/data/0/queue"))),
            entry("base-url", new Good("https://crm.example.com/api/", URI.create("https://crm.example.com/api/"))),
            entry("login-url", new Good("https://rest-west.bullhornstaffing.com/rest-services/login",
                    URI.create("https://rest-west.bullhornstaffing.com/rest-services/login"))),
            entry("token-lifetime", new Good("2h", Duration.ofHours(2))),
            entry("session-lifetime", new Good("90m", Duration.ofMinutes(90))),
            entry("session-ttl", new Good("30", 30)),
            entry("exact-match", new Good("false", false)),
            entry("subdomain", new Good("acme-support", "acme-support")),
            entry("auth-scheme", new Good("bearer", "bearer")),
            entry("endpoint", new Good("search", "search")),
            entry("phone-wildcard", new Good("false", false)),
            entry("platform", new Good("pbx-router", "pbx-router")),
            entry("auth.client-id", new Good("3MVG9-client", "3MVG9-client")),
            entry("auth.client-secret", new Good("s3cr3t/Value+1", "s3cr3t/Value+1")),
            entry("auth.refresh-token", new Good("1000.abc.def", "1000.abc.def")),
            entry("auth.api-token", new Good("pat-na1-xyz", "pat-na1-xyz")),
            entry("auth.username", new Good("pbx", "pbx")),
            entry("auth.password", new Good("p w d", "p w d")),
            entry("auth.access-key", new Good("k3y", "k3y")),
            entry("auth.email", new Good("agent@acme.com", "agent@acme.com")),
            entry("auth.scope", new Good("https://org.crm.dynamics.com/.default", "https://org.crm.dynamics.com/.default")),
            entry("auth.tenant-id", new Good("0a1b2c3d-aaaa-bbbb-cccc-0123456789ab", "0a1b2c3d-aaaa-bbbb-cccc-0123456789ab")),
            entry("auth.region", new Good("eu", "eu")),
            entry("ui-url", new Good("https://acme.example.com/", "https://acme.example.com")),
            entry("portal-id", new Good("62515", "62515")),
            entry("company-domain", new Good("acme", "acme")),
            entry("org-id", new Good("20071234", "20071234")),
            entry("id-pointer", new Good("/record/id", JsonPointer.compile("/record/id"))),
            entry("url-pointer", new Good("/links/self", JsonPointer.compile("/links/self"))),
            entry("record-url", new Good("https://crm.example.com/{object}/{id}", "https://crm.example.com/{object}/{id}")),
            entry("auth.token-url", new Good("https://login.example.com/oauth/token", URI.create("https://login.example.com/oauth/token"))));

    /** Where a key reads differently per type, by "type key". */
    private static final Map<String, Good> GOOD_BY_TYPE = Map.ofEntries(
            entry("file path", new Good("people.json", new FileCrm.Settings("people.json",
                    Map.of("people", List.of(new CrmRecord(Map.of("phone", "+15551230001", "vip", "true"))))))),
            entry("salesforce api-version", new Good("60.0", "v60.0")),
            entry("dynamics api-version", new Good("9.1", "v9.1")),
            entry("zoho api-version", new Good("v8", "v8")),
            entry("sugarcrm api-version", new Good("v11_5", "v11_5")));

    private record Good(String text, Object value) {}

    @TempDir
    static Path dir;

    @BeforeAll
    static void recordsFile() throws IOException {
        Files.writeString(dir.resolve("people.json"), "{\"people\": [{\"phone\": \"+15551230001\", \"vip\": true}]}");
    }

    static Stream<Arguments> everyKeyOfEveryType() {
        return CrmTypes.all().stream().flatMap(type -> type.keys().stream().map(key -> Arguments.of(type.id(), key.path())));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyKeyOfEveryType")
    void aGoodValueReadsAsItsTypedValue(String type, String path) {
        CrmKey<?> key = CrmTypes.named(type).keys().stream().filter(k -> k.path().equals(path)).findFirst().orElseThrow();
        Good good = GOOD_BY_TYPE.getOrDefault(type + " " + path, GOOD.get(path));
        assertNotNull(good, "no good value for " + type + " " + path);
        assertEquals(good.value(), key.parse(good.text(), new CrmKey.Context(dir, false)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyKeyOfEveryType")
    void aDefaultIsOfTheKeysOwnType(String type, String path) {
        CrmKey<?> key = CrmTypes.named(type).keys().stream().filter(k -> k.path().equals(path)).findFirst().orElseThrow();
        Good good = GOOD_BY_TYPE.getOrDefault(type + " " + path, GOOD.get(path));
        key.fallback().ifPresent(fallback -> assertEquals(good.value().getClass(), fallback.getClass(), "default of " + path));
    }
}
