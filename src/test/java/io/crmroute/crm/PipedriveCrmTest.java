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

class PipedriveCrmTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef01234567";
    private static final String ADA = """
            {"result_score": 1.2, "item": {"id": 7, "type": "person", "name": "Ada Lovelace",
              "phones": ["+14155552671", "(415) 555-2671"], "emails": ["ada@example.com"], "visible_to": 3,
              "owner": {"id": 1}, "organization": {"id": 3, "name": "Analytical", "address": null},
              "custom_fields": [], "notes": [], "update_time": "2024-05-01T10:00:00Z"}}""";
    private static final String GRACE = """
            {"result_score": 0.9, "item": {"id": 8, "type": "person", "name": "Grace Hopper", "phones": ["+14155552671"],
              "emails": [], "organization": null}}""";
    private static final String NOTHING = "{\"success\": true, \"data\": {\"items\": []}, \"additional_data\": {\"next_cursor\": null}}";

    private final CrmContext context = CrmContext.create(new TestCrms.FakeClock(), Ticker.systemTicker());
    private FakeCrmServer server;

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
        context.close();
    }

    private CrmConnector pipedrive(String token) {
        return pipedrive(token, context);
    }

    private CrmConnector pipedrive(String token, CrmContext in) {
        CrmSpec spec = TestCrms.withSecrets(TestCrms.spec("pd", PipedriveCrm.TYPE,
                Map.of("base-url", server.url(""), "allow-insecure", "true", "auth.api-token", token)), Set.of(TOKEN));
        return CrmConnectors.create(spec, in);
    }

    private static String reply(String... items) {
        return "{\"success\": true, \"data\": {\"items\": [" + String.join(",", items) + "]}, \"additional_data\": {\"next_cursor\": null}}";
    }

    private static LookupRequest lookup(String value, Optional<PhoneMatching> phone, int limit, Duration budget, List<String> trace) {
        return new LookupRequest("persons", "phone", value, phone, List.of("name", "phone"), limit, "", value, budget, trace::add);
    }

    /** One search: the value as it is, no phone notations. */
    private static LookupRequest exact(String value) {
        return lookup(value, Optional.empty(), 1, Duration.ofSeconds(5), new ArrayList<>());
    }

    private static Map<String, String> decode(String rawQuery) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            String[] parts = pair.split("=", 2);
            parameters.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8), URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        return parameters;
    }

    @Test
    void aMatchReturnsTheItemWithItsFirstPhone() throws Exception {
        server = new FakeCrmServer(Reply.json(reply(ADA)));
        LookupResult result = await(pipedrive(TOKEN).lookup(exact("+14155552671")));

        FakeCrmServer.Seen seen = server.seen().get(0);
        assertEquals("GET", seen.method());
        assertEquals("/api/v2/persons/search", seen.path());
        assertEquals(TOKEN, seen.header("x-api-token"));
        assertEquals("term=%2B14155552671&fields=phone&exact_match=true&limit=1", seen.rawQuery());
        CrmRecord ada = result.records().get(0);
        assertEquals(Optional.of("Ada Lovelace"), ada.get("name"));
        assertEquals(Optional.of("+14155552671"), ada.get("phone"));
        assertEquals(Optional.of("+14155552671,(415) 555-2671"), ada.get("phones"));
        assertEquals(Optional.of("ada@example.com"), ada.get("email"));
        assertEquals(Optional.of("Analytical"), ada.get("organization.name"));
        assertEquals(1, result.total());
    }

    @Test
    void aPhoneNumberIsSearchedInTwoNotationsInParallelAndMergedById() throws Exception {
        server = new FakeCrmServer(Reply.json(reply(ADA)), Reply.json(reply(ADA, GRACE)));
        LookupResult result = await(pipedrive(TOKEN).lookup(lookup("4155552671", Optional.of(new PhoneMatching("US", null)), 5,
                Duration.ofSeconds(5), new ArrayList<>())));
        assertEquals(Set.of("+14155552671", "(415) 555-2671"),
                server.seen().stream().map(seen -> decode(seen.rawQuery()).get("term")).collect(Collectors.toSet()));
        assertEquals(List.of("Ada Lovelace", "Grace Hopper"), result.records().stream().map(r -> r.get("name").orElseThrow()).toList());
        assertEquals(2, result.total());
    }

    @Test
    void noMatchIsAnEmptyResult() throws Exception {
        server = new FakeCrmServer(Reply.json(NOTHING));
        assertTrue(await(pipedrive(TOKEN).lookup(exact("+14155552671"))).isEmpty());
    }

    @Test
    void severalRecordsAreCutToTheLimitAndCounted() throws Exception {
        server = new FakeCrmServer(Reply.json(reply(ADA, GRACE)));
        LookupResult result = await(pipedrive(TOKEN).lookup(lookup("+14155552671", Optional.empty(), 1, Duration.ofSeconds(5), new ArrayList<>())));
        assertEquals(1, result.records().size());
        assertEquals(2, result.total());
    }

    @Test
    void aHostileCallerIdIsOneUrlEncodedTermAndFindsNothing() throws Exception {
        server = new FakeCrmServer(Reply.json(NOTHING));
        LookupResult result = await(pipedrive(TOKEN).lookup(lookup(HubSpotCrmTest.HOSTILE, Optional.of(new PhoneMatching("US", null)), 1,
                Duration.ofSeconds(5), new ArrayList<>())));
        assertTrue(result.isEmpty());
        assertEquals(1, server.seen().size());
        assertEquals("term=%27%22%5C%29%28*%3A%7B%7D%5B%5D%5E%7E%21%26%7C%2B-%2F%20OR%201%3D1%20--&fields=phone&exact_match=true&limit=1",
                server.seen().get(0).rawQuery());
        assertEquals(HubSpotCrmTest.HOSTILE, decode(server.seen().get(0).rawQuery()).get("term"));
    }

    @Test
    void anEmptyValueAsksNothing() throws Exception {
        server = new FakeCrmServer(Reply.json(NOTHING));
        assertTrue(await(pipedrive(TOKEN).lookup(exact("  "))).isEmpty());
        assertTrue(server.seen().isEmpty());
    }

    @Test
    void aRefusedTokenIsAnAuthFailure() throws Exception {
        server = new FakeCrmServer(new Reply(401, "application/json",
                "{\"success\": false, \"error\": \"unauthorized access\", \"errorCode\": 401, \"error_info\": \"Please check developers.pipedrive.com\"}", Map.of()));
        assertEquals("crm pd: HTTP 401 (credentials refused)", failure(pipedrive(TOKEN).lookup(exact("+14155552671")), CrmException.Kind.AUTH).getMessage());
        assertEquals(1, server.seen().size());
    }

    @Test
    void successFalseInAnOkReplyIsAFailureOfItsKind() throws Exception {
        server = new FakeCrmServer(Reply.json("{\"success\": false, \"error\": \"Request over limit\", \"errorCode\": 429}"),
                Reply.json("{\"success\": false, \"error\": \"Field does not exist\", \"errorCode\": 400}"));
        CrmConnector crm = pipedrive(TOKEN);
        assertEquals("crm pd: success:false: Request over limit",
                failure(crm.lookup(exact("+14155552671")), CrmException.Kind.RATE_LIMITED).getMessage());
        failure(crm.lookup(exact("+14155552672")), CrmException.Kind.BAD_RESPONSE);
    }

    @Test
    void withTheCompanyDomainAnItemLinksToItsPage() throws Exception {
        server = new FakeCrmServer(Reply.json(reply(ADA)), Reply.json(reply(ADA)));
        CrmRecord onApiHost = await(pipedrive(TOKEN).lookup(exact("+14155552671"))).records().get(0);
        assertEquals(Optional.of("7"), onApiHost.id());
        assertEquals(Optional.empty(), onApiHost.url(), "api.pipedrive.com does not say whose company it is");

        CrmSpec spec = TestCrms.withSecrets(TestCrms.spec("pd", PipedriveCrm.TYPE, Map.of("base-url", server.url(""), "allow-insecure", "true",
                "auth.api-token", TOKEN, "company-domain", "acme")), Set.of(TOKEN));
        CrmRecord record = await(CrmConnectors.create(spec, context).lookup(exact("+14155552671"))).records().get(0);
        assertEquals(Optional.of("https://acme.pipedrive.com/person/7"), record.url());
        PipedriveCrm.Settings own = (PipedriveCrm.Settings) TestCrms.spec("pd", PipedriveCrm.TYPE,
                Map.of("base-url", "https://acme.pipedrive.com", "auth.api-token", TOKEN)).settings();
        assertEquals(Optional.of("https://acme.pipedrive.com/deal/41"), PipedriveCrm.recordUrl(own, "deals", "41"),
                "a base-url on the company's own domain is its UI too");
    }

    @Test
    void aMissingTokenIsAProblemOfTheConfig() {
        assertEquals(List.of("auth.api-token: missing (required for pipedrive)"), TestCrms.problems(PipedriveCrm.TYPE, Map.of()));
        assertEquals(new PipedriveCrm.Settings("https://api.pipedrive.com", false, TOKEN, java.util.Optional.empty()),
                TestCrms.spec("pd", PipedriveCrm.TYPE, Map.of("auth.api-token", TOKEN, "exact-match", "false")).settings());
    }

    @Test
    void tooManyRequestsIsRetriedOnceAfterRetryAfterWithinTheBudget() throws Exception {
        server = new FakeCrmServer(new Reply(429, "application/json", "{\"success\": false, \"error\": \"Request over limit\", \"errorCode\": 429}",
                Map.of("Retry-After", "1", "x-ratelimit-remaining", "0")), Reply.json(reply(ADA)));
        LookupResult result = await(pipedrive(TOKEN).lookup(exact("+14155552671")));
        assertEquals(1, result.records().size());
        assertEquals(2, server.seen().size());
    }

    @Test
    void tooManyRequestsBeyondTheBudgetIsRateLimited() throws Exception {
        server = new FakeCrmServer(Reply.status(429).withHeader("Retry-After", "30"));
        failure(pipedrive(TOKEN).lookup(exact("+14155552671")), CrmException.Kind.RATE_LIMITED);
        assertEquals(1, server.seen().size());
    }

    @Test
    void aServerErrorIsAnHttpStatusFailure() throws Exception {
        server = new FakeCrmServer(Reply.status(502));
        assertEquals("crm pd: HTTP 502", failure(pipedrive(TOKEN).lookup(exact("+14155552671")), CrmException.Kind.HTTP_STATUS).getMessage());
    }

    @Test
    void aSilentServerTimesOutAtTheCrmTimeout() throws Exception {
        server = new FakeCrmServer(Reply.never());
        ManualTime time = new ManualTime();
        try (CrmContext driven = TestCrms.drivenBy(time)) {
            CompletableFuture<LookupResult> answer = pipedrive(TOKEN, driven).lookup(lookup("+14155552671", Optional.empty(), 1, Duration.ofMillis(200), new ArrayList<>()));
            assertEquals("crm pd: no answer within 5000 ms", TestCrms.timesOutAtTheCrmTimeout(time, answer, server, 1).getMessage());
        }
    }

    @Test
    void malformedJsonIsABadResponse() throws Exception {
        server = new FakeCrmServer(Reply.json("{\"success\": true, \"data\": {\"items\": [{"), Reply.json("{\"success\": true, \"data\": {\"items\": 5}}"));
        CrmConnector crm = pipedrive(TOKEN);
        failure(crm.lookup(exact("+14155552671")), CrmException.Kind.BAD_RESPONSE);
        assertEquals("crm pd: data.items is not a list", failure(crm.lookup(exact("+14155552672")), CrmException.Kind.BAD_RESPONSE).getMessage());
    }

    @Test
    void theTokenNeverAppearsInTracesOrErrors() throws Exception {
        server = new FakeCrmServer(Reply.status(403));
        List<String> trace = new ArrayList<>();
        CrmException e = failure(pipedrive(TOKEN).lookup(lookup("+14155552671", Optional.empty(), 1, Duration.ofSeconds(5), trace)),
                CrmException.Kind.AUTH);
        assertFalse(e.getMessage().contains(TOKEN));
        assertEquals(List.of("GET " + server.url("/api/v2/persons/search?term=%2B14155552671&fields=phone&exact_match=true&limit=1")), trace);
    }
}
