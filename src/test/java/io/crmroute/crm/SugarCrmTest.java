package io.crmroute.crm;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Ticker;
import io.crmroute.crm.FakeCrmServer.Reply;
import io.crmroute.crm.FakeCrmServer.Seen;
import io.crmroute.testing.ManualTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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

class SugarCrmTest {

    static final String HOSTILE = "'\"\\)(*:{}[]^~!&|+-/ OR 1=1 --";
    private static final String PASSWORD = "s3cret pass";
    private static final Reply TOKEN_1 = Reply.json("""
            {"access_token":"tok-1","expires_in":3600,"token_type":"bearer","scope":null,
             "refresh_token":"ref-1","refresh_expires_in":1209600,"download_token":"dl-1"}""");
    private static final Reply TOKEN_2 = Reply.json("""
            {"access_token":"tok-2","expires_in":3600,"token_type":"bearer","refresh_token":"ref-2","refresh_expires_in":1209600}""");
    private static final Reply ONE_CONTACT = Reply.json("""
            {"next_offset":-1,"records":[{"id":"c-1","first_name":"Ada","status_c":"GOLD","_module":"Contacts",
             "_acl":{"fields":{}}}]}""");
    private static final Reply NONE = Reply.json("{\"next_offset\":-1,\"records\":[]}");
    private static final Reply INVALID_TOKEN = new Reply(401, "application/json",
            "{\"error\":\"invalid_grant\",\"error_message\":\"The access token provided is invalid.\"}", Map.of());

    private final TestCrms.FakeClock clock = new TestCrms.FakeClock();
    private final CrmContext context = CrmContext.create(clock, Ticker.systemTicker());
    private FakeCrmServer server;

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
        context.close();
    }

    private CrmConnector sugar(Map<String, String> settings) {
        return sugar(settings, context);
    }

    private CrmConnector sugar(Map<String, String> settings, CrmContext in) {
        Map<String, String> keys = new HashMap<>(settings);
        keys.putAll(Map.of("base-url", server.url("/"), "allow-insecure", "true", "auth.username", "pbx", "auth.password", PASSWORD));
        CrmSpec spec = TestCrms.withSecrets(TestCrms.spec("sugar", SugarCrm.TYPE, keys), Set.of(PASSWORD));
        return CrmConnectors.create(spec, in);
    }

    private CrmConnector sugar() {
        return sugar(Map.of());
    }

    private static LookupRequest byPhone(String number, int limit, Duration budget) {
        return new LookupRequest("Contacts", "phone_work", number, Optional.of(new PhoneMatching("US", List.of("E164", "NATIONAL"))),
                List.of("first_name", "status_c"), limit, "", number, budget, null);
    }

    private static LookupRequest byPhone(String number) {
        return byPhone(number, 1, Duration.ofMillis(1500));
    }

    private static JsonNode json(String text) throws Exception {
        return CrmHttp.JSON.readTree(text);
    }

    @Test
    void aMatchBringsItsFieldsAfterAPasswordGrant() throws Exception {
        server = new FakeCrmServer(TOKEN_1, ONE_CONTACT);
        LookupResult result = await(sugar().lookup(byPhone("555 123 4567")));

        assertEquals(List.of(new CrmRecord(Map.of("id", "c-1", "first_name", "Ada", "status_c", "GOLD", "_module", "Contacts"),
                Optional.of("c-1"), Optional.of(server.url("/#Contacts/c-1")))), result.records());
        assertEquals(1, result.total());
        Seen token = server.seen().get(0);
        assertEquals("/rest/v11_20/oauth2/token", token.path());
        assertEquals(json("""
                {"grant_type":"password","client_id":"sugar","client_secret":"","platform":"crmroute",
                 "username":"pbx","password":"s3cret pass"}"""), json(token.body()));
        Seen filter = server.seen().get(1);
        assertEquals("POST", filter.method());
        assertEquals("/rest/v11_20/Contacts/filter", filter.path());
        assertEquals("tok-1", filter.header("OAuth-Token"));
        assertEquals("application/json", filter.header("Content-Type"));
        assertEquals("{\"filter\":[{\"$or\":[{\"phone_work\":{\"$equals\":\"+15551234567\"}},{\"phone_work\":{\"$equals\":\"(555) 123-4567\"}}]}],"
                + "\"fields\":\"first_name,status_c\",\"max_num\":1}", filter.body());
    }

    @Test
    void apiVersionPlatformAndClientAreSettings() throws Exception {
        server = new FakeCrmServer(TOKEN_1, NONE);
        await(sugar(Map.of("api-version", "v11_5", "platform", "pbx-router")).lookup(byPhone("+15551234567")));
        assertEquals("/rest/v11_5/oauth2/token", server.seen().get(0).path());
        assertEquals("pbx-router", json(server.seen().get(0).body()).get("platform").asText());
        assertEquals("/rest/v11_5/Contacts/filter", server.seen().get(1).path());
    }

    @Test
    void noRecordsIsNoMatch() throws Exception {
        server = new FakeCrmServer(TOKEN_1, NONE);
        LookupResult result = await(sugar().lookup(byPhone("+15550000000")));
        assertTrue(result.isEmpty());
        assertEquals(0, result.total());
    }

    @Test
    void severalRecordsAreCutAtTheLimitAndANextOffsetSaysThereAreMore() throws Exception {
        server = new FakeCrmServer(TOKEN_1, Reply.json("""
                {"next_offset":2,"records":[{"id":"c-1","status_c":"GOLD","_module":"Contacts"},
                                            {"id":"c-2","status_c":"SILVER","_module":"Contacts"}]}"""));
        LookupResult result = await(sugar().lookup(byPhone("+15551234567", 2, Duration.ofMillis(1500))));
        assertEquals(List.of("c-1", "c-2"), result.records().stream().map(r -> r.get("id").orElseThrow()).toList());
        assertEquals(3, result.total());
        assertEquals(2, json(server.seen().get(1).body()).get("max_num").asInt());
    }

    @Test
    void oneTokenServesManyLookups() throws Exception {
        server = new FakeCrmServer(TOKEN_1, ONE_CONTACT);
        CrmConnector crm = sugar();
        for (int i = 0; i < 4; i++) await(crm.lookup(byPhone("+1555123456" + i)));
        assertEquals(5, server.seen().size());
        assertEquals(1, server.seen().stream().filter(s -> s.path().endsWith("/oauth2/token")).count());
        server.seen().subList(1, 5).forEach(s -> assertEquals("tok-1", s.header("OAuth-Token")));
    }

    @Test
    void aTokenCloseToExpiryIsRefreshedWithTheRefreshToken() throws Exception {
        server = new FakeCrmServer(TOKEN_1, ONE_CONTACT, TOKEN_2, ONE_CONTACT);
        CrmConnector crm = sugar();
        await(crm.lookup(byPhone("+15551234567")));
        clock.advance(Duration.ofSeconds(3600).minus(AccessTokens.SKEW));
        await(crm.lookup(byPhone("+15551234568")));

        assertEquals(json("""
                {"grant_type":"refresh_token","client_id":"sugar","client_secret":"","platform":"crmroute","refresh_token":"ref-1"}"""),
                json(server.seen().get(2).body()));
        assertEquals("tok-2", server.seen().get(3).header("OAuth-Token"));
    }

    @Test
    void aRefusedRefreshFallsBackToThePasswordGrant() throws Exception {
        server = new FakeCrmServer(TOKEN_1, ONE_CONTACT,
                new Reply(400, "application/json", "{\"error\":\"invalid_grant\",\"error_message\":\"Invalid refresh token\"}", Map.of()),
                TOKEN_2, ONE_CONTACT);
        CrmConnector crm = sugar();
        await(crm.lookup(byPhone("+15551234567")));
        clock.advance(Duration.ofHours(2));
        assertEquals(1, await(crm.lookup(byPhone("+15551234568"))).records().size());

        assertEquals("refresh_token", json(server.seen().get(2).body()).get("grant_type").asText());
        assertEquals("password", json(server.seen().get(3).body()).get("grant_type").asText());
        assertEquals("tok-2", server.seen().get(4).header("OAuth-Token"));
    }

    @Test
    void a401IsRefreshedExactlyOnceThenSucceeds() throws Exception {
        server = new FakeCrmServer(TOKEN_1, INVALID_TOKEN, TOKEN_2, ONE_CONTACT);
        LookupResult result = await(sugar().lookup(byPhone("+15551234567")));
        assertEquals(Optional.of("GOLD"), result.records().get(0).get("status_c"));
        assertEquals(4, server.seen().size());
        assertEquals("refresh_token", json(server.seen().get(2).body()).get("grant_type").asText());
        assertEquals("tok-2", server.seen().get(3).header("OAuth-Token"));
    }

    @Test
    void a401AfterTheRefreshIsAnAuthFailure() throws Exception {
        server = new FakeCrmServer(TOKEN_1, INVALID_TOKEN, TOKEN_2, INVALID_TOKEN);
        CrmException e = failure(sugar().lookup(byPhone("+15551234567")), CrmException.Kind.AUTH);
        assertEquals("crm sugar: HTTP 401 (credentials refused)", e.getMessage());
        assertEquals(4, server.seen().size());
    }

    @Test
    void aRefusedPasswordIsAnAuthFailureWithoutThePassword() throws Exception {
        server = new FakeCrmServer(new Reply(401, "application/json",
                "{\"error\":\"need_login\",\"error_message\":\"You must specify a valid username and password.\"}", Map.of()));
        CrmException e = failure(sugar().lookup(byPhone("+15551234567")), CrmException.Kind.AUTH);
        assertEquals("crm sugar: token request (password grant) refused: HTTP 401 need_login", e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD));
    }

    @Test
    void a429WithinTheBudgetIsRetriedOnceAfterRetryAfter() throws Exception {
        clock.advance(Duration.ofMillis(800)); // the HTTP-date below is then 200 ms away
        server = new FakeCrmServer(TOKEN_1, Reply.status(429).withHeader("Retry-After", "Wed, 15 Jan 2025 10:00:01 GMT"), ONE_CONTACT);
        List<String> trace = new ArrayList<>();
        LookupRequest request = new LookupRequest("Contacts", "phone_work", "+15551234567", Optional.empty(), List.of("status_c"),
                1, "", "", Duration.ofMillis(1500), trace::add);
        assertEquals(1, await(sugar().lookup(request)).records().size());
        assertEquals(3, server.seen().size());
        assertTrue(trace.contains("retry after 200 ms (Retry-After)"), trace.toString());
    }

    @Test
    void a429BeyondTheBudgetIsRateLimited() throws Exception {
        server = new FakeCrmServer(TOKEN_1, Reply.status(429).withHeader("Retry-After", "120"));
        failure(sugar().lookup(byPhone("+15551234567")), CrmException.Kind.RATE_LIMITED);
        assertEquals(2, server.seen().size());
    }

    @Test
    void a500IsAnHttpStatusFailure() throws Exception {
        server = new FakeCrmServer(TOKEN_1, new Reply(500, "application/json", "{\"error\":\"fatal_error\"}", Map.of()));
        assertEquals("crm sugar: HTTP 500", failure(sugar().lookup(byPhone("+15551234567")), CrmException.Kind.HTTP_STATUS).getMessage());
    }

    @Test
    void aSilentSugarTimesOutAtTheCrmTimeout() throws Exception {
        server = new FakeCrmServer(TOKEN_1, Reply.never());
        ManualTime time = new ManualTime();
        try (CrmContext driven = TestCrms.drivenBy(time)) {
            CompletableFuture<LookupResult> answer = sugar(Map.of(), driven).lookup(byPhone("+15551234567", 1, Duration.ofMillis(200)));
            assertEquals("crm sugar: no answer within 5000 ms", TestCrms.timesOutAtTheCrmTimeout(time, answer, server, 2).getMessage());
        }
    }

    @Test
    void malformedJsonIsABadResponse() throws Exception {
        server = new FakeCrmServer(TOKEN_1, Reply.json("{\"next_offset\":-1,\"records\":[{\"id\":"));
        CrmException e = failure(sugar().lookup(byPhone("+15551234567")), CrmException.Kind.BAD_RESPONSE);
        assertTrue(e.getMessage().startsWith("crm sugar: reply is not valid JSON"), e.getMessage());
    }

    @Test
    void aReplyWithoutRecordsIsABadResponse() throws Exception {
        server = new FakeCrmServer(TOKEN_1, Reply.json("{\"error\":\"odd\"}"));
        assertEquals("crm sugar: reply has no records array",
                failure(sugar().lookup(byPhone("+15551234567")), CrmException.Kind.BAD_RESPONSE).getMessage());
    }

    @Test
    void aHostileCallerIdArrivesVerbatimAsAJsonStringAndFindsNothing() throws Exception {
        server = new FakeCrmServer(TOKEN_1, NONE);
        assertTrue(await(sugar().lookup(byPhone(HOSTILE))).isEmpty());
        assertEquals("{\"filter\":[{\"phone_work\":{\"$equals\":\"'\\\"\\\\)(*:{}[]^~!&|+-/ OR 1=1 --\"}}],"
                + "\"fields\":\"first_name,status_c\",\"max_num\":1}", server.seen().get(1).body());
        assertEquals(HOSTILE, json(server.seen().get(1).body()).at("/filter/0/phone_work/$equals").asText());
    }

    @Test
    void aNameThatIsNoIdentifierIsAConfigProblemAndNothingIsSent() throws Exception {
        server = new FakeCrmServer(TOKEN_1, NONE);
        LookupRequest request = new LookupRequest("Contacts", "$or", "x", Optional.empty(), List.of(), 1, "", "", Duration.ofMillis(1500), null);
        assertEquals("crm sugar: not a SugarCRM module or field name: $or",
                failure(sugar().lookup(request), CrmException.Kind.CONFIG).getMessage());
        assertTrue(server.seen().isEmpty());
    }
}
