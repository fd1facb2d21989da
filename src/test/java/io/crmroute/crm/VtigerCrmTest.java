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
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

class VtigerCrmTest {

    private static final String ACCESS_KEY = "aK3yFr0mMyPreferences";
    private static final Reply CHALLENGE = Reply.json(
            "{\"success\":true,\"result\":{\"token\":\"5f1a2b3c4d5e6\",\"serverTime\":1736935200,\"expireTime\":1736935500}}");
    private static final Reply LOGIN_1 = Reply.json(
            "{\"success\":true,\"result\":{\"sessionName\":\"sess-1\",\"userId\":\"19x5\",\"version\":\"0.22\",\"vtigerVersion\":\"7.5.0\"}}");
    private static final Reply LOGIN_2 = Reply.json("{\"success\":true,\"result\":{\"sessionName\":\"sess-2\",\"userId\":\"19x5\"}}");
    private static final Reply ONE_CONTACT = Reply.json(
            "{\"success\":true,\"result\":[{\"firstname\":\"Ada\",\"cf_status\":\"GOLD\",\"id\":\"12x34\"}]}");
    private static final Reply NONE = Reply.json("{\"success\":true,\"result\":[]}");
    private static final Reply INVALID_SESSION = Reply.json(
            "{\"success\":false,\"error\":{\"code\":\"INVALID_SESSIONID\",\"message\":\"Session Identifier provided is Invalid\"}}");

    private final TestCrms.FakeClock clock = new TestCrms.FakeClock();
    private final CrmContext context = CrmContext.create(clock, Ticker.systemTicker());
    private FakeCrmServer server;

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
        context.close();
    }

    private CrmConnector vtiger(Map<String, String> settings) {
        return vtiger(settings, context);
    }

    private CrmConnector vtiger(Map<String, String> settings, CrmContext in) {
        Map<String, String> keys = new HashMap<>(settings);
        keys.putAll(Map.of("base-url", server.url("/vtigercrm/"), "allow-insecure", "true", "auth.username", "pbx", "auth.access-key", ACCESS_KEY));
        CrmSpec spec = TestCrms.withSecrets(TestCrms.spec("vt", VtigerCrm.TYPE, keys), Set.of(ACCESS_KEY));
        return CrmConnectors.create(spec, in);
    }

    private CrmConnector vtiger() {
        return vtiger(Map.of());
    }

    private static LookupRequest byPhone(String number, int limit, Duration budget, List<String> trace) {
        return new LookupRequest("Contacts", "phone", number, Optional.of(new PhoneMatching("US", List.of("E164", "NATIONAL"))),
                List.of("firstname", "cf_status"), limit, "", number, budget, trace::add);
    }

    private static LookupRequest byPhone(String number) {
        return byPhone(number, 1, Duration.ofMillis(1500), new ArrayList<>());
    }

    private static Map<String, String> decode(String raw) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            String[] parts = pair.split("=", 2);
            parameters.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8), URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        return parameters;
    }

    private long logins() {
        return server.seen().stream().filter(s -> "POST".equals(s.method())).count();
    }

    @Test
    void aMatchAfterChallengeAndLogin() throws Exception {
        server = new FakeCrmServer(CHALLENGE, LOGIN_1, ONE_CONTACT);
        LookupResult result = await(vtiger().lookup(byPhone("555 123 4567")));

        assertEquals(List.of(new CrmRecord(Map.of("firstname", "Ada", "cf_status", "GOLD", "id", "12x34"), Optional.of("12x34"),
                Optional.of(server.url("/vtigercrm/index.php?module=Contacts&view=Detail&record=34")))), result.records(),
                "the page names the record number after the x of the webservice id");
        assertEquals(1, result.total());
        Seen challenge = server.seen().get(0);
        assertEquals("GET", challenge.method());
        assertEquals("/vtigercrm/webservice.php", challenge.path());
        assertEquals(Map.of("operation", "getchallenge", "username", "pbx"), decode(challenge.rawQuery()));
        Seen login = server.seen().get(1);
        assertEquals("POST", login.method());
        assertEquals("/vtigercrm/webservice.php", login.path());
        assertEquals("application/x-www-form-urlencoded", login.header("Content-Type"));
        assertEquals(Map.of("operation", "login", "username", "pbx", "accessKey", VtigerCrm.accessKey("5f1a2b3c4d5e6", ACCESS_KEY)),
                decode(login.body()));
        Seen query = server.seen().get(2);
        assertEquals("/vtigercrm/webservice.php", query.path());
        assertEquals(Map.of("operation", "query", "sessionName", "sess-1",
                "query", "SELECT firstname,cf_status FROM Contacts WHERE phone IN ('+15551234567','(555) 123-4567') LIMIT 2;"),
                decode(query.rawQuery()));
    }

    @Test
    void noRowsIsNoMatch() throws Exception {
        server = new FakeCrmServer(CHALLENGE, LOGIN_1, NONE);
        assertTrue(await(vtiger().lookup(byPhone("+15550000000"))).isEmpty());
    }

    @Test
    void oneRowMoreThanTheLimitIsAskedToShowThereAreMore() throws Exception {
        server = new FakeCrmServer(CHALLENGE, LOGIN_1, Reply.json("""
                {"success":true,"result":[{"cf_status":"GOLD","id":"12x1"},{"cf_status":"SILVER","id":"12x2"},{"cf_status":"GOLD","id":"12x3"}]}"""));
        LookupResult result = await(vtiger().lookup(byPhone("+15551234567", 2, Duration.ofMillis(1500), new ArrayList<>())));
        assertEquals(List.of("12x1", "12x2"), result.records().stream().map(r -> r.get("id").orElseThrow()).toList());
        assertEquals(3, result.total());
        assertTrue(decode(server.seen().get(2).rawQuery()).get("query").endsWith(" LIMIT 3;"));
    }

    @Test
    void oneSessionServesManyLookupsUntilItsLifetimeEnds() throws Exception {
        server = new FakeCrmServer(CHALLENGE, LOGIN_1, ONE_CONTACT, ONE_CONTACT, ONE_CONTACT, CHALLENGE, LOGIN_2, ONE_CONTACT);
        CrmConnector crm = vtiger();
        for (int i = 0; i < 3; i++) await(crm.lookup(byPhone("+1555123456" + i)));
        assertEquals(1, logins());
        clock.advance(VtigerCrm.DEFAULT_SESSION_LIFETIME.minus(AccessTokens.SKEW));
        await(crm.lookup(byPhone("+15551234569")));
        assertEquals(2, logins());
        assertEquals("sess-2", decode(server.seen().get(7).rawQuery()).get("sessionName"));
    }

    @Test
    void sessionLifetimeIsASetting() throws Exception {
        server = new FakeCrmServer(CHALLENGE, LOGIN_1, ONE_CONTACT);
        CrmConnector crm = vtiger(Map.of("session-lifetime", "2h"));
        await(crm.lookup(byPhone("+15551234567")));
        clock.advance(Duration.ofMinutes(90));
        await(crm.lookup(byPhone("+15551234568")));
        assertEquals(1, logins());
        assertEquals(4, server.seen().size());
    }

    @Test
    void anInvalidSessionLogsInAgainOnceThenSucceeds() throws Exception {
        server = new FakeCrmServer(CHALLENGE, LOGIN_1, INVALID_SESSION, CHALLENGE, LOGIN_2, ONE_CONTACT);
        assertEquals(1, await(vtiger().lookup(byPhone("+15551234567"))).records().size());
        assertEquals(6, server.seen().size());
        assertEquals("sess-2", decode(server.seen().get(5).rawQuery()).get("sessionName"));
    }

    @Test
    void anInvalidSessionAfterLoggingInAgainIsAnAuthFailure() throws Exception {
        server = new FakeCrmServer(CHALLENGE, LOGIN_1, INVALID_SESSION, CHALLENGE, LOGIN_2, INVALID_SESSION);
        CrmException e = failure(vtiger().lookup(byPhone("+15551234567")), CrmException.Kind.AUTH);
        assertEquals("crm vt: query failed: INVALID_SESSIONID (Session Identifier provided is Invalid)", e.getMessage());
        assertEquals(6, server.seen().size());
    }

    @Test
    void aRefusedLoginIsAnAuthFailureWithoutTheAccessKey() throws Exception {
        server = new FakeCrmServer(CHALLENGE, Reply.json(
                "{\"success\":false,\"error\":{\"code\":\"INVALID_USER_CREDENTIALS\",\"message\":\"Invalid username or password\"}}"));
        CrmException e = failure(vtiger().lookup(byPhone("+15551234567")), CrmException.Kind.AUTH);
        assertEquals("crm vt: login failed: INVALID_USER_CREDENTIALS (Invalid username or password)", e.getMessage());
        assertFalse(e.getMessage().contains(ACCESS_KEY));
    }

    @Test
    void vtigerErrorsBecomeFittingKinds() throws Exception {
        server = new FakeCrmServer(CHALLENGE, LOGIN_1,
                Reply.json("{\"success\":false,\"error\":{\"code\":\"QUERY_SYNTAX_ERROR\",\"message\":\"Syntax Error on line 1: token '=' Unexpected \"}}"),
                Reply.json("{\"success\":false,\"error\":{\"code\":\"ACCESS_DENIED\",\"message\":\"Permission to perform the operation is denied\"}}"),
                Reply.json("{\"success\":false,\"error\":{\"code\":\"DATABASE_QUERY_ERROR\",\"message\":\"Database error while performing required operation\"}}"));
        CrmConnector crm = vtiger();
        failure(crm.lookup(byPhone("+15551234561")), CrmException.Kind.CONFIG);
        failure(crm.lookup(byPhone("+15551234562")), CrmException.Kind.AUTH);
        failure(crm.lookup(byPhone("+15551234563")), CrmException.Kind.BAD_RESPONSE);
    }

    @Test
    void a429WithinTheBudgetIsRetriedOnce() throws Exception {
        server = new FakeCrmServer(CHALLENGE, LOGIN_1, Reply.status(429).withHeader("Retry-After", "0"), ONE_CONTACT);
        assertEquals(1, await(vtiger().lookup(byPhone("+15551234567"))).records().size());
        assertEquals(4, server.seen().size());
    }

    @Test
    void a429BeyondTheBudgetIsRateLimited() throws Exception {
        server = new FakeCrmServer(CHALLENGE, LOGIN_1, Reply.status(429).withHeader("Retry-After", "30"));
        failure(vtiger().lookup(byPhone("+15551234567")), CrmException.Kind.RATE_LIMITED);
        assertEquals(3, server.seen().size());
    }

    @Test
    void a500IsAnHttpStatusFailure() throws Exception {
        server = new FakeCrmServer(CHALLENGE, LOGIN_1, Reply.status(500));
        assertEquals("crm vt: HTTP 500", failure(vtiger().lookup(byPhone("+15551234567")), CrmException.Kind.HTTP_STATUS).getMessage());
    }

    @Test
    void aSilentVtigerTimesOutAtTheCrmTimeout() throws Exception {
        server = new FakeCrmServer(CHALLENGE, LOGIN_1, Reply.never());
        ManualTime time = new ManualTime();
        try (CrmContext driven = TestCrms.drivenBy(time)) {
            CompletableFuture<LookupResult> answer = vtiger(Map.of(), driven).lookup(byPhone("+15551234567", 1, Duration.ofMillis(200), new ArrayList<>()));
            assertEquals("crm vt: no answer within 5000 ms", TestCrms.timesOutAtTheCrmTimeout(time, answer, server, 3).getMessage());
        }
    }

    @Test
    void malformedJsonIsABadResponse() throws Exception {
        server = new FakeCrmServer(CHALLENGE, LOGIN_1, Reply.json("{\"success\":true,\"result\":[{"));
        assertTrue(failure(vtiger().lookup(byPhone("+15551234567")), CrmException.Kind.BAD_RESPONSE).getMessage()
                .startsWith("crm vt: reply is not valid JSON"));
    }

    @Test
    void aReplyWithoutSuccessIsABadResponse() throws Exception {
        server = new FakeCrmServer(CHALLENGE, LOGIN_1, Reply.json("[]"));
        assertEquals("crm vt: query reply has no success flag",
                failure(vtiger().lookup(byPhone("+15551234567")), CrmException.Kind.BAD_RESPONSE).getMessage());
    }

    @Test
    void aHostileCallerIdIsNeverPutInAQueryAndFindsNothing() throws Exception {
        server = new FakeCrmServer(CHALLENGE, LOGIN_1, NONE);
        List<String> trace = new ArrayList<>();
        LookupResult result = await(vtiger().lookup(byPhone(SugarCrmTest.HOSTILE, 1, Duration.ofMillis(1500), trace)));
        assertTrue(result.isEmpty());
        assertTrue(server.seen().isEmpty(), "nothing is sent, not even a login");
        assertEquals(List.of("vtiger: value has characters a Vtiger query cannot carry safely: not asked, no match"), trace);
    }

    @Test
    void onlyTheSafeNotationsOfAValueAreAsked() throws Exception {
        server = new FakeCrmServer(CHALLENGE, LOGIN_1, NONE);
        LookupRequest request = new LookupRequest("Contacts", "lastname", "O'Brien", Optional.empty(), List.of(), 1, "", "",
                Duration.ofMillis(1500), null);
        assertTrue(await(vtiger().lookup(request)).isEmpty());
        assertTrue(server.seen().isEmpty());
    }

    @Test
    void theSessionIsMaskedInTraces() throws Exception {
        server = new FakeCrmServer(CHALLENGE, LOGIN_1, ONE_CONTACT);
        List<String> trace = new ArrayList<>();
        await(vtiger().lookup(byPhone("+15551234567", 1, Duration.ofMillis(1500), trace)));
        assertEquals(1, trace.size());
        assertTrue(trace.get(0).startsWith("GET " + server.url("/vtigercrm/webservice.php?operation=query&sessionName=****&query=SELECT")), trace.get(0));
        assertFalse(trace.get(0).contains("sess-1"));
    }

    @Test
    void aNameThatIsNoIdentifierIsAConfigProblem() throws Exception {
        server = new FakeCrmServer(CHALLENGE, LOGIN_1, NONE);
        LookupRequest request = new LookupRequest("Contacts WHERE 1=1;", "phone", "1", Optional.empty(), List.of(), 1, "", "",
                Duration.ofMillis(1500), null);
        assertEquals("crm vt: not a Vtiger module or field name: Contacts WHERE 1=1;",
                failure(vtiger().lookup(request), CrmException.Kind.CONFIG).getMessage());
        assertTrue(server.seen().isEmpty());
    }
}
