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
import java.util.Base64;
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

class ZendeskCrmTest {

    private static final String TOKEN = "zdtoken6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz";
    private static final String EMAIL = "agent@example.com";
    private static final Optional<PhoneMatching> US = Optional.of(new PhoneMatching("US", null));
    private static final String ADA = """
            {"id": 35436, "url": "https://acme.zendesk.com/api/v2/users/35436.json", "name": "Ada Lovelace",
             "email": "ada@example.com", "phone": "+14155552671", "role": "end-user", "organization_id": 57542,
             "tags": ["vip", "gold"], "user_fields": {"tier": "GOLD", "account": null}}""";
    private static final String GRACE = "{\"id\": 35437, \"name\": \"Grace Hopper\", \"phone\": \"(415) 555-2671\", \"user_fields\": {\"tier\": \"SILVER\"}}";
    private static final String NOTHING = "{\"users\": [], \"next_page\": null, \"previous_page\": null, \"count\": 0}";

    private final CrmContext context = CrmContext.create(new TestCrms.FakeClock(), Ticker.systemTicker());
    private FakeCrmServer server;

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
        context.close();
    }

    private CrmConnector zendesk(Map<String, String> auth, Map<String, String> settings) {
        return zendesk(auth, settings, context);
    }

    private CrmConnector zendesk(Map<String, String> auth, Map<String, String> settings, CrmContext in) {
        Map<String, String> keys = new HashMap<>(settings);
        keys.put("base-url", server.url("/"));
        keys.put("allow-insecure", "true");
        auth.forEach((key, value) -> keys.put("auth." + key, value));
        CrmSpec spec = TestCrms.withSecrets(TestCrms.spec("zd", ZendeskCrm.TYPE, keys), Set.of(TOKEN));
        return CrmConnectors.create(spec, in);
    }

    private CrmConnector zendesk() {
        return zendesk(Map.of("email", EMAIL, "api-token", TOKEN), Map.of());
    }

    private static LookupRequest lookup(String object, String value, Optional<PhoneMatching> phone, int limit, Duration budget, List<String> trace) {
        return new LookupRequest(object, "phone", value, phone, List.of("name", "user_fields.tier"), limit, "", value, budget, trace::add);
    }

    private static LookupRequest byPhone(String value) {
        return lookup("users", value, US, 1, Duration.ofSeconds(5), new ArrayList<>());
    }

    private static String query(FakeCrmServer.Seen seen) {
        Map<String, String> parameters = new HashMap<>();
        for (String pair : seen.rawQuery().split("&")) {
            String[] parts = pair.split("=", 2);
            parameters.put(parts[0], URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        return parameters.get("query");
    }

    @Test
    void queryTermsAreWrittenInZendeskSyntax() {
        assertEquals("phone:*4155552671", ZendeskQuery.term("phone", "+1 (415) 555-2671", US, true));
        assertEquals("phone:14155552671", ZendeskQuery.term("phone", "4155552671", US, false));
        assertEquals("email:\"ada@example.com\"", ZendeskQuery.term("email", "ada@example.com", Optional.empty(), true));
        assertEquals("phone:\"' )(*:{}[]^~!&|+-/ OR 1=1 --\"", ZendeskQuery.term("phone", HubSpotCrmTest.HOSTILE, US, true));
        assertEquals("account:\"a b c\"", ZendeskQuery.term("account", "a\"b\\\n c", Optional.empty(), true));
        assertTrue(ZendeskQuery.isField("user_fields.account"));
        assertFalse(ZendeskQuery.isField("phone:1 OR role"));
    }

    @Test
    void aMatchSearchesUsersByPhoneWithBasicTokenAuth() throws Exception {
        server = new FakeCrmServer(Reply.json("{\"users\": [" + ADA + "], \"next_page\": null, \"previous_page\": null, \"count\": 1}"));
        LookupResult result = await(zendesk().lookup(byPhone("+14155552671")));

        FakeCrmServer.Seen seen = server.seen().get(0);
        assertEquals("GET", seen.method());
        assertEquals("/api/v2/users/search.json", seen.path());
        assertEquals("query=phone%3A*4155552671&per_page=1", seen.rawQuery());
        assertEquals("Basic " + Base64.getEncoder().encodeToString((EMAIL + "/token:" + TOKEN).getBytes(StandardCharsets.UTF_8)),
                seen.header("Authorization"));
        CrmRecord ada = result.records().get(0);
        assertEquals(Optional.of("GOLD"), ada.get("user_fields.tier"));
        assertEquals(Optional.of("Ada Lovelace"), ada.get("name"));
        assertEquals(Optional.of("vip,gold"), ada.get("tags"));
        assertEquals(Optional.of("35436"), ada.id());
        assertEquals(Optional.of(server.url("/agent/users/35436")), ada.url(), "the user's page in the Agent Workspace");
        assertEquals(1, result.total());
    }

    @Test
    void theUnifiedSearchEndpointAndBearerAuthAreSettings() throws Exception {
        server = new FakeCrmServer(Reply.json("{\"results\": [" + ADA + "], \"count\": 1, \"next_page\": null}"));
        LookupResult result = await(zendesk(Map.of("api-token", TOKEN), Map.of("auth-scheme", "bearer", "endpoint", "search"))
                .lookup(byPhone("4155552671")));
        FakeCrmServer.Seen seen = server.seen().get(0);
        assertEquals("/api/v2/search.json", seen.path());
        assertEquals("type:user phone:*4155552671", query(seen));
        assertEquals("Bearer " + TOKEN, seen.header("Authorization"));
        assertEquals(Optional.of("GOLD"), result.records().get(0).get("user_fields.tier"));
        assertEquals(Optional.of("https://acme.zendesk.com/agent/organizations/57542"), ZendeskCrm.recordUrl("https://acme.zendesk.com",
                ZendeskCrm.type("organizations"), "57542"));
    }

    @Test
    void noMatchIsAnEmptyResult() throws Exception {
        server = new FakeCrmServer(Reply.json(NOTHING));
        assertTrue(await(zendesk().lookup(byPhone("+14155552671"))).isEmpty());
    }

    @Test
    void severalRecordsAreCutToTheLimitAndKeepTheCount() throws Exception {
        server = new FakeCrmServer(Reply.json("{\"users\": [" + ADA + "," + GRACE + "], \"next_page\": \"https://acme.zendesk.com/api/v2/users/search.json?page=2\", \"count\": 12}"));
        LookupResult result = await(zendesk().lookup(lookup("users", "+14155552671", US, 2, Duration.ofSeconds(5), new ArrayList<>())));
        assertTrue(server.seen().get(0).rawQuery().endsWith("&per_page=2"));
        assertEquals(List.of("Ada Lovelace", "Grace Hopper"), result.records().stream().map(r -> r.get("name").orElseThrow()).toList());
        assertEquals(12, result.total());
    }

    @Test
    void aHostileCallerIdIsOneQuotedPhraseAndFindsNothing() throws Exception {
        server = new FakeCrmServer(Reply.json(NOTHING));
        assertTrue(await(zendesk().lookup(byPhone(HubSpotCrmTest.HOSTILE))).isEmpty());
        assertEquals("query=phone%3A%22%27%20%29%28*%3A%7B%7D%5B%5D%5E%7E%21%26%7C%2B-%2F%20OR%201%3D1%20--%22&per_page=1",
                server.seen().get(0).rawQuery());
        assertEquals("phone:\"' )(*:{}[]^~!&|+-/ OR 1=1 --\"", query(server.seen().get(0)));
    }

    @Test
    void aRefusedTokenIsAnAuthFailure() throws Exception {
        server = new FakeCrmServer(new Reply(401, "application/json", "{\"error\": \"Couldn't authenticate you\"}", Map.of()));
        assertEquals("crm zd: HTTP 401 (credentials refused)", failure(zendesk().lookup(byPhone("+14155552671")), CrmException.Kind.AUTH).getMessage());
        assertEquals(1, server.seen().size());
    }

    @Test
    void whereAndHowToAuthenticateAreCheckedAtLoad() {
        assertEquals(List.of("base-url: missing (required for zendesk unless subdomain is set)",
                        "auth.email: missing (required for zendesk unless auth-scheme is bearer)"),
                TestCrms.problems(ZendeskCrm.TYPE, Map.of("auth.api-token", TOKEN)));
        assertEquals(new ZendeskCrm.Settings("https://acme.zendesk.com", "Bearer " + TOKEN, false, true),
                TestCrms.spec("zd", ZendeskCrm.TYPE, Map.of("subdomain", "acme", "auth-scheme", "bearer", "auth.api-token", TOKEN)).settings());
    }

    @Test
    void anObjectZendeskCannotSearchFailsWithoutARequest() throws Exception {
        server = new FakeCrmServer(Reply.json(NOTHING));
        failure(zendesk().lookup(lookup("contacts", "+14155552671", US, 1, Duration.ofSeconds(5), new ArrayList<>())), CrmException.Kind.CONFIG);
        assertTrue(server.seen().isEmpty());
    }

    @Test
    void tooManyRequestsIsRetriedOnceAfterRetryAfterWithinTheBudget() throws Exception {
        server = new FakeCrmServer(Reply.status(429).withHeader("Retry-After", "1"),
                Reply.json("{\"users\": [" + ADA + "], \"count\": 1}"));
        assertEquals(1, await(zendesk().lookup(byPhone("+14155552671"))).records().size());
        assertEquals(2, server.seen().size());
    }

    @Test
    void tooManyRequestsBeyondTheBudgetIsRateLimited() throws Exception {
        server = new FakeCrmServer(Reply.status(429).withHeader("Retry-After", "60"));
        failure(zendesk().lookup(byPhone("+14155552671")), CrmException.Kind.RATE_LIMITED);
        assertEquals(1, server.seen().size());
    }

    @Test
    void aServerErrorIsAnHttpStatusFailure() throws Exception {
        server = new FakeCrmServer(Reply.status(503));
        assertEquals("crm zd: HTTP 503", failure(zendesk().lookup(byPhone("+14155552671")), CrmException.Kind.HTTP_STATUS).getMessage());
    }

    @Test
    void aSilentServerTimesOutAtTheCrmTimeout() throws Exception {
        server = new FakeCrmServer(Reply.never());
        ManualTime time = new ManualTime();
        try (CrmContext driven = TestCrms.drivenBy(time)) {
            CompletableFuture<LookupResult> answer = zendesk(Map.of("email", EMAIL, "api-token", TOKEN), Map.of(), driven)
                    .lookup(lookup("users", "+14155552671", US, 1, Duration.ofMillis(200), new ArrayList<>()));
            assertEquals("crm zd: no answer within 5000 ms", TestCrms.timesOutAtTheCrmTimeout(time, answer, server, 1).getMessage());
        }
    }

    @Test
    void malformedJsonIsABadResponse() throws Exception {
        server = new FakeCrmServer(Reply.json("{\"users\": [{\"id\": 1,"), Reply.json("{\"results\": []}"));
        CrmConnector crm = zendesk();
        failure(crm.lookup(byPhone("+14155552671")), CrmException.Kind.BAD_RESPONSE);
        assertEquals("crm zd: reply has no users list", failure(crm.lookup(byPhone("+14155552672")), CrmException.Kind.BAD_RESPONSE).getMessage());
    }

    @Test
    void theTokenNeverAppearsInTracesOrErrors() throws Exception {
        server = new FakeCrmServer(Reply.status(403));
        List<String> trace = new ArrayList<>();
        CrmException e = failure(zendesk().lookup(lookup("users", "+14155552671", US, 1, Duration.ofSeconds(5), trace)), CrmException.Kind.AUTH);
        assertFalse(e.getMessage().contains(TOKEN));
        assertEquals(List.of("GET " + server.url("/api/v2/users/search.json?query=phone%3A*4155552671&per_page=1")), trace);
    }
}
