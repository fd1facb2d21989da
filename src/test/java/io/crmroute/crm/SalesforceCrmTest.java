package io.crmroute.crm;

import io.crmroute.crm.FakeCrmServer.Reply;
import io.crmroute.crm.FakeCrmServer.Seen;
import io.crmroute.crm.TestCrms.FakeClock;
import io.crmroute.crm.TestCrms.FakeTicker;
import io.crmroute.testing.ManualTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static io.crmroute.crm.TestCrms.await;
import static io.crmroute.crm.TestCrms.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Salesforce's SOQL query API and client-credentials token endpoint, faked on 127.0.0.1. */
class SalesforceCrmTest {

    static final String HOSTILE = "'\"\\)(*:{}[]^~!&|+-/ OR 1=1 --";
    private static final String SECRET = "s3cr3t/Value+1";
    private static final String QUERY_PATH = "/services/data/v61.0/query";
    private static final String ACME = "{\"totalSize\": 1, \"done\": true, \"records\": [{"
            + "\"attributes\": {\"type\": \"Contact\", \"url\": \"/services/data/v61.0/sobjects/Contact/003A\"},"
            + "\"Id\": \"003A\", \"Phone\": \"+15551230001\", \"Tier__c\": \"GOLD\","
            + "\"Account\": {\"attributes\": {\"type\": \"Account\", \"url\": \"/x\"}, \"Name\": \"Acme\"}}]}";
    private static final String NONE = "{\"totalSize\": 0, \"done\": true, \"records\": []}";

    private final FakeClock clock = new FakeClock();
    private final CrmContext context = CrmContext.create(clock, new FakeTicker());
    private FakeCrmServer api;
    private FakeCrmServer login;

    @AfterEach
    void tearDown() {
        if (api != null) api.close();
        if (login != null) login.close();
        context.close();
    }

    /** The API answers {@code replies}; the login server hands out tok-1, tok-2... naming the API as instance_url. */
    private CrmConnector salesforce(Reply... replies) throws Exception {
        return salesforce(context, replies);
    }

    private CrmConnector salesforce(CrmContext in, Reply... replies) throws Exception {
        api = new FakeCrmServer(replies);
        login = new FakeCrmServer(token("tok-1"), token("tok-2"), token("tok-3"));
        return CrmConnectors.create(spec(login.url(""), Map.of()), in);
    }

    private Reply token(String value) {
        return Reply.json("{\"access_token\": \"" + value + "\", \"instance_url\": \"" + api.url("") + "\","
                + " \"id\": \"https://login.salesforce.com/id/00D/005\", \"token_type\": \"Bearer\", \"issued_at\": \"1736935200000\"}");
    }

    private static CrmSpec spec(String baseUrl, Map<String, String> settings) {
        Map<String, String> keys = new HashMap<>(Map.of("base-url", baseUrl, "allow-insecure", "true",
                "auth.client-id", "3MVG9-client", "auth.client-secret", SECRET));
        keys.putAll(settings);
        return TestCrms.withSecrets(TestCrms.spec("sf", SalesforceCrm.TYPE, keys), Set.of(SECRET));
    }

    private static LookupRequest byPhone(String value, List<String> fields, int limit, Duration budget) {
        return new LookupRequest("Contact", "Phone", value, Optional.of(new PhoneMatching("US", null)), fields, limit,
                "", value, budget, null);
    }

    private static LookupRequest byPhone(String value) {
        return byPhone(value, List.of("Phone"), 2, Duration.ofMillis(3000));
    }

    static Map<String, String> decode(String encoded) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : encoded.split("&")) {
            String[] parts = pair.split("=", 2);
            parameters.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8), URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        return parameters;
    }

    private static String soql(Seen seen) {
        return decode(seen.rawQuery()).get("q");
    }

    @Test
    void aMatchAnswersTheFieldsWithoutAttributesAndTheTotal() throws Exception {
        CrmConnector crm = salesforce(Reply.json(ACME));
        LookupResult result = await(crm.lookup(byPhone("5551230001", List.of("phone", "Tier__c", "Account.Name"), 2, Duration.ofMillis(3000))));

        assertEquals(List.of(new CrmRecord(Map.of("Id", "003A", "phone", "+15551230001", "Tier__c", "GOLD", "Account.Name", "Acme"),
                        Optional.of("003A"), Optional.of(login.url("/lightning/r/Contact/003A/view")))),
                result.records(), "the Id and the Lightning page of the My Domain (here the test server)");
        assertEquals(1, result.total());

        Seen tokenRequest = login.seen().get(0);
        assertEquals("POST", tokenRequest.method());
        assertEquals("/services/oauth2/token", tokenRequest.path());
        assertEquals(Map.of("grant_type", "client_credentials", "client_id", "3MVG9-client", "client_secret", SECRET),
                decode(tokenRequest.body()));

        Seen query = api.seen().get(0);
        assertEquals("GET", query.method());
        assertEquals(QUERY_PATH, query.path());
        assertEquals("Bearer tok-1", query.header("Authorization"));
        assertEquals("SELECT phone,Tier__c,Account.Name FROM Contact WHERE Phone IN ('+15551230001','(555) 123-0001',"
                + "'+1 555-123-0001','15551230001','5551230001') LIMIT 2", soql(query));
    }

    @Test
    void noRecordIsNoMatch() throws Exception {
        LookupResult result = await(salesforce(Reply.json(NONE)).lookup(byPhone("+15551230009")));
        assertTrue(result.isEmpty());
        assertEquals(0, result.total());
    }

    @Test
    void severalRecordsAreCutToTheLimitAndKeepSalesforcesTotal() throws Exception {
        String three = "{\"totalSize\": 3, \"done\": true, \"records\": ["
                + "{\"attributes\": {\"type\": \"Contact\"}, \"Phone\": \"+15551230001\", \"Name\": \"Ann\"},"
                + "{\"attributes\": {\"type\": \"Contact\"}, \"Phone\": \"+15551230001\", \"Name\": \"Bob\"},"
                + "{\"attributes\": {\"type\": \"Contact\"}, \"Phone\": \"+15551230001\", \"Name\": \"Cy\"}]}";
        LookupResult result = await(salesforce(Reply.json(three))
                .lookup(byPhone("+15551230001", List.of("Name"), 2, Duration.ofMillis(3000))));
        assertEquals(List.of(Optional.of("Ann"), Optional.of("Bob")), result.records().stream().map(r -> r.get("Name")).toList());
        assertEquals(3, result.total());
        assertTrue(soql(api.seen().get(0)).endsWith(" LIMIT 2"));
    }

    @Test
    void oneTokenServesConcurrentLookups() throws Exception {
        CrmConnector crm = salesforce(Reply.json(NONE));
        List<CompletableFuture<LookupResult>> lookups = new ArrayList<>();
        for (int i = 0; i < 4; i++) lookups.add(crm.lookup(byPhone("+1555123000" + i)));
        for (CompletableFuture<LookupResult> lookup : lookups) await(lookup);
        assertEquals(1, login.seen().size());
        assertEquals(4, api.seen().size());
        api.seen().forEach(seen -> assertEquals("Bearer tok-1", seen.header("Authorization")));
    }

    @Test
    void theTokenIsReplacedBeforeItsConfiguredLifetimeEnds() throws Exception {
        api = new FakeCrmServer(Reply.json(NONE));
        login = new FakeCrmServer(token("tok-1"), token("tok-2"));
        CrmConnector crm = CrmConnectors.create(spec(login.url(""), Map.of("token-lifetime", "10m")), context);
        await(crm.lookup(byPhone("+15551230001")));
        clock.advance(Duration.ofMinutes(9));
        await(crm.lookup(byPhone("+15551230002")));
        assertEquals(1, login.seen().size());
        clock.advance(Duration.ofSeconds(45)); // within AccessTokens.SKEW of expiry
        await(crm.lookup(byPhone("+15551230003")));
        assertEquals(2, login.seen().size());
        assertEquals("Bearer tok-2", api.seen().get(2).header("Authorization"));
    }

    @Test
    void anInvalidSessionGetsExactlyOneNewToken() throws Exception {
        Reply invalid = new Reply(401, "application/json",
                "[{\"message\": \"Session expired or invalid\", \"errorCode\": \"INVALID_SESSION_ID\"}]", Map.of());
        CrmConnector crm = salesforce(invalid, Reply.json(ACME));
        assertEquals(1, await(crm.lookup(byPhone("+15551230001"))).records().size());
        assertEquals(2, login.seen().size());
        assertEquals(List.of("Bearer tok-1", "Bearer tok-2"), api.seen().stream().map(s -> s.header("Authorization")).toList());
    }

    @Test
    void anInvalidSessionAfterTheRefreshIsAnAuthFailure() throws Exception {
        Reply invalid = new Reply(401, "application/json",
                "[{\"message\": \"Session expired or invalid\", \"errorCode\": \"INVALID_SESSION_ID\"}]", Map.of());
        CrmException e = failure(salesforce(invalid).lookup(byPhone("+15551230001")), CrmException.Kind.AUTH);
        assertEquals("crm sf: HTTP 401 (credentials refused): INVALID_SESSION_ID", e.getMessage());
        assertEquals(2, login.seen().size());
        assertEquals(2, api.seen().size());
    }

    @Test
    void refusedClientCredentialsAreAnAuthFailureWithoutTheSecret() throws Exception {
        api = new FakeCrmServer(Reply.json(NONE));
        login = new FakeCrmServer(new Reply(400, "application/json",
                "{\"error\": \"invalid_client\", \"error_description\": \"invalid client credentials " + SECRET + "\"}", Map.of()));
        CrmException e = failure(CrmConnectors.create(spec(login.url(""), Map.of()), context).lookup(byPhone("+15551230001")),
                CrmException.Kind.AUTH);
        assertEquals("crm sf: token request refused: HTTP 400: invalid_client", e.getMessage());
        assertTrue(api.seen().isEmpty());
    }

    @Test
    void tooManyRequestsIsRetriedOnceWithinTheBudget() throws Exception {
        CrmConnector crm = salesforce(Reply.status(429).withHeader("Retry-After", "1"), Reply.json(ACME));
        LookupResult result = await(crm.lookup(byPhone("+15551230001", List.of("Phone"), 2, Duration.ofMillis(4000))));
        assertEquals(1, result.records().size());
        assertEquals(2, api.seen().size());
    }

    @Test
    void theDailyRequestLimitBeyondTheBudgetIsRateLimited() throws Exception {
        Reply limit = new Reply(403, "application/json",
                "[{\"message\": \"TotalRequests Limit exceeded.\", \"errorCode\": \"REQUEST_LIMIT_EXCEEDED\"}]", Map.of("Retry-After", "60"));
        CrmException e = failure(salesforce(limit).lookup(byPhone("+15551230001")), CrmException.Kind.RATE_LIMITED);
        assertEquals("crm sf: HTTP 403 (rate limited)", e.getMessage());
        assertEquals(1, api.seen().size());
    }

    @Test
    void aForbiddenObjectIsAnAuthFailure() throws Exception {
        Reply denied = new Reply(403, "application/json",
                "[{\"message\": \"insufficient access\", \"errorCode\": \"INSUFFICIENT_ACCESS\"}]", Map.of());
        CrmException e = failure(salesforce(denied).lookup(byPhone("+15551230001")), CrmException.Kind.AUTH);
        assertEquals("crm sf: HTTP 403 (credentials refused): INSUFFICIENT_ACCESS", e.getMessage());
    }

    @Test
    void aServerErrorIsAnHttpStatusFailure() throws Exception {
        CrmException e = failure(salesforce(Reply.status(500)).lookup(byPhone("+15551230001")), CrmException.Kind.HTTP_STATUS);
        assertEquals("crm sf: HTTP 500", e.getMessage());
    }

    @Test
    void aSilentInstanceTimesOutAtTheCrmTimeout() throws Exception {
        ManualTime time = new ManualTime();
        try (CrmContext driven = TestCrms.drivenBy(time)) {
            CompletableFuture<LookupResult> answer = salesforce(driven, Reply.never()).lookup(byPhone("+15551230001", List.of("Phone"), 2, Duration.ofMillis(300)));
            assertEquals("crm sf: no answer within 5000 ms", TestCrms.timesOutAtTheCrmTimeout(time, answer, api, 1).getMessage());
        }
    }

    @Test
    void malformedJsonIsABadResponse() throws Exception {
        CrmException e = failure(salesforce(Reply.json("{\"totalSize\": 1, \"records\": [")).lookup(byPhone("+15551230001")),
                CrmException.Kind.BAD_RESPONSE);
        assertTrue(e.getMessage().startsWith("crm sf: reply is not valid JSON"), e.getMessage());
    }

    @Test
    void aHostileCallerIdIsOneEscapedLiteralAndFindsNothing() throws Exception {
        List<String> trace = new ArrayList<>();
        LookupRequest hostile = new LookupRequest("Contact", "Phone", HOSTILE, Optional.of(new PhoneMatching("US", null)),
                List.of("Phone"), 2, "", HOSTILE, Duration.ofMillis(3000), trace::add);
        assertTrue(await(salesforce(Reply.json(NONE)).lookup(hostile)).isEmpty());
        Seen seen = api.seen().get(0);
        assertEquals("SELECT Phone FROM Contact WHERE Phone IN ('\\'\\\"\\\\)(*:{}[]^~!&|+-/ OR 1=1 --') LIMIT 2", soql(seen));
        assertTrue(seen.rawQuery().matches("q=[A-Za-z0-9%._*-]+"), seen.rawQuery());
        assertEquals(1, trace.size());
        assertFalse(trace.get(0).contains("tok-1"));
    }

    @Test
    void aValueNoRecordCanHoldIsNotSent() throws Exception {
        assertTrue(await(salesforce(Reply.json(ACME)).lookup(byPhone("555\u0000123"))).isEmpty());
        assertTrue(api.seen().isEmpty());
        assertTrue(login.seen().isEmpty());
    }

    @Test
    void theRecordIdComesFromItsAttributesEvenWhenIdIsNotSelected() throws Exception {
        String reply = "{\"totalSize\": 1, \"done\": true, \"records\": [{"
                + "\"attributes\": {\"type\": \"Lead\", \"url\": \"/services/data/v61.0/sobjects/Lead/00Q5e00000Abc\"},"
                + "\"Phone\": \"+15551230001\"}]}";
        CrmRecord record = await(salesforce(Reply.json(reply)).lookup(byPhone("5551230001"))).records().get(0);
        assertEquals(Optional.of("00Q5e00000Abc"), record.id());
        assertEquals(Optional.of(login.url("/lightning/r/Lead/00Q5e00000Abc/view")), record.url(), "the sObject type of the record");
    }

    @Test
    void recordPagesAreOnTheLightningDomainOfTheMyDomain() {
        assertEquals("https://acme.lightning.force.com", SalesforceCrm.lightning("https://acme.my.salesforce.com"));
        assertEquals("https://acme--uat.sandbox.lightning.force.com", SalesforceCrm.lightning("https://acme--uat.sandbox.my.salesforce.com"));
        assertEquals("https://sf-proxy.example.com", SalesforceCrm.lightning("https://sf-proxy.example.com"), "anything else is taken as is");
        SalesforceCrm.Settings settings = (SalesforceCrm.Settings) spec("https://sf-proxy.example.com",
                Map.of("ui-url", "https://acme.lightning.force.com/")).settings();
        assertEquals("https://acme.lightning.force.com", settings.uiUrl(), "ui-url says where the pages are when base-url cannot");
        assertEquals(Optional.of("https://acme.lightning.force.com/lightning/r/Contact/003%2F..%3Fx%3D1%23y/view"),
                SalesforceCrm.recordUrl("https://acme.lightning.force.com", "Contact", "003/..?x=1#y"), "an id never leaves its path segment");
    }

    @Test
    void settingsAreReadOnceAtLoad() {
        SalesforceCrm.Settings settings = (SalesforceCrm.Settings) spec("https://acme.my.salesforce.com/", Map.of("api-version", "60.0")).settings();
        assertEquals(new SalesforceCrm.Settings("https://acme.my.salesforce.com", "v60.0", Duration.ofMinutes(30), "3MVG9-client", SECRET,
                URI.create("https://acme.my.salesforce.com/services/oauth2/token"), "https://acme.lightning.force.com"), settings);
        assertEquals(List.of("api-version: \"latest\": expected vNN.N", "token-lifetime: \"banana\": expected a duration like 30m, 2h or 90s, at most 24h"),
                TestCrms.problems(SalesforceCrm.TYPE, Map.of("base-url", "https://acme.my.salesforce.com", "api-version", "latest",
                        "token-lifetime", "banana", "auth.client-id", "id", "auth.client-secret", "secret")));
        assertEquals(List.of("base-url: missing (required for salesforce)", "auth.client-secret: missing (required for salesforce)"),
                TestCrms.problems(SalesforceCrm.TYPE, Map.of("auth.client-id", "id")));
    }

    @Test
    void aQueryThatCannotBeBuiltFailsWithoutARequest() throws Exception {
        api = new FakeCrmServer(Reply.json(NONE));
        LookupRequest badField = new LookupRequest("Contact", "Phone OR Name", "1", Optional.empty(), List.of(), 1, "", "",
                Duration.ofMillis(500), null);
        failure(CrmConnectors.create(spec(api.url(""), Map.of()), context).lookup(badField), CrmException.Kind.CONFIG);
        assertTrue(api.seen().isEmpty());
    }

    @Test
    void aTokenPostRedirectedElsewhereIsNotFollowed() throws Exception {
        try (FakeCrmServer elsewhere = new FakeCrmServer(Reply.json("{}"))) {
            api = new FakeCrmServer(Reply.json(NONE));
            login = new FakeCrmServer(new Reply(307, "text/plain", "", Map.of("Location", elsewhere.url("/services/oauth2/token?x=1"))));
            CrmException e = failure(CrmConnectors.create(spec(login.url(""), Map.of()), context).lookup(byPhone("+15551230001")),
                    CrmException.Kind.HTTP_STATUS);
            assertEquals("crm sf: HTTP 307 redirect to " + elsewhere.url("").substring("http://".length()) + " not followed", e.getMessage());
            assertTrue(elsewhere.seen().isEmpty(), "the client secret went nowhere else");
            assertTrue(api.seen().isEmpty());
        }
    }
}
