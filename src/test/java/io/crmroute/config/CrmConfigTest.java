package io.crmroute.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmroute.crm.CacheSpec;
import io.crmroute.crm.CrmSpec;
import io.crmroute.crm.PhoneMatching;
import io.crmroute.crmhttp.EndpointSettings;
import io.crmroute.crmhttp.ProxyAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Entries under crms: as admins write them, with secrets from the environment. */
class CrmConfigTest {

    @TempDir
    Path dir;

    private static final String BILLING = String.join("\n",
            "crms:",
            "  billing:",
            "    type: http",
            "    url: https://${BILLING_HOST}/crm",
            "    headers:",
            "      Authorization: \"Bearer ${BILLING_TOKEN}\"",
            "      X-Tenant: acme",
            "    timeout: 2s",
            "  hub:",
            "    type: hubspot",
            "    auth: { api-token: \"${HUB_TOKEN}\" }",
            "routes:",
            "  billing:",
            "    crm: billing",
            "    field: queue",
            "    default: { to: { queue: 100 } }",
            "");

    private static final Map<String, String> ENV = Map.of("BILLING_HOST", "billing.example.com",
            "BILLING_TOKEN", "s3cr3t-token", "HUB_TOKEN", "pat-na1-xyz");

    @Test
    void environmentIsSubstitutedWholeAndEmbedded() {
        CrmSpec billing = load(BILLING, ENV).crms().get("billing");
        assertEquals(Map.of("Authorization", "Bearer s3cr3t-token", "X-Tenant", "acme"), billing.headers());
        assertEquals(Duration.ofSeconds(2), billing.timeout());
    }

    @Test
    void everyValueFromTheEnvironmentIsASecretOfItsOwnCrm() {
        CrmrouteConfig config = load(BILLING, ENV);
        CrmSpec billing = config.crms().get("billing");
        assertEquals(Set.of("billing.example.com", "s3cr3t-token"), billing.secrets());
        assertEquals(Set.of("pat-na1-xyz"), config.crms().get("hub").secrets());
        assertEquals("GET https://****/crm Authorization: Bearer ****",
                billing.mask("GET https://billing.example.com/crm Authorization: Bearer s3cr3t-token"));
    }

    @Test
    void httpCrmDefaultsAndRouteObject() {
        CrmrouteConfig config = load(BILLING, ENV);
        CrmSpec billing = config.crms().get("billing");
        assertEquals("http", billing.type().id());
        assertFalse(billing.allowInsecure());
        assertEquals("billing", config.routes().get("billing").object(), "an http CRM's route object defaults to the CRM's name");
    }

    @Test
    void unsetVariableNamesKeyAndVariableButNoValue() {
        ConfigResult result = ConfigLoader.parse(BILLING, dir, Map.of("BILLING_HOST", "billing.example.com", "HUB_TOKEN", "pat-na1-xyz"));
        assertEquals(1, result.problems().size(), result.problems()::toString);
        assertEquals("crms.billing.headers.Authorization (line 6): environment variable BILLING_TOKEN is not set",
                result.problems().get(0).toString());
    }

    @Test
    void valuesFromTheEnvironmentNeverAppearInProblems() {
        ConfigResult result = ConfigLoader.parse("crms:\n  sf:\n    type: salesforce\n    base-url: \"${SF_URL}\"\n    auth: { client-id: a, client-secret: b }\n",
                dir, Map.of("SF_URL", "not-a-url-hunter2"));
        assertEquals("crms.sf.base-url (line 4): \"****\": expected an absolute https:// URL", result.problems().get(0).toString());
    }

    @Test
    void httpNeedsHttpsUnlessAllowedInsecure() {
        String yaml = "crms:\n  local:\n    type: http\n    url: http://127.0.0.1:9000/crm\n    allow-insecure: true\n    method: POST\n"
                + "    value-pointer: /data/queue\n";
        CrmSpec local = load(yaml, Map.of()).crms().get("local");
        assertTrue(local.allowInsecure());

        List<String> problems = problems("crms:\n  local:\n    type: http\n    url: https://x.example\n    method: PUT\n    value-pointer: data\n");
        assertEquals(List.of("crms.local.method (line 5): \"PUT\": expected one of GET, POST",
                "crms.local.value-pointer (line 6): \"data\": expected a JSON Pointer such as /value or /data/0/queue (or \"\" for the whole reply)"), problems);
    }

    @Test
    void vendorTakesCommonKeysAndItsOwnSettings() {
        String yaml = String.join("\n",
                "crms:",
                "  sf:",
                "    type: salesforce",
                "    base-url: https://acme.my.salesforce.com",
                "    api-version: v61.0",
                "    auth: { client-id: abc, client-secret: \"${SF_SECRET}\", token-url: https://login.salesforce.com/services/oauth2/token }",
                "    rate-limit: 2.5",
                "    cache: { ttl: 1m }",
                "    phone: { default-country: GB, formats: [e164, NATIONAL] }",
                "");
        CrmSpec sf = load(yaml, Map.of("SF_SECRET", "shh")).crms().get("sf");
        assertEquals("salesforce", sf.type().id());
        assertEquals(OptionalDouble.of(2.5), sf.rateLimit());
        assertEquals(Optional.of(new CacheSpec(Duration.ofMinutes(1), Duration.ofSeconds(15))), sf.cache(), "negative-ttl defaults to ttl/4");
        assertEquals(Optional.of(new PhoneMatching("GB", List.of("E164", "NATIONAL"))), sf.phone());
        assertEquals(Set.of("shh"), sf.secrets());
    }

    @Test
    void vendorMistakesAreCaught() {
        String yaml = String.join("\n",
                "crms:",
                "  dyn:",
                "    type: dynamics",                          // 3: no base-url
                "    tiemout: 2s",                             // 4
                "    auth: { tenant-id: t, apikey: x }",       // 5
                "    rate-limit: 0",                           // 6
                "    phone: { default-country: XX }",          // 7
                "    cache: { negative-ttl: 5s }",             // 8
                "  odd:",
                "    type: oracle",                            // 10
                "");
        assertEquals(List.of(
                "crms.dyn.base-url (line 2): missing (required for dynamics)",
                "crms.dyn.tiemout (line 4): unknown key \"tiemout\" (expected one of: allow-insecure, api-version, auth, base-url, ca-file, cache, max-connections, phone, proxy, rate-limit, timeout, type)",
                "crms.dyn.auth.apikey (line 5): unknown key \"apikey\" (expected one of: client-id, client-secret, scope, tenant-id, token-url)",
                "crms.dyn.auth.client-id (line 5): missing (required for dynamics)",
                "crms.dyn.auth.client-secret (line 5): missing (required for dynamics)",
                "crms.dyn.rate-limit (line 6): \"0\": expected a number greater than 0",
                "crms.dyn.phone.default-country (line 7): \"XX\": expected a country code like US, GB or DE (ISO 3166 alpha-2, upper case)",
                "crms.dyn.cache.ttl (line 8): missing (required: how long a found record is kept)",
                "crms.odd.type (line 10): unknown type \"oracle\" (expected one of file, http, salesforce, hubspot, dynamics, pipedrive, zendesk, zoho, sugarcrm, suitecrm, vtiger, bullhorn)"),
                problems(yaml));
    }

    @Test
    void headersAndRatesACallCouldNotUseAreCaughtAtLoad() {
        String yaml = String.join("\n",
                "crms:",
                "  billing:",
                "    type: http",
                "    url: https://billing.example.com/crm",
                "    rate-limit: 3e18",                        // 5: beyond what a limiter can express
                "    headers: { Host: crm.internal, X-Api-Key: k }",   // 6: the client sets Host itself
                "");
        assertEquals(List.of(
                "crms.billing.rate-limit (line 5): \"3.0E18\": at most 1000000 requests per second",
                "crms.billing.headers.Host (line 6): a header the HTTP client sets itself or refuses; leave it out"),
                problems(yaml));
    }

    @Test
    void aCrmIsReachedThroughItsCaFileProxyAndConnectionBound() throws Exception {
        io.netty.handler.ssl.util.SelfSignedCertificate certificate = new io.netty.handler.ssl.util.SelfSignedCertificate("crm.internal");
        Files.copy(certificate.certificate().toPath(), dir.resolve("private-ca.pem"));
        String yaml = String.join("\n",
                "crms:",
                "  billing:",
                "    type: http",
                "    url: https://crm.internal/crm",
                "    ca-file: private-ca.pem",
                "    proxy: \"http://crmroute:${PROXY_PASSWORD}@proxy.internal:3128\"",
                "    max-connections: 64",
                "");
        CrmSpec billing = load(yaml, Map.of("PROXY_PASSWORD", "pr0xy-pw")).crms().get("billing");
        assertEquals(new EndpointSettings(Optional.of(dir.resolve("private-ca.pem").toAbsolutePath().normalize()),
                Optional.of(new ProxyAddress("proxy.internal", 3128, Optional.of("crmroute"), Optional.of("pr0xy-pw"))), 64,
                EndpointSettings.DEFAULT_BACKSTOP), billing.endpoint());
        assertTrue(billing.secrets().contains("pr0xy-pw"), "the proxy's password is masked like every secret");
        assertEquals(EndpointSettings.DEFAULT, load(BILLING, ENV).crms().get("billing").endpoint(), "direct, the JDK's trust store");
    }

    @Test
    void caFileProxyAndConnectionBoundMistakesAreCaughtAtLoad() throws IOException {
        Files.writeString(dir.resolve("not-a-cert.pem"), "hello");
        String yaml = String.join("\n",
                "crms:",
                "  a:",
                "    type: http",
                "    url: https://a.example.com/crm",
                "    ca-file: missing.pem",                                     // 5
                "    proxy: \"socks5://u:${PROXY_PASSWORD}@proxy:1080\"",      // 6: a secret in it stays hidden
                "    max-connections: 0",                                        // 7
                "  b:",
                "    type: http",
                "    url: https://b.example.com/crm",
                "    ca-file: not-a-cert.pem",                                   // 11
                "    proxy: http://proxy.internal",                              // 12: no port
                "");
        List<String> problems = problems(yaml, Map.of("PROXY_PASSWORD", "pr0xy-pw"));
        assertEquals(5, problems.size(), problems::toString);
        assertTrue(problems.get(0).startsWith("crms.a.ca-file (line 5): \"missing.pem\": no such file (looked for "), problems.get(0));
        assertEquals("crms.a.proxy (line 6): expected http://host:port or http://user:password@host:port", problems.get(1));
        assertEquals("crms.a.max-connections (line 7): \"0\": expected a whole number from 1 to 100000", problems.get(2));
        assertEquals("crms.b.ca-file (line 11): \"not-a-cert.pem\": not a file of PEM certificates", problems.get(3));
        assertEquals("crms.b.proxy (line 12): expected http://host:port or http://user:password@host:port", problems.get(4));
        assertFalse(problems.toString().contains("pr0xy-pw"));
    }

    @Test
    void fileCrmPathIsResolvedBesideTheConfigAndChecked() throws IOException {
        Files.writeString(dir.resolve("people.json"), "{\"people\": [{\"phone\": \"+441234\", \"vip\": true, \"n\": 3}]}");
        CrmSpec people = load("crms:\n  people:\n    type: file\n    path: people.json\n", Map.of()).crms().get("people");
        assertEquals("file", people.type().id());

        Files.writeString(dir.resolve("nested.json"), "{\"people\": [{\"phone\": {\"work\": \"1\"}}]}");
        Files.writeString(dir.resolve("broken.json"), "{\"people\": [");
        List<String> problems = problems("crms:\n  a:\n    type: file\n    path: missing.json\n  b:\n    type: file\n    path: nested.json\n"
                + "  c:\n    type: file\n    path: broken.json\n  d:\n    type: file\n");
        assertEquals(4, problems.size(), problems::toString);
        assertTrue(problems.get(0).startsWith("crms.a.path (line 4): \"missing.json\": no such file (looked for "), problems.get(0));
        assertTrue(problems.get(1).startsWith("crms.b.path (line 7): \"nested.json\": people[0] is not a flat record"), problems.get(1));
        assertTrue(problems.get(2).startsWith("crms.c.path (line 10): \"broken.json\": not valid JSON"), problems.get(2));
        assertEquals("crms.d.path (line 11): missing (required for file)", problems.get(3));
    }

    @Test
    void routesOfABrokenCrmAreNotToldItIsUndefined() {
        List<String> problems = problems("crms:\n  billing:\n    type: http\n    url: ftp://x\n"
                + "routes:\n  r:\n    crm: billing\n    field: f\n    default: { to: { queue: 1 } }\n");
        assertEquals(List.of("crms.billing.url (line 4): \"ftp://x\": expected an absolute https:// URL"), problems);
    }

    private CrmrouteConfig load(String yaml, Map<String, String> env) {
        ConfigResult result = ConfigLoader.parse(yaml, dir, env);
        assertEquals(List.of(), result.problems());
        return result.config().orElseThrow();
    }

    private List<String> problems(String yaml) {
        return problems(yaml, Map.of());
    }

    private List<String> problems(String yaml, Map<String, String> env) {
        ConfigResult result = ConfigLoader.parse(yaml, dir, env);
        assertFalse(result.ok());
        return result.problems().stream().map(ConfigProblem::toString).toList();
    }
}
