package io.crmroute.crm;

import com.github.benmanes.caffeine.cache.Ticker;
import io.crmroute.crm.FakeCrmServer.Reply;
import io.crmroute.testing.ManualTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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

class BullhornCrmTest {

    private static final String CLIENT_SECRET = "bh-client-secret-42";
    private static final String REFRESH_TOKEN = "25:rt-configured";
    private static final Optional<PhoneMatching> US = Optional.of(new PhoneMatching("US", List.of("E164", "NATIONAL")));
    private static final String SEARCH = """
            {"total": 3, "start": 0, "count": 1, "data": [{"id": 4711, "firstName": "Ada", "phone": "+14155552671",
              "clientCorporation": {"id": 3, "name": "Analytical"}, "_score": 1.0}]}""";
    private static final String NOTHING = "{\"total\": 0, \"start\": 0, \"count\": 0, \"data\": []}";

    private final TestCrms.FakeClock clock = new TestCrms.FakeClock();
    private final CrmContext context = CrmContext.create(clock, Ticker.systemTicker());
    private FakeCrmServer auth; // Bullhorn's OAuth server and REST login
    private FakeCrmServer rest; // the data centre the login names as restUrl
    private FakeCrmServer other;

    @AfterEach
    void tearDown() {
        for (FakeCrmServer server : new FakeCrmServer[] {auth, rest, other}) {
            if (server != null) server.close();
        }
        context.close();
    }

    private static Reply grant(int n) {
        return Reply.json("{\"access_token\": \"25:at-" + n + "\", \"token_type\": \"Bearer\", \"expires_in\": 600, \"refresh_token\": \"25:rt-" + (n + 1) + "\"}");
    }

    private Reply login(int n) {
        return Reply.json("{\"BhRestToken\": \"bh-" + n + "\", \"restUrl\": \"" + rest.url("/rest-services/e999") + "\"}");
    }

    /** The REST data centre answering {@code searches}, and an auth server answering one grant and login. */
    private void serve(Reply... searches) throws Exception {
        rest = new FakeCrmServer(searches);
        auth = new FakeCrmServer(grant(1), login(1));
    }

    private CrmSpec spec(Map<String, String> auth) {
        Map<String, String> keys = new HashMap<>(Map.of("base-url", this.auth.url(""), "allow-insecure", "true"));
        auth.forEach((key, value) -> keys.put("auth." + key, value));
        return TestCrms.withSecrets(TestCrms.spec("bh", BullhornCrm.TYPE, keys), Set.of(CLIENT_SECRET, REFRESH_TOKEN));
    }

    private CrmSpec spec() {
        return spec(Map.of("client-id", "crmroute-client", "client-secret", CLIENT_SECRET, "refresh-token", REFRESH_TOKEN,
                "token-url", auth.url("/oauth/token")));
    }

    private CrmConnector bullhorn() {
        return CrmConnectors.create(spec(), context);
    }

    private CrmConnector bullhorn(CrmContext in) {
        return CrmConnectors.create(spec(), in);
    }

    private static LookupRequest lookup(String value, Duration budget, List<String> trace) {
        return new LookupRequest("ClientContact", "phone", value, US, List.of("firstName", "phone"), 1, "", value, budget, trace::add);
    }

    private static LookupRequest lookup(String value) {
        return lookup(value, Duration.ofSeconds(5), new ArrayList<>());
    }

    private static Map<String, String> decode(String raw) {
        Map<String, String> parameters = new HashMap<>();
        for (String pair : raw.split("&")) {
            String[] parts = pair.split("=", 2);
            parameters.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8), URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        return parameters;
    }

    private static List<String> paths(FakeCrmServer server) {
        return server.seen().stream().map(FakeCrmServer.Seen::path).toList();
    }

    @Test
    void luceneSpecialsAreEscapedInsideQuotedPhrases() {
        assertEquals("phone:\"\\+14155552671\" OR phone:\"\\(415\\) 555\\-2671\"",
                BullhornQuery.anyOf("phone", List.of("+14155552671", "(415) 555-2671")));
        assertEquals("'\\\"\\\\\\)\\(\\*\\:\\{\\}\\[\\]\\^\\~\\!\\&\\|\\+\\-\\/ OR 1=1 \\-\\-", BullhornQuery.escape(HubSpotCrmTest.HOSTILE));
        assertEquals("a\\&\\&b\\|\\|c\\? d", BullhornQuery.escape("a&&b||c?\nd"));
        assertFalse(BullhornQuery.isField("phone:x OR id"));
    }

    @Test
    void refreshGrantThenLoginThenALuceneSearch() throws Exception {
        serve(Reply.json(SEARCH));
        LookupResult result = await(bullhorn().lookup(lookup("4155552671")));

        assertEquals(List.of("/oauth/token", "/rest-services/login"), paths(auth));
        FakeCrmServer.Seen token = auth.seen().get(0);
        assertEquals("POST", token.method());
        assertEquals("grant_type=refresh_token&refresh_token=25%3Art-configured&client_id=crmroute-client&client_secret=" + CLIENT_SECRET, token.body());
        assertEquals("GET", auth.seen().get(1).method());
        assertEquals(Map.of("version", "*", "access_token", "25:at-1"), decode(auth.seen().get(1).rawQuery()));
        FakeCrmServer.Seen search = rest.seen().get(0);
        assertEquals("/rest-services/e999/search/ClientContact", search.path());
        assertEquals("bh-1", search.header("BhRestToken"));
        assertEquals(Map.of("query", "phone:\"\\+14155552671\" OR phone:\"\\(415\\) 555\\-2671\"", "fields", "id,firstName,phone",
                "count", "1", "start", "0"), decode(search.rawQuery()));
        assertEquals(Map.of("id", "4711", "firstName", "Ada", "phone", "+14155552671", "clientCorporation.id", "3",
                "clientCorporation.name", "Analytical", "_score", "1.0"), result.records().get(0).fields());
        assertEquals(Optional.of("4711"), result.records().get(0).id());
        assertEquals(Optional.of("https://www.bullhornstaffing.com/BullhornStaffing/OpenWindow.cfm?entity=ClientContact&id=4711&view=Overview"),
                result.records().get(0).url(), "the Overview of the entity searched");
        assertEquals(3, result.total());
    }

    @Test
    void noMatchIsAnEmptyResult() throws Exception {
        serve(Reply.json(NOTHING));
        assertTrue(await(bullhorn().lookup(lookup("+14155552671"))).isEmpty());
    }

    @Test
    void severalRecordsAreCutToTheLimitAndKeepTheTotal() throws Exception {
        serve(Reply.json("{\"total\": 9, \"start\": 0, \"count\": 3, \"data\": [{\"id\": 1}, {\"id\": 2}, {\"id\": 3}]}"));
        LookupRequest two = new LookupRequest("ClientContact", "phone", "+14155552671", US, List.of("firstName"), 2, "", "",
                Duration.ofSeconds(5), null);
        LookupResult result = await(bullhorn().lookup(two));
        assertEquals("2", decode(rest.seen().get(0).rawQuery()).get("count"));
        assertEquals(List.of("1", "2"), result.records().stream().map(r -> r.get("id").orElseThrow()).toList());
        assertEquals(9, result.total());
    }

    @Test
    void manyLookupsShareOneLogin() throws Exception {
        serve(Reply.json(SEARCH));
        CrmConnector crm = CrmConnectors.connectorFor(spec(), context);
        List<CompletableFuture<LookupResult>> lookups = new ArrayList<>();
        for (int i = 0; i < 5; i++) lookups.add(crm.lookup(lookup("+1415555267" + i)));
        for (CompletableFuture<LookupResult> each : lookups) assertEquals(1, await(each).records().size());
        assertEquals(List.of("/oauth/token", "/rest-services/login"), paths(auth));
        assertEquals(5, rest.seen().size());
        rest.seen().forEach(seen -> assertEquals("bh-1", seen.header("BhRestToken")));
    }

    @Test
    void theSessionIsRenewedBeforeItExpiresWithTheNewestRefreshToken() throws Exception {
        rest = new FakeCrmServer(Reply.json(SEARCH));
        auth = new FakeCrmServer(grant(1), login(1), grant(2), login(2));
        CrmConnector crm = bullhorn();
        await(crm.lookup(lookup("+14155552671")));
        clock.advance(Duration.ofMinutes(9));
        await(crm.lookup(lookup("+14155552672")));
        assertEquals(2, auth.seen().size(), "a session 9 minutes old is still used");
        clock.advance(Duration.ofSeconds(45)); // inside the 30 s before the 10 minute session ends
        await(crm.lookup(lookup("+14155552673")));
        assertEquals(List.of("/oauth/token", "/rest-services/login", "/oauth/token", "/rest-services/login"), paths(auth));
        assertEquals("25:rt-2", decode(auth.seen().get(2).body()).get("refresh_token"));
        assertEquals(List.of("bh-1", "bh-1", "bh-2"), rest.seen().stream().map(seen -> seen.header("BhRestToken")).toList());
    }

    @Test
    void aRefreshTokenGrantedButNotTurnedIntoASessionIsTheOneSpentNext() throws Exception {
        rest = new FakeCrmServer(Reply.json(SEARCH));
        auth = new FakeCrmServer(grant(1), Reply.status(503), grant(2), login(2));
        CrmConnector crm = bullhorn();
        failure(crm.lookup(lookup("+14155552671")), CrmException.Kind.HTTP_STATUS);
        assertEquals(1, await(crm.lookup(lookup("+14155552671"))).records().size());
        assertEquals(List.of("25:rt-configured", "25:rt-2"), refreshTokensSpent(), "rt-configured was spent by the first grant");
    }

    @Test
    void whenTheNewestRefreshTokenIsRefusedTheConfiguredOneIsTriedOnce() throws Exception {
        rest = new FakeCrmServer(Reply.json(SEARCH));
        Reply invalidGrant = new Reply(400, "application/json", "{\"error\": \"invalid_grant\"}", Map.of());
        auth = new FakeCrmServer(grant(1), login(1), invalidGrant, grant(2), login(2));
        CrmConnector crm = bullhorn();
        await(crm.lookup(lookup("+14155552671")));
        clock.advance(Duration.ofMinutes(10)); // an admin replaced the refresh token meanwhile, say
        assertEquals(1, await(crm.lookup(lookup("+14155552671"))).records().size());
        assertEquals(List.of("25:rt-configured", "25:rt-2", "25:rt-configured"), refreshTokensSpent());
    }

    private List<String> refreshTokensSpent() {
        return auth.seen().stream().filter(seen -> seen.path().equals("/oauth/token"))
                .map(seen -> decode(seen.body()).get("refresh_token")).toList();
    }

    @Test
    void aRefusedSessionLogsInAgainOnce() throws Exception {
        Reply refused = new Reply(401, "application/json", "{\"errorMessage\": \"Bad 'BhRestToken' or timed-out.\", "
                + "\"errorMessageKey\": \"errors.authentication.invalidRestToken\", \"errorCode\": 401}", Map.of());
        rest = new FakeCrmServer(refused, Reply.json(SEARCH));
        auth = new FakeCrmServer(grant(1), login(1), grant(2), login(2));
        assertEquals(1, await(bullhorn().lookup(lookup("+14155552671"))).records().size());
        assertEquals(4, auth.seen().size());
        assertEquals(List.of("bh-1", "bh-2"), rest.seen().stream().map(seen -> seen.header("BhRestToken")).toList());
    }

    @Test
    void aSessionRefusedTwiceIsAnAuthFailure() throws Exception {
        rest = new FakeCrmServer(Reply.status(401));
        auth = new FakeCrmServer(grant(1), login(1), grant(2), login(2));
        assertEquals("crm bh: HTTP 401 (credentials refused)", failure(bullhorn().lookup(lookup("+14155552671")), CrmException.Kind.AUTH).getMessage());
        assertEquals(4, auth.seen().size());
        assertEquals(2, rest.seen().size());
    }

    @Test
    void theLoginFollowsA307ToTheUsersDataCentreWithinTheDomain() throws Exception {
        rest = new FakeCrmServer(Reply.json(SEARCH));
        other = new FakeCrmServer(login(1)); // the data centre's login
        auth = new FakeCrmServer(grant(1),
                Reply.status(307).withHeader("Location", other.url("/rest-services/login?version=*&access_token=25%3Aat-1")));
        assertEquals(1, await(bullhorn().lookup(lookup("+14155552671"))).records().size());
        assertEquals(List.of("/oauth/token", "/rest-services/login"), paths(auth));
        assertEquals(List.of("/rest-services/login"), paths(other));
        assertEquals("25:at-1", decode(other.seen().get(0).rawQuery()).get("access_token"));
        assertEquals("bh-1", rest.seen().get(0).header("BhRestToken"));
    }

    @Test
    void aRefusedRefreshTokenIsAnAuthFailure() throws Exception {
        rest = new FakeCrmServer(Reply.json(SEARCH));
        auth = new FakeCrmServer(new Reply(400, "application/json",
                "{\"error\": \"invalid_grant\", \"error_description\": \"Invalid, expired, or revoked refresh token.\"}", Map.of()));
        assertEquals("crm bh: token refresh refused (HTTP 400 invalid_grant)",
                failure(bullhorn().lookup(lookup("+14155552671")), CrmException.Kind.AUTH).getMessage());
        assertTrue(rest.seen().isEmpty());
    }

    @Test
    void missingCredentialsAreProblemsOfTheConfig() {
        assertEquals(List.of("auth.refresh-token: missing (required for bullhorn)"),
                TestCrms.problems(BullhornCrm.TYPE, Map.of("auth.client-id", "x", "auth.client-secret", CLIENT_SECRET)));
        BullhornCrm.Settings settings = (BullhornCrm.Settings) TestCrms.spec("bh", BullhornCrm.TYPE,
                Map.of("auth.client-id", "x", "auth.client-secret", CLIENT_SECRET, "auth.refresh-token", REFRESH_TOKEN)).settings();
        assertEquals("https://rest.bullhornstaffing.com/rest-services/login", settings.loginUrl());
        assertEquals(Duration.ofMinutes(10), settings.sessionTtl());
    }

    @Test
    void aHostileCallerIdIsEscapedAndFindsNothing() throws Exception {
        serve(Reply.json(NOTHING));
        assertTrue(await(bullhorn().lookup(lookup(HubSpotCrmTest.HOSTILE))).isEmpty());
        assertEquals("phone:\"'\\\"\\\\\\)\\(\\*\\:\\{\\}\\[\\]\\^\\~\\!\\&\\|\\+\\-\\/ OR 1=1 \\-\\-\"",
                decode(rest.seen().get(0).rawQuery()).get("query"));
        assertTrue(rest.seen().get(0).rawQuery().startsWith("query=phone%3A%22%27%5C%22%5C%5C%5C%29"), rest.seen().get(0).rawQuery());
    }

    @Test
    void tooManyRequestsIsRetriedOnceWithinTheBudget() throws Exception {
        serve(Reply.status(429).withHeader("Retry-After", "1"), Reply.json(SEARCH));
        assertEquals(1, await(bullhorn().lookup(lookup("+14155552671"))).records().size());
        assertEquals(2, rest.seen().size());
    }

    @Test
    void tooManyRequestsBeyondTheBudgetIsRateLimited() throws Exception {
        serve(Reply.status(429).withHeader("Retry-After", "60"));
        failure(bullhorn().lookup(lookup("+14155552671")), CrmException.Kind.RATE_LIMITED);
        assertEquals(1, rest.seen().size());
    }

    @Test
    void aServerErrorIsAnHttpStatusFailure() throws Exception {
        serve(Reply.status(500));
        assertEquals("crm bh: HTTP 500", failure(bullhorn().lookup(lookup("+14155552671")), CrmException.Kind.HTTP_STATUS).getMessage());
    }

    @Test
    void aSilentServerTimesOutAtTheCrmTimeout() throws Exception {
        serve(Reply.never());
        ManualTime time = new ManualTime();
        try (CrmContext driven = TestCrms.drivenBy(time)) {
            CompletableFuture<LookupResult> answer = bullhorn(driven).lookup(lookup("+14155552671", Duration.ofMillis(400), new ArrayList<>()));
            assertEquals("crm bh: no answer within 5000 ms", TestCrms.timesOutAtTheCrmTimeout(time, answer, rest, 1).getMessage());
        }
    }

    @Test
    void malformedJsonIsABadResponse() throws Exception {
        serve(Reply.json("{\"total\": 1, \"data\": [{"));
        failure(bullhorn().lookup(lookup("+14155552671")), CrmException.Kind.BAD_RESPONSE);
    }

    @Test
    void aLoginReplyWithoutASessionIsABadResponse() throws Exception {
        rest = new FakeCrmServer(Reply.json(SEARCH));
        auth = new FakeCrmServer(grant(1), Reply.json("{\"BhRestToken\": \"bh-1\"}"));
        assertEquals("crm bh: login reply has no BhRestToken and restUrl",
                failure(bullhorn().lookup(lookup("+14155552671")), CrmException.Kind.BAD_RESPONSE).getMessage());
    }

    @Test
    void tokensAndSecretsNeverAppearInTracesOrErrors() throws Exception {
        serve(Reply.status(403));
        List<String> trace = new ArrayList<>();
        CrmException e = failure(bullhorn().lookup(lookup("+14155552671", Duration.ofSeconds(5), trace)), CrmException.Kind.AUTH);
        assertEquals(1, trace.size());
        assertTrue(trace.get(0).startsWith("GET " + rest.url("/rest-services/e999/search/ClientContact?query=")), trace.get(0));
        for (String secret : List.of(CLIENT_SECRET, "rt-configured", "rt-2", "at-1", "bh-1")) {
            assertFalse(trace.get(0).contains(secret), secret);
            assertFalse(e.getMessage().contains(secret), secret);
        }
    }

    @Test
    void aLoginRedirectOutsideTheDomainIsNotFollowed() throws Exception {
        rest = new FakeCrmServer(Reply.json(SEARCH));
        other = new FakeCrmServer(login(1));
        String foreign = other.url("/rest-services/login?version=*&access_token=25%3Aat-1").replace("127.0.0.1", "localhost");
        auth = new FakeCrmServer(grant(1), Reply.status(307).withHeader("Location", foreign));
        CrmException e = failure(bullhorn().lookup(lookup("+14155552671")), CrmException.Kind.HTTP_STATUS);
        assertEquals("crm bh: HTTP 307 redirect to localhost:" + foreign.split(":")[2].split("/")[0] + " not followed", e.getMessage());
        assertTrue(other.seen().isEmpty(), "the access token went nowhere else");
        assertTrue(rest.seen().isEmpty());
    }
}
