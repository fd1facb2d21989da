package io.crmroute.crm;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmroute.crm.FakeCrmServer.Reply;
import io.crmroute.crm.FakeCrmServer.Seen;
import io.crmroute.crm.TestCrms.FakeClock;
import io.crmroute.crm.TestCrms.FakeTicker;
import io.crmroute.testing.ManualTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static io.crmroute.crm.SalesforceCrmTest.HOSTILE;
import static io.crmroute.crm.SalesforceCrmTest.decode;
import static io.crmroute.crm.TestCrms.await;
import static io.crmroute.crm.TestCrms.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Zoho CRM's COQL API and its accounts server's refresh-token grant, faked on 127.0.0.1. */
class ZohoCrmTest {

    private static final String SECRET = "1000.refresh.secret";
    private static final String COQL_PATH = "/crm/v7/coql";
    private static final String ANN = "{\"data\": [{\"Full_Name\": \"Ann Lee\", \"Phone\": \"+15551230001\", \"Tier\": \"GOLD\","
            + " \"Owner\": {\"name\": \"Sam\", \"id\": \"4150868000000225013\"}, \"id\": \"4150868000000624001\"}],"
            + " \"info\": {\"count\": 1, \"more_records\": false}}";
    private static final Reply INVALID_TOKEN = new Reply(401, "application/json",
            "{\"code\": \"INVALID_TOKEN\", \"details\": {}, \"message\": \"invalid oauth token\", \"status\": \"error\"}", Map.of());

    private final FakeClock clock = new FakeClock();
    private final CrmContext context = CrmContext.create(clock, new FakeTicker());
    private FakeCrmServer api;
    private FakeCrmServer accounts;

    @AfterEach
    void tearDown() {
        if (api != null) api.close();
        if (accounts != null) accounts.close();
        context.close();
    }

    /** The API answers {@code replies}; the accounts server hands out tok-1, tok-2... naming the API as api_domain. */
    private CrmConnector zoho(Reply... replies) throws Exception {
        return zoho(context, replies);
    }

    private CrmConnector zoho(CrmContext in, Reply... replies) throws Exception {
        api = new FakeCrmServer(replies);
        accounts = new FakeCrmServer(token("tok-1", api.url("")), token("tok-2", api.url("")), token("tok-3", api.url("")));
        return CrmConnectors.create(spec(Optional.empty(), Map.of("token-url", accounts.url("/oauth/v2/token"))), in);
    }

    private static Reply token(String value, String apiDomain) {
        return Reply.json("{\"access_token\": \"" + value + "\", \"scope\": \"ZohoCRM.coql.READ ZohoCRM.modules.contacts.READ\","
                + " \"api_domain\": \"" + apiDomain + "\", \"token_type\": \"Bearer\", \"expires_in\": 3600}");
    }

    @Test
    void withTheOrgIdARecordLinksToItsTabInTheRegionsWebUi() {
        Map<String, String> keys = Map.of("auth.client-id", "id", "auth.client-secret", "s", "auth.refresh-token", "r",
                "auth.region", "eu", "org-id", "20071234");
        ZohoCrm.Settings settings = (ZohoCrm.Settings) TestCrms.spec("zoho", ZohoCrm.TYPE, keys).settings();
        assertEquals(Optional.of("https://crm.zoho.eu/crm/org20071234/tab/Contacts/4150868000000624001"),
                ZohoCrm.recordUrl(settings, "Contacts", "4150868000000624001"));
        assertEquals(Optional.of("https://crm.zoho.eu/crm/org20071234/tab/Potentials/41"), ZohoCrm.recordUrl(settings, "Deals", "41"),
                "Deals live in the Potentials tab");
    }

    private static CrmSpec spec(Optional<String> baseUrl, Map<String, String> moreAuth) {
        Map<String, String> keys = new HashMap<>(Map.of("allow-insecure", "true",
                "auth.client-id", "1000.CLIENT", "auth.client-secret", "csecret", "auth.refresh-token", SECRET));
        baseUrl.ifPresent(url -> keys.put("base-url", url));
        moreAuth.forEach((key, value) -> keys.put("auth." + key, value));
        return TestCrms.withSecrets(TestCrms.spec("zoho", ZohoCrm.TYPE, keys), Set.of(SECRET, "csecret"));
    }

    private static LookupRequest byPhone(String value, List<String> fields, int limit, Duration budget) {
        return new LookupRequest("Contacts", "Phone", value, Optional.of(new PhoneMatching("US", List.of("E164", "NATIONAL"))),
                fields, limit, "", value, budget, null);
    }

    private static LookupRequest byPhone(String value) {
        return byPhone(value, List.of("Phone"), 2, Duration.ofMillis(3000));
    }

    private static String coql(Seen seen) throws Exception {
        JsonNode body = CrmHttp.JSON.readTree(seen.body());
        assertEquals(1, body.size(), seen.body());
        return body.path("select_query").asText();
    }

    @Test
    void aMatchAnswersTheFieldsFromTheApiDomainTheTokenNamed() throws Exception {
        LookupResult result = await(zoho(Reply.json(ANN)).lookup(byPhone("555 123 0001", List.of("Full_Name", "Tier", "Owner"), 2,
                Duration.ofMillis(3000))));
        assertEquals(List.of(new CrmRecord(Map.of("Full_Name", "Ann Lee", "Phone", "+15551230001", "Tier", "GOLD",
                "Owner.name", "Sam", "Owner.id", "4150868000000225013", "id", "4150868000000624001"),
                Optional.of("4150868000000624001"), Optional.empty())), result.records(), "no page without org-id");
        assertEquals(1, result.total());

        Seen tokenRequest = accounts.seen().get(0);
        assertEquals("POST", tokenRequest.method());
        assertEquals("/oauth/v2/token", tokenRequest.path());
        assertEquals(Map.of("grant_type", "refresh_token", "client_id", "1000.CLIENT", "client_secret", "csecret", "refresh_token", SECRET),
                decode(tokenRequest.body()));

        Seen query = api.seen().get(0);
        assertEquals("POST", query.method());
        assertEquals(COQL_PATH, query.path());
        assertEquals("Zoho-oauthtoken tok-1", query.header("Authorization"));
        assertEquals("application/json", query.header("Content-Type"));
        assertEquals("select Full_Name,Tier,Owner from Contacts where Phone in ('+15551230001','(555) 123-0001') limit 2", coql(query));
    }

    @Test
    void noContentIsNoMatch() throws Exception {
        LookupResult result = await(zoho(Reply.status(204)).lookup(byPhone("+15551230009")));
        assertTrue(result.isEmpty());
        assertEquals(1, api.seen().size());
    }

    @Test
    void severalRecordsAreCutToTheLimit() throws Exception {
        String three = "{\"data\": [{\"Phone\": \"1\", \"id\": \"1\"}, {\"Phone\": \"1\", \"id\": \"2\"}, {\"Phone\": \"1\", \"id\": \"3\"}],"
                + " \"info\": {\"count\": 3, \"more_records\": true}}";
        LookupResult result = await(zoho(Reply.json(three)).lookup(byPhone("+15551230001", List.of("Phone"), 2, Duration.ofMillis(3000))));
        assertEquals(List.of(Optional.of("1"), Optional.of("2")), result.records().stream().map(r -> r.get("id")).toList());
        assertTrue(coql(api.seen().get(0)).endsWith(" limit 2"));
    }

    @Test
    void anExplicitBaseUrlWinsOverTheApiDomain() throws Exception {
        api = new FakeCrmServer(Reply.json(ANN));
        accounts = new FakeCrmServer(token("tok-1", "http://127.0.0.1:9/nowhere"));
        CrmConnector crm = CrmConnectors.create(spec(Optional.of(api.url("/")), Map.of("token-url", accounts.url("/oauth/v2/token"))), context);
        assertEquals(1, await(crm.lookup(byPhone("+15551230001"))).records().size());
        assertEquals(COQL_PATH, api.seen().get(0).path());
    }

    @Test
    void oneTokenServesConcurrentLookupsForItsHour() throws Exception {
        CrmConnector crm = zoho(Reply.status(204));
        List<CompletableFuture<LookupResult>> lookups = new ArrayList<>();
        for (int i = 0; i < 3; i++) lookups.add(crm.lookup(byPhone("+1555123000" + i)));
        for (CompletableFuture<LookupResult> lookup : lookups) await(lookup);
        assertEquals(1, accounts.seen().size());

        clock.advance(Duration.ofMinutes(59));
        await(crm.lookup(byPhone("+15551230005")));
        assertEquals(1, accounts.seen().size());
        clock.advance(Duration.ofSeconds(40));
        await(crm.lookup(byPhone("+15551230006")));
        assertEquals(2, accounts.seen().size());
        assertEquals("Zoho-oauthtoken tok-2", api.seen().get(4).header("Authorization"));
    }

    @Test
    void anInvalidTokenIsReplacedExactlyOnce() throws Exception {
        assertEquals(1, await(zoho(INVALID_TOKEN, Reply.json(ANN)).lookup(byPhone("+15551230001"))).records().size());
        assertEquals(List.of("Zoho-oauthtoken tok-1", "Zoho-oauthtoken tok-2"),
                api.seen().stream().map(s -> s.header("Authorization")).toList());

        api.close();
        accounts.close();
        CrmException e = failure(zoho(INVALID_TOKEN).lookup(byPhone("+15551230001")), CrmException.Kind.AUTH);
        assertEquals("crm zoho: HTTP 401 (credentials refused): INVALID_TOKEN", e.getMessage());
        assertEquals(2, accounts.seen().size());
        assertEquals(2, api.seen().size());
    }

    @Test
    void aScopeMismatchIsNotCuredByANewToken() throws Exception {
        Reply mismatch = new Reply(401, "application/json",
                "{\"code\": \"OAUTH_SCOPE_MISMATCH\", \"details\": {}, \"message\": \"invalid oauth scope to access this URL\", \"status\": \"error\"}", Map.of());
        CrmException e = failure(zoho(mismatch).lookup(byPhone("+15551230001")), CrmException.Kind.AUTH);
        assertEquals("crm zoho: HTTP 401 (credentials refused): OAUTH_SCOPE_MISMATCH", e.getMessage());
        assertEquals(1, accounts.seen().size());
    }

    @Test
    void aRefusedRefreshTokenIsAnAuthFailure() throws Exception {
        api = new FakeCrmServer(Reply.status(204));
        accounts = new FakeCrmServer(Reply.json("{\"error\": \"invalid_code\"}")); // Zoho answers 200
        CrmException e = failure(CrmConnectors.create(spec(Optional.empty(), Map.of("token-url", accounts.url("/oauth/v2/token"))), context)
                .lookup(byPhone("+15551230001")), CrmException.Kind.AUTH);
        assertEquals("crm zoho: token request refused: invalid_code", e.getMessage());
        assertTrue(api.seen().isEmpty());
    }

    @Test
    void tooManyRequestsIsRetriedOnceWithinTheBudgetOnly() throws Exception {
        Reply limited = new Reply(429, "application/json",
                "{\"code\": \"TOO_MANY_REQUESTS\", \"details\": {}, \"message\": \"too many requests\", \"status\": \"error\"}", Map.of("Retry-After", "1"));
        assertEquals(1, await(zoho(limited, Reply.json(ANN)).lookup(byPhone("+15551230001", List.of("Phone"), 2, Duration.ofMillis(4000))))
                .records().size());
        assertEquals(2, api.seen().size());

        api.close();
        accounts.close();
        failure(zoho(limited.withHeader("Retry-After", "60")).lookup(byPhone("+15551230001")), CrmException.Kind.RATE_LIMITED);
        assertEquals(1, api.seen().size());
    }

    @Test
    void aBadQueryAndAServerErrorAreHttpStatusFailures() throws Exception {
        Reply invalidQuery = new Reply(400, "application/json",
                "{\"code\": \"INVALID_QUERY\", \"details\": {\"column_name\": \"Phon\"}, \"message\": \"column given seems to be invalid\", \"status\": \"error\"}", Map.of());
        CrmConnector crm = zoho(invalidQuery, Reply.status(500));
        assertEquals("crm zoho: HTTP 400: INVALID_QUERY", failure(crm.lookup(byPhone("+15551230001")), CrmException.Kind.HTTP_STATUS).getMessage());
        assertEquals("crm zoho: HTTP 500", failure(crm.lookup(byPhone("+15551230002")), CrmException.Kind.HTTP_STATUS).getMessage());
    }

    @Test
    void aSilentApiTimesOutAtTheCrmTimeout() throws Exception {
        ManualTime time = new ManualTime();
        try (CrmContext driven = TestCrms.drivenBy(time)) {
            CompletableFuture<LookupResult> answer = zoho(driven, Reply.never()).lookup(byPhone("+15551230001", List.of("Phone"), 2, Duration.ofMillis(300)));
            assertEquals("crm zoho: no answer within 5000 ms", TestCrms.timesOutAtTheCrmTimeout(time, answer, api, 1).getMessage());
        }
    }

    @Test
    void malformedJsonIsABadResponse() throws Exception {
        failure(zoho(Reply.json("{\"data\": [")).lookup(byPhone("+15551230001")), CrmException.Kind.BAD_RESPONSE);
        failure(zoho(Reply.json("{\"info\": {}}")).lookup(byPhone("+15551230001")), CrmException.Kind.BAD_RESPONSE);
    }

    @Test
    void aHostileCallerIdIsOneEscapedLiteralAndFindsNothing() throws Exception {
        List<String> trace = new ArrayList<>();
        LookupRequest hostile = new LookupRequest("Contacts", "Phone", HOSTILE, Optional.of(new PhoneMatching("US", null)),
                List.of("Phone"), 2, "", HOSTILE, Duration.ofMillis(3000), trace::add);
        assertTrue(await(zoho(Reply.status(204)).lookup(hostile)).isEmpty());
        assertEquals("select Phone from Contacts where Phone in ('\\'\"\\\\)(*:{}[]^~!&|+-/ OR 1=1 --') limit 2", coql(api.seen().get(0)));
        assertFalse(trace.get(0).contains(SECRET) || trace.get(0).contains("tok-1"));
    }

    @Test
    void theRegionNamesTheAccountsServerAtLoad() throws Exception {
        Map<String, String> keys = Map.of("auth.client-id", "1000.CLIENT", "auth.client-secret", "csecret", "auth.refresh-token", SECRET,
                "auth.region", "mars");
        assertEquals(List.of("auth.region: \"mars\": expected one of au, ca, cn, eu, in, jp, sa, us"), TestCrms.problems(ZohoCrm.TYPE, keys));
        Map<String, String> eu = new HashMap<>(keys);
        eu.put("auth.region", "eu");
        assertEquals(URI.create("https://accounts.zoho.eu/oauth/v2/token"), ((ZohoCrm.Settings) TestCrms.spec("zoho", ZohoCrm.TYPE, eu).settings()).tokenUrl());
    }

    @Test
    void aQueryThatCannotBeBuiltFailsWithoutARequest() throws Exception {
        api = new FakeCrmServer(Reply.status(204));
        LookupRequest badModule = new LookupRequest("Contacts where", "Phone", "1", Optional.empty(), List.of(), 1, "", "",
                Duration.ofMillis(500), null);
        failure(CrmConnectors.create(spec(Optional.of(api.url("")), Map.of()), context).lookup(badModule), CrmException.Kind.CONFIG);
        assertTrue(api.seen().isEmpty());
    }
}
