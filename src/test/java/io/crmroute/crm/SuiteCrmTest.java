package io.crmroute.crm;

import com.github.benmanes.caffeine.cache.Ticker;
import io.crmroute.crm.FakeCrmServer.Reply;
import io.crmroute.crm.FakeCrmServer.Seen;
import io.crmroute.testing.ManualTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static io.crmroute.crm.TestCrms.await;
import static io.crmroute.crm.TestCrms.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuiteCrmTest {

    private static final String SECRET = "client s3cret";
    private static final Reply TOKEN_1 = Reply.json("{\"token_type\":\"Bearer\",\"expires_in\":3600,\"access_token\":\"tok-1\"}");
    private static final Reply TOKEN_2 = Reply.json("{\"token_type\":\"Bearer\",\"expires_in\":3600,\"access_token\":\"tok-2\"}");
    private static final Reply ONE_CONTACT = api("""
            {"meta":{"total-pages":1,"records-on-this-page":1},
             "data":[{"type":"Contact","id":"s-1","attributes":{"first_name":"Ada","status_c":"GOLD"},
                      "relationships":{"AOS_Contracts":{"links":{"related":"V8/module/Contacts/s-1/relationships/aos_contracts"}}}}],
             "links":{}}""");
    private static final Reply NONE = api("{\"data\":[]}");
    private static final Reply ACCESS_DENIED = new Reply(401, "application/json",
            "{\"error\":\"access_denied\",\"message\":\"The resource owner or authorization server denied the request.\",\"hint\":\"Access token could not be verified\"}",
            Map.of());

    private final TestCrms.FakeClock clock = new TestCrms.FakeClock();
    private final CrmContext context = CrmContext.create(clock, Ticker.systemTicker());
    private FakeCrmServer server;

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
        context.close();
    }

    private static Reply api(String body) {
        return new Reply(200, SuiteCrm.MEDIA_TYPE, body, Map.of());
    }

    private CrmConnector suite(String basePath, Map<String, String> auth) {
        return suite(basePath, auth, context);
    }

    private CrmConnector suite(String basePath, Map<String, String> auth, CrmContext in) {
        Map<String, String> keys = new LinkedHashMap<>(Map.of("base-url", server.url(basePath), "allow-insecure", "true",
                "auth.client-id", "crmroute-client", "auth.client-secret", SECRET));
        auth.forEach((key, value) -> keys.put("auth." + key, value));
        CrmSpec spec = TestCrms.withSecrets(TestCrms.spec("suite", SuiteCrm.TYPE, keys), Set.of(SECRET, "pw-1"));
        return CrmConnectors.create(spec, in);
    }

    private CrmConnector suite() {
        return suite("", Map.of());
    }

    private static LookupRequest lookup(String value, Optional<PhoneMatching> phone, int limit, Duration budget) {
        return new LookupRequest("Contacts", "phone_work", value, phone, List.of("first_name", "status_c"), limit, "", value, budget, null);
    }

    private static LookupRequest lookup(String value) {
        return lookup(value, Optional.empty(), 1, Duration.ofMillis(1500));
    }

    private static Map<String, String> decode(String raw) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            String[] parts = pair.split("=", 2);
            parameters.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8), URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        return parameters;
    }

    @Test
    void aMatchBringsItsAttributesAndId() throws Exception {
        server = new FakeCrmServer(TOKEN_1, ONE_CONTACT);
        LookupResult result = await(suite().lookup(lookup("+15551234567")));

        assertEquals(List.of(new CrmRecord(Map.of("id", "s-1", "first_name", "Ada", "status_c", "GOLD"), Optional.of("s-1"),
                Optional.of(server.url("/index.php?module=Contacts&action=DetailView&record=s-1")))), result.records());
        assertEquals(1, result.total());
        Seen token = server.seen().get(0);
        assertEquals("POST", token.method());
        assertEquals("/Api/access_token", token.path());
        assertEquals(Map.of("grant_type", "client_credentials", "client_id", "crmroute-client", "client_secret", SECRET), decode(token.body()));
        Seen search = server.seen().get(1);
        assertEquals("GET", search.method());
        assertEquals("/Api/V8/module/Contacts", search.path());
        assertEquals("Bearer tok-1", search.header("Authorization"));
        assertEquals(SuiteCrm.MEDIA_TYPE, search.header("Accept"));
        assertEquals("filter%5Bphone_work%5D%5Beq%5D=%2B15551234567&fields%5BContacts%5D=first_name%2Cstatus_c&page%5Bsize%5D=1&page%5Bnumber%5D=1",
                search.rawQuery());
    }

    @Test
    void suiteCrm8IsServedUnderLegacy() throws Exception {
        server = new FakeCrmServer(TOKEN_1, ONE_CONTACT);
        CrmRecord record = await(suite("/legacy/", Map.of()).lookup(lookup("+15551234567"))).records().get(0);
        assertEquals("/legacy/Api/access_token", server.seen().get(0).path());
        assertEquals(Optional.of(server.url("/#/contacts/record/s-1")), record.url(), "SuiteCRM 8's own UI, not the legacy one");
        assertEquals("/legacy/Api/V8/module/Contacts", server.seen().get(1).path());
    }

    @Test
    void aUsernameAndPasswordMeanThePasswordGrant() throws Exception {
        server = new FakeCrmServer(TOKEN_1, NONE);
        await(suite("", Map.of("username", "pbx", "password", "pw-1")).lookup(lookup("+15551234567")));
        assertEquals(Map.of("grant_type", "password", "client_id", "crmroute-client", "client_secret", SECRET, "username", "pbx", "password", "pw-1"),
                decode(server.seen().get(0).body()));
    }

    @Test
    void phoneNotationsAreOneRequestEachMergedOnceById() throws Exception {
        server = new FakeCrmServer(TOKEN_1, ONE_CONTACT, ONE_CONTACT, NONE);
        LookupResult result = await(suite().lookup(lookup("555 123 4567", Optional.of(new PhoneMatching("US", null)), 1, Duration.ofMillis(1500))));

        assertEquals(1, result.records().size());
        assertEquals(Optional.of("s-1"), result.records().get(0).get("id"));
        assertEquals(4, server.seen().size());
        assertEquals(Set.of("+15551234567", "(555) 123-4567", "+1 555-123-4567"),
                server.seen().subList(1, 4).stream().map(s -> decode(s.rawQuery()).get("filter[phone_work][eq]")).collect(Collectors.toSet()));
        server.seen().subList(1, 4).forEach(s -> assertEquals("Bearer tok-1", s.header("Authorization")));
    }

    @Test
    void noDataIsNoMatch() throws Exception {
        server = new FakeCrmServer(TOKEN_1, NONE);
        LookupResult result = await(suite().lookup(lookup("+15550000000")));
        assertTrue(result.isEmpty());
        assertEquals(0, result.total());
    }

    @Test
    void severalRecordsAreCutAtThePageSizeAndTotalPagesBoundTheTotal() throws Exception {
        server = new FakeCrmServer(TOKEN_1, api("""
                {"meta":{"total-pages":3,"records-on-this-page":2},
                 "data":[{"type":"Contact","id":"s-1","attributes":{"status_c":"GOLD"}},
                         {"type":"Contact","id":"s-2","attributes":{"status_c":"SILVER"}}]}"""));
        LookupResult result = await(suite().lookup(lookup("+15551234567", Optional.empty(), 2, Duration.ofMillis(1500))));
        assertEquals(List.of("s-1", "s-2"), result.records().stream().map(r -> r.get("id").orElseThrow()).toList());
        assertEquals(5, result.total());
        assertEquals("2", decode(server.seen().get(1).rawQuery()).get("page[size]"));
    }

    @Test
    void oneTokenServesManyLookupsAndIsRenewedBeforeExpiry() throws Exception {
        server = new FakeCrmServer(TOKEN_1, ONE_CONTACT, ONE_CONTACT, ONE_CONTACT, TOKEN_2, ONE_CONTACT);
        CrmConnector crm = suite();
        for (int i = 0; i < 3; i++) await(crm.lookup(lookup("+1555123456" + i)));
        assertEquals(1, server.seen().stream().filter(s -> s.path().equals("/Api/access_token")).count());
        clock.advance(Duration.ofSeconds(3600).minus(AccessTokens.SKEW));
        await(crm.lookup(lookup("+15551234569")));
        assertEquals("/Api/access_token", server.seen().get(4).path());
        assertEquals("Bearer tok-2", server.seen().get(5).header("Authorization"));
    }

    @Test
    void a401FetchesOneNewTokenThenSucceeds() throws Exception {
        server = new FakeCrmServer(TOKEN_1, ACCESS_DENIED, TOKEN_2, ONE_CONTACT);
        assertEquals(1, await(suite().lookup(lookup("+15551234567"))).records().size());
        assertEquals(4, server.seen().size());
        assertEquals("Bearer tok-2", server.seen().get(3).header("Authorization"));
    }

    @Test
    void a401AfterTheNewTokenIsAnAuthFailure() throws Exception {
        server = new FakeCrmServer(TOKEN_1, ACCESS_DENIED, TOKEN_2, ACCESS_DENIED);
        assertEquals("crm suite: HTTP 401 (credentials refused)", failure(suite().lookup(lookup("+15551234567")), CrmException.Kind.AUTH).getMessage());
        assertEquals(4, server.seen().size());
    }

    @Test
    void refusedClientCredentialsAreAnAuthFailureWithoutTheSecret() throws Exception {
        server = new FakeCrmServer(new Reply(401, "application/json", "{\"error\":\"invalid_client\",\"message\":\"Client authentication failed\"}", Map.of()));
        CrmException e = failure(suite().lookup(lookup("+15551234567")), CrmException.Kind.AUTH);
        assertEquals("crm suite: token request (client_credentials grant) refused: HTTP 401 invalid_client", e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"));
    }

    @Test
    void a429WithinTheBudgetIsRetriedOnce() throws Exception {
        server = new FakeCrmServer(TOKEN_1, Reply.status(429).withHeader("Retry-After", "0"), ONE_CONTACT);
        assertEquals(1, await(suite().lookup(lookup("+15551234567"))).records().size());
        assertEquals(3, server.seen().size());
        assertEquals(server.seen().get(1).rawQuery(), server.seen().get(2).rawQuery());
    }

    @Test
    void a429BeyondTheBudgetIsRateLimited() throws Exception {
        server = new FakeCrmServer(TOKEN_1, Reply.status(429).withHeader("Retry-After", "60"));
        failure(suite().lookup(lookup("+15551234567")), CrmException.Kind.RATE_LIMITED);
        assertEquals(2, server.seen().size());
    }

    @Test
    void a500IsAnHttpStatusFailure() throws Exception {
        server = new FakeCrmServer(TOKEN_1, new Reply(500, SuiteCrm.MEDIA_TYPE, "{\"errors\":{\"status\":500,\"title\":null,\"detail\":\"boom\"}}", Map.of()));
        assertEquals("crm suite: HTTP 500", failure(suite().lookup(lookup("+15551234567")), CrmException.Kind.HTTP_STATUS).getMessage());
    }

    @Test
    void aRefusedFilterIsAConfigProblemWithSuiteCrmsDetail() throws Exception {
        server = new FakeCrmServer(TOKEN_1, new Reply(400, SuiteCrm.MEDIA_TYPE,
                "{\"errors\":{\"status\":400,\"title\":null,\"detail\":\"Filter field phone_work in Contact module is not found\"}}", Map.of()));
        assertEquals("crm suite: filter refused: HTTP 400: Filter field phone_work in Contact module is not found",
                failure(suite().lookup(lookup("+15551234567")), CrmException.Kind.CONFIG).getMessage());
    }

    @Test
    void aSilentSuiteCrmTimesOutAtTheCrmTimeout() throws Exception {
        server = new FakeCrmServer(TOKEN_1, Reply.never());
        ManualTime time = new ManualTime();
        try (CrmContext driven = TestCrms.drivenBy(time)) {
            CompletableFuture<LookupResult> answer = suite("", Map.of(), driven).lookup(lookup("+15551234567", Optional.empty(), 1, Duration.ofMillis(200)));
            assertEquals("crm suite: no answer within 5000 ms", TestCrms.timesOutAtTheCrmTimeout(time, answer, server, 2).getMessage());
        }
    }

    @Test
    void malformedJsonIsABadResponse() throws Exception {
        server = new FakeCrmServer(TOKEN_1, api("{\"data\":[{\"id\":\"s-1\""));
        assertTrue(failure(suite().lookup(lookup("+15551234567")), CrmException.Kind.BAD_RESPONSE).getMessage()
                .startsWith("crm suite: reply is not valid JSON"));
    }

    @Test
    void aHostileCallerIdIsUrlEncodedVerbatimAndFindsNothing() throws Exception {
        server = new FakeCrmServer(TOKEN_1, NONE);
        assertTrue(await(suite().lookup(lookup(SugarCrmTest.HOSTILE, Optional.of(new PhoneMatching("US", null)), 1, Duration.ofMillis(1500)))).isEmpty());
        assertEquals(2, server.seen().size());
        assertEquals("filter%5Bphone_work%5D%5Beq%5D=%27%22%5C%29%28*%3A%7B%7D%5B%5D%5E%7E%21%26%7C%2B-%2F%20OR%201%3D1%20--"
                + "&fields%5BContacts%5D=first_name%2Cstatus_c&page%5Bsize%5D=1&page%5Bnumber%5D=1", server.seen().get(1).rawQuery());
        assertEquals(SugarCrmTest.HOSTILE, decode(server.seen().get(1).rawQuery()).get("filter[phone_work][eq]"));
    }

    @Test
    void aUsernameWithoutAPasswordIsAProblemOfTheConfig() {
        assertEquals(List.of("auth.password: missing (required for suitecrm when auth.username is set)"),
                TestCrms.problems(SuiteCrm.TYPE, Map.of("base-url", "https://crm.example.com/legacy", "auth.client-id", "c",
                        "auth.client-secret", SECRET, "auth.username", "pbx")));
    }

    @Test
    void aFieldThatIsNoIdentifierIsAConfigProblemAndNothingIsSent() throws Exception {
        server = new FakeCrmServer(TOKEN_1, NONE);
        LookupRequest request = new LookupRequest("Contacts", "phone][eq]=1&filter[operator", "x", Optional.empty(), List.of(), 1, "", "",
                Duration.ofMillis(1500), null);
        failure(suite().lookup(request), CrmException.Kind.CONFIG);
        assertTrue(server.seen().isEmpty());
    }
}
