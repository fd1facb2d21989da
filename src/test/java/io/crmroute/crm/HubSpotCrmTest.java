package io.crmroute.crm;

import com.github.benmanes.caffeine.cache.Ticker;
import io.crmroute.crm.FakeCrmServer.Reply;
import io.crmroute.testing.ManualTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
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

class HubSpotCrmTest {

    static final String HOSTILE = "'\"\\)(*:{}[]^~!&|+-/ OR 1=1 --";
    private static final String TOKEN = "pat-na1-11111111-2222-3333-4444-555555555555";
    private static final String ONE_CONTACT = """
            {"total": 3, "results": [{"id": "151", "properties": {"firstname": "Ada", "lifecyclestage": "customer",
              "phone": "+14155552671", "hs_object_id": "151", "createdate": null}, "createdAt": "2024-01-01T00:00:00Z",
              "archived": false}], "paging": {"next": {"after": "1"}}}""";
    private static final String NOTHING = "{\"total\": 0, \"results\": []}";

    private final CrmContext context = CrmContext.create(new TestCrms.FakeClock(), Ticker.systemTicker());
    private FakeCrmServer server;

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
        context.close();
    }

    private CrmConnector hubspot(String token) {
        return hubspot(token, context);
    }

    private CrmConnector hubspot(String token, CrmContext in) {
        CrmSpec spec = TestCrms.withSecrets(TestCrms.spec("hs", HubSpotCrm.TYPE,
                Map.of("base-url", server.url("/"), "allow-insecure", "true", "auth.api-token", token)), Set.of(TOKEN));
        return CrmConnectors.create(spec, in);
    }

    private static LookupRequest byPhone(String callerId, int limit, Duration budget, List<String> trace) {
        return new LookupRequest("contacts", "phone", callerId, Optional.of(new PhoneMatching("US", null)),
                List.of("firstname", "lifecyclestage"), limit, "", callerId, budget, trace::add);
    }

    private static LookupRequest byPhone(String callerId) {
        return byPhone(callerId, 1, Duration.ofSeconds(5), new ArrayList<>());
    }

    private static String filter(String value) {
        return "{\"filters\":[{\"propertyName\":\"phone\",\"operator\":\"EQ\",\"value\":\"" + value + "\"}]}";
    }

    @Test
    void searchBodyHasOneFilterGroupPerValue() throws Exception {
        String body = CrmHttp.JSON.writeValueAsString(HubSpotCrm.searchBody("phone", List.of("+14155552671", "4155552671"), List.of("firstname"), 3));
        assertEquals("{\"filterGroups\":[" + filter("+14155552671") + "," + filter("4155552671")
                + "],\"properties\":[\"firstname\"],\"limit\":3}", body);
    }

    @Test
    void aMatchSearchesEveryPhoneNotationAndReturnsTheFieldsAndTotal() throws Exception {
        server = new FakeCrmServer(Reply.json(ONE_CONTACT));
        LookupResult result = await(hubspot(TOKEN).lookup(byPhone("4155552671")));

        FakeCrmServer.Seen seen = server.seen().get(0);
        assertEquals("POST", seen.method());
        assertEquals("/crm/v3/objects/contacts/search", seen.path());
        assertEquals("Bearer " + TOKEN, seen.header("Authorization"));
        assertEquals("{\"filterGroups\":[" + filter("+14155552671") + "," + filter("(415) 555-2671") + "," + filter("+1 415-555-2671")
                + "," + filter("14155552671") + "," + filter("4155552671")
                + "],\"properties\":[\"firstname\",\"lifecyclestage\"],\"limit\":1}", seen.body());
        assertEquals(3, result.total());
        assertEquals(Map.of("id", "151", "firstname", "Ada", "lifecyclestage", "customer", "phone", "+14155552671", "hs_object_id", "151"),
                result.records().get(0).fields());
    }

    @Test
    void noMatchIsAnEmptyResult() throws Exception {
        server = new FakeCrmServer(Reply.json(NOTHING));
        assertTrue(await(hubspot(TOKEN).lookup(byPhone("+14155552671"))).isEmpty());
    }

    @Test
    void severalRecordsAreCutToTheLimitAndKeepTheTotal() throws Exception {
        server = new FakeCrmServer(Reply.json("""
                {"total": 7, "results": [{"id": "1", "properties": {"firstname": "A"}}, {"id": "2", "properties": {"firstname": "B"}},
                 {"id": "3", "properties": {"firstname": "C"}}]}"""));
        LookupResult result = await(hubspot(TOKEN).lookup(byPhone("+14155552671", 2, Duration.ofMillis(1500), new ArrayList<>())));
        assertTrue(server.seen().get(0).body().endsWith("\"limit\":2}"));
        assertEquals(List.of("A", "B"), result.records().stream().map(r -> r.get("firstname").orElseThrow()).toList());
        assertEquals(7, result.total());
    }

    @Test
    void aFieldOtherThanPhoneIsOneExactFilter() throws Exception {
        server = new FakeCrmServer(Reply.json(NOTHING));
        LookupRequest byEmail = new LookupRequest("companies", "domain", "example.com", Optional.empty(), List.of("name"), 1, "", "",
                Duration.ofMillis(1500), null);
        await(hubspot(TOKEN).lookup(byEmail));
        assertEquals("/crm/v3/objects/companies/search", server.seen().get(0).path());
        assertEquals("{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"domain\",\"operator\":\"EQ\",\"value\":\"example.com\"}]}],"
                + "\"properties\":[\"name\"],\"limit\":1}", server.seen().get(0).body());
    }

    @Test
    void aHostileCallerIdTravelsAsOneJsonStringAndFindsNothing() throws Exception {
        server = new FakeCrmServer(Reply.json(NOTHING));
        assertTrue(await(hubspot(TOKEN).lookup(byPhone(HOSTILE))).isEmpty());
        assertEquals("{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"phone\",\"operator\":\"EQ\",\"value\":\"'\\\"\\\\)(*:{}[]^~!&|+-/ OR 1=1 --\"}]}],"
                + "\"properties\":[\"firstname\",\"lifecyclestage\"],\"limit\":1}", server.seen().get(0).body());
        assertEquals(HOSTILE, CrmHttp.JSON.readTree(server.seen().get(0).body()).at("/filterGroups/0/filters/0/value").asText());
    }

    @Test
    void aRefusedTokenIsAnAuthFailureWithoutRetry() throws Exception {
        server = new FakeCrmServer(new Reply(401, "application/json",
                "{\"status\":\"error\",\"message\":\"Authentication credentials not found.\",\"category\":\"INVALID_AUTHENTICATION\"}", Map.of()));
        CrmException e = failure(hubspot(TOKEN).lookup(byPhone("+14155552671")), CrmException.Kind.AUTH);
        assertEquals("crm hs: HTTP 401 (credentials refused)", e.getMessage());
        assertEquals(1, server.seen().size());
    }

    @Test
    void withThePortalIdAResultLinksToItsRecordPage() throws Exception {
        server = new FakeCrmServer(Reply.json(ONE_CONTACT), Reply.json(ONE_CONTACT));
        CrmRecord withoutPortal = await(hubspot(TOKEN).lookup(byPhone("+14155552671"))).records().get(0);
        assertEquals(Optional.of("151"), withoutPortal.id());
        assertEquals(Optional.empty(), withoutPortal.url(), "the search API does not tell the portal id");

        CrmSpec spec = TestCrms.withSecrets(TestCrms.spec("hs", HubSpotCrm.TYPE, Map.of("base-url", server.url("/"), "allow-insecure", "true",
                "auth.api-token", TOKEN, "portal-id", "62515", "ui-url", "https://app-eu1.hubspot.com")), Set.of(TOKEN));
        CrmRecord record = await(CrmConnectors.create(spec, context).lookup(byPhone("+14155552671"))).records().get(0);
        assertEquals(Optional.of("https://app-eu1.hubspot.com/contacts/62515/record/0-1/151"), record.url(), "contacts are object type 0-1");
    }

    @Test
    void aMissingTokenIsAProblemOfTheConfig() {
        assertEquals(List.of("auth.api-token: missing (required for hubspot)"), TestCrms.problems(HubSpotCrm.TYPE, Map.of()));
        assertEquals(List.of("auth.api-token: expected a value, found empty text"),
                TestCrms.problems(HubSpotCrm.TYPE, Map.of("auth.api-token", "")));
        assertEquals(new HubSpotCrm.Settings("https://api.hubapi.com", TOKEN, java.util.Optional.empty(), "https://app.hubspot.com"),
                TestCrms.spec("hs", HubSpotCrm.TYPE, Map.of("auth.api-token", TOKEN)).settings(), "the public API root by default");
    }

    @Test
    void tooManyRequestsIsRetriedOnceAfterRetryAfterWithinTheBudget() throws Exception {
        server = new FakeCrmServer(new Reply(429, "application/json",
                "{\"status\":\"error\",\"message\":\"You have reached your secondly limit.\",\"errorType\":\"RATE_LIMIT\",\"policyName\":\"SECONDLY\"}",
                Map.of("Retry-After", "1", "X-HubSpot-RateLimit-Secondly-Remaining", "0")), Reply.json(ONE_CONTACT));
        LookupResult result = await(hubspot(TOKEN).lookup(byPhone("+14155552671", 1, Duration.ofSeconds(3), new ArrayList<>())));
        assertEquals(1, result.records().size());
        assertEquals(2, server.seen().size());
    }

    @Test
    void tooManyRequestsBeyondTheBudgetIsRateLimited() throws Exception {
        server = new FakeCrmServer(Reply.status(429).withHeader("Retry-After", "10"));
        failure(hubspot(TOKEN).lookup(byPhone("+14155552671")), CrmException.Kind.RATE_LIMITED);
        assertEquals(1, server.seen().size());
    }

    @Test
    void aServerErrorIsAnHttpStatusFailure() throws Exception {
        server = new FakeCrmServer(Reply.status(500));
        assertEquals("crm hs: HTTP 500", failure(hubspot(TOKEN).lookup(byPhone("+14155552671")), CrmException.Kind.HTTP_STATUS).getMessage());
    }

    @Test
    void aSilentServerTimesOutAtTheCrmTimeout() throws Exception {
        server = new FakeCrmServer(Reply.never());
        ManualTime time = new ManualTime();
        try (CrmContext driven = TestCrms.drivenBy(time)) {
            CompletableFuture<LookupResult> answer = hubspot(TOKEN, driven).lookup(byPhone("+14155552671", 1, Duration.ofMillis(200), new ArrayList<>()));
            assertEquals("crm hs: no answer within 5000 ms", TestCrms.timesOutAtTheCrmTimeout(time, answer, server, 1).getMessage());
        }
    }

    @Test
    void malformedJsonIsABadResponse() throws Exception {
        server = new FakeCrmServer(Reply.json("{\"total\": 1, \"results\": [{\"id\": "), Reply.json("{\"status\": \"ok\"}"));
        CrmConnector crm = hubspot(TOKEN);
        assertTrue(failure(crm.lookup(byPhone("+14155552671")), CrmException.Kind.BAD_RESPONSE).getMessage().startsWith("crm hs: reply is not valid JSON"));
        assertEquals("crm hs: reply has no results list",
                failure(crm.lookup(byPhone("+14155552672")), CrmException.Kind.BAD_RESPONSE).getMessage());
    }

    @Test
    void theTokenNeverAppearsInTracesOrErrors() throws Exception {
        server = new FakeCrmServer(Reply.status(403));
        List<String> trace = new ArrayList<>();
        CrmException e = failure(hubspot(TOKEN).lookup(byPhone("+14155552671", 1, Duration.ofMillis(1500), trace)), CrmException.Kind.AUTH);
        assertFalse(e.getMessage().contains(TOKEN));
        assertEquals(1, trace.size());
        assertTrue(trace.get(0).startsWith("POST " + server.url("/crm/v3/objects/contacts/search") + " {"), trace.get(0));
        assertFalse(trace.get(0).contains(TOKEN));
    }

    @Test
    void aRedirectedSearchIsNotFollowed() throws Exception {
        try (FakeCrmServer elsewhere = new FakeCrmServer(Reply.json(NOTHING))) {
            server = new FakeCrmServer(new Reply(302, "text/plain", "", Map.of("Location", elsewhere.url("/crm/v3/objects/contacts/search"))));
            CrmException e = failure(hubspot(TOKEN).lookup(byPhone("+14155552671", 1, Duration.ofMillis(1500), new ArrayList<>())),
                    CrmException.Kind.HTTP_STATUS);
            assertEquals("crm hs: HTTP 302 redirect to " + elsewhere.url("").substring("http://".length()) + " not followed", e.getMessage());
            assertTrue(elsewhere.seen().isEmpty(), "the bearer token went nowhere else");
        }
    }
}
