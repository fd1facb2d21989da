package io.crmroute.crm;

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

/** The Dataverse Web API and the Entra ID token endpoint, faked on 127.0.0.1. */
class DynamicsCrmTest {

    private static final String SECRET = "entra~secret+1";
    private static final String TOKEN_PATH = "/0a1b2c3d-tenant/oauth2/v2.0/token";
    private static final String ANN = "{\"@odata.context\": \"https://org.crm.dynamics.com/api/data/v9.2/$metadata#contacts(fullname,telephone1)\","
            + " \"@odata.count\": 1, \"value\": [{\"@odata.etag\": \"W/\\\"1234\\\"\", \"fullname\": \"Ann Lee\","
            + " \"telephone1\": \"+15551230001\", \"contactid\": \"c0ffee00-0000-0000-0000-000000000001\","
            + " \"_parentcustomerid_value@OData.Community.Display.V1.FormattedValue\": \"Acme\"}]}";
    private static final String NONE = "{\"@odata.context\": \"x\", \"@odata.count\": 0, \"value\": []}";

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

    private CrmConnector dynamics(Reply... replies) throws Exception {
        return dynamics(context, replies);
    }

    private CrmConnector dynamics(CrmContext in, Reply... replies) throws Exception {
        api = new FakeCrmServer(replies);
        login = new FakeCrmServer(token("tok-1"), token("tok-2"), token("tok-3"));
        return CrmConnectors.create(spec(Map.of("token-url", login.url(TOKEN_PATH))), in);
    }

    private static Reply token(String value) {
        return Reply.json("{\"token_type\": \"Bearer\", \"expires_in\": 3599, \"ext_expires_in\": 3599, \"access_token\": \"" + value + "\"}");
    }

    @Test
    void theLogicalNameOfAnEntitySetIsFoundByThePrimaryKeyTheRecordHolds() {
        assertEquals(List.of("opportunity", "opportuniti", "opportunitie", "opportunities"), DynamicsCrm.logicalNames("opportunities"));
        assertEquals(Optional.of("https://org.crm.dynamics.com/main.aspx?etn=new_project&id=1%26etn%3Dx&pagetype=entityrecord"),
                DynamicsCrm.recordUrl("https://org.crm.dynamics.com", "new_project", "1&etn=x"), "an id cannot add a parameter");
    }

    private CrmSpec spec(Map<String, String> moreAuth) {
        Map<String, String> keys = new HashMap<>(Map.of("base-url", api.url("/"), "allow-insecure", "true",
                "auth.client-id", "app-id", "auth.client-secret", SECRET));
        moreAuth.forEach((key, value) -> keys.put("auth." + key, value));
        return TestCrms.withSecrets(TestCrms.spec("d365", DynamicsCrm.TYPE, keys), Set.of(SECRET));
    }

    private static LookupRequest byPhone(String value, int limit, Duration budget) {
        return new LookupRequest("contacts", "telephone1", value, Optional.of(new PhoneMatching("US", List.of("E164", "NATIONAL"))),
                List.of("fullname", "telephone1"), limit, "", value, budget, null);
    }

    private static LookupRequest byPhone(String value) {
        return byPhone(value, 2, Duration.ofMillis(3000));
    }

    private static String filter(Seen seen) {
        return decode(seen.rawQuery()).get("$filter");
    }

    @Test
    void aMatchAnswersTheFieldsWithoutAnnotationsAndTheCount() throws Exception {
        LookupResult result = await(dynamics(Reply.json(ANN)).lookup(byPhone("555-123-0001")));
        assertEquals(List.of(new CrmRecord(Map.of("fullname", "Ann Lee", "telephone1", "+15551230001",
                "contactid", "c0ffee00-0000-0000-0000-000000000001"), Optional.of("c0ffee00-0000-0000-0000-000000000001"),
                Optional.of(api.url("/main.aspx?etn=contact&id=c0ffee00-0000-0000-0000-000000000001&pagetype=entityrecord")))),
                result.records(), "the primary key of the logical name contact, of the entity set contacts");
        assertEquals(1, result.total());

        Seen tokenRequest = login.seen().get(0);
        assertEquals(TOKEN_PATH, tokenRequest.path());
        assertEquals(Map.of("client_id", "app-id", "client_secret", SECRET, "grant_type", "client_credentials",
                "scope", api.url("") + "/.default"), decode(tokenRequest.body()));

        Seen query = api.seen().get(0);
        assertEquals("/api/data/v9.2/contacts", query.path());
        assertEquals("Bearer tok-1", query.header("Authorization"));
        assertEquals("odata.maxpagesize=2", query.header("Prefer"));
        assertEquals("4.0", query.header("OData-Version"));
        assertEquals("$select=fullname%2Ctelephone1&$filter=telephone1%20eq%20%27%2B15551230001%27%20or%20telephone1%20eq%20%27(555)%20123-0001%27&$count=true",
                query.rawQuery().replace("%28", "(").replace("%29", ")"));
        assertEquals("telephone1 eq '+15551230001' or telephone1 eq '(555) 123-0001'", filter(query));
    }

    @Test
    void noRecordIsNoMatch() throws Exception {
        LookupResult result = await(dynamics(Reply.json(NONE)).lookup(byPhone("+15551230009")));
        assertTrue(result.isEmpty());
    }

    @Test
    void severalRecordsAreCutToTheLimitAndKeepTheCount() throws Exception {
        String page = "{\"@odata.count\": 7, \"value\": [{\"fullname\": \"A\"}, {\"fullname\": \"B\"}, {\"fullname\": \"C\"}],"
                + " \"@odata.nextLink\": \"https://org.crm.dynamics.com/api/data/v9.2/contacts?$skiptoken=x\"}";
        LookupResult result = await(dynamics(Reply.json(page)).lookup(byPhone("+15551230001", 3, Duration.ofMillis(3000))));
        assertEquals(3, result.records().size());
        assertEquals(7, result.total());
        assertEquals("odata.maxpagesize=3", api.seen().get(0).header("Prefer"));
        assertEquals(1, api.seen().size());
    }

    @Test
    void oneTokenServesConcurrentLookupsUntilItsExpiresIn() throws Exception {
        CrmConnector crm = dynamics(Reply.json(NONE));
        List<CompletableFuture<LookupResult>> lookups = new ArrayList<>();
        for (int i = 0; i < 3; i++) lookups.add(crm.lookup(byPhone("+1555123000" + i)));
        for (CompletableFuture<LookupResult> lookup : lookups) await(lookup);
        assertEquals(1, login.seen().size());

        clock.advance(Duration.ofMinutes(59));
        await(crm.lookup(byPhone("+15551230005")));
        assertEquals(1, login.seen().size());
        clock.advance(Duration.ofSeconds(45)); // 3599 s minus the refresh margin has passed
        await(crm.lookup(byPhone("+15551230006")));
        assertEquals(2, login.seen().size());
        assertEquals("Bearer tok-2", api.seen().get(4).header("Authorization"));
    }

    @Test
    void aRejectedTokenIsReplacedExactlyOnce() throws Exception {
        Reply unauthorized = Reply.status(401).withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        assertEquals(1, await(dynamics(unauthorized, Reply.json(ANN)).lookup(byPhone("+15551230001"))).records().size());
        assertEquals(2, login.seen().size());
        assertEquals("Bearer tok-2", api.seen().get(1).header("Authorization"));

        api.close();
        login.close();
        failure(dynamics(unauthorized).lookup(byPhone("+15551230001")), CrmException.Kind.AUTH);
        assertEquals(2, login.seen().size());
        assertEquals(2, api.seen().size());
    }

    @Test
    void refusedClientCredentialsAreAnAuthFailure() throws Exception {
        api = new FakeCrmServer(Reply.json(NONE));
        login = new FakeCrmServer(new Reply(401, "application/json",
                "{\"error\": \"invalid_client\", \"error_description\": \"AADSTS7000215: Invalid client secret provided.\"}", Map.of()));
        CrmException e = failure(CrmConnectors.create(spec(Map.of("token-url", login.url(TOKEN_PATH))), context)
                .lookup(byPhone("+15551230001")), CrmException.Kind.AUTH);
        assertEquals("crm d365: token request refused: HTTP 401: invalid_client", e.getMessage());
        assertTrue(api.seen().isEmpty());
    }

    @Test
    void serviceProtectionLimitsAreRetriedOnceWithinTheBudgetOnly() throws Exception {
        Reply limited = new Reply(429, "application/json",
                "{\"error\": {\"code\": \"0x80072322\", \"message\": \"Number of requests exceeded the limit\"}}", Map.of("Retry-After", "1"));
        LookupResult result = await(dynamics(limited, Reply.json(ANN)).lookup(byPhone("+15551230001", 2, Duration.ofMillis(4000))));
        assertEquals(1, result.records().size());
        assertEquals(2, api.seen().size());

        api.close();
        login.close();
        failure(dynamics(limited.withHeader("Retry-After", "30")).lookup(byPhone("+15551230001")), CrmException.Kind.RATE_LIMITED);
        assertEquals(1, api.seen().size());
    }

    @Test
    void aBadColumnAndAServerErrorAreHttpStatusFailures() throws Exception {
        Reply badColumn = new Reply(400, "application/json",
                "{\"error\": {\"code\": \"0x80060888\", \"message\": \"Could not find a property named 'telephone9'.\"}}", Map.of());
        CrmConnector crm = dynamics(badColumn, Reply.status(500));
        assertEquals("crm d365: HTTP 400: 0x80060888", failure(crm.lookup(byPhone("+15551230001")), CrmException.Kind.HTTP_STATUS).getMessage());
        assertEquals("crm d365: HTTP 500", failure(crm.lookup(byPhone("+15551230002")), CrmException.Kind.HTTP_STATUS).getMessage());
    }

    @Test
    void aSilentEnvironmentTimesOutAtTheCrmTimeout() throws Exception {
        ManualTime time = new ManualTime();
        try (CrmContext driven = TestCrms.drivenBy(time)) {
            CompletableFuture<LookupResult> answer = dynamics(driven, Reply.never()).lookup(byPhone("+15551230001", 2, Duration.ofMillis(300)));
            assertEquals("crm d365: no answer within 5000 ms", TestCrms.timesOutAtTheCrmTimeout(time, answer, api, 1).getMessage());
        }
    }

    @Test
    void malformedJsonIsABadResponse() throws Exception {
        failure(dynamics(Reply.json("{\"value\": [{\"fullname\": ")).lookup(byPhone("+15551230001")), CrmException.Kind.BAD_RESPONSE);
        failure(dynamics(Reply.json("{\"values\": []}")).lookup(byPhone("+15551230001")), CrmException.Kind.BAD_RESPONSE);
    }

    @Test
    void aHostileCallerIdIsOneEscapedLiteralAndFindsNothing() throws Exception {
        List<String> trace = new ArrayList<>();
        LookupRequest hostile = new LookupRequest("contacts", "telephone1", HOSTILE, Optional.of(new PhoneMatching("US", null)),
                List.of("fullname"), 2, "", HOSTILE, Duration.ofMillis(3000), trace::add);
        assertTrue(await(dynamics(Reply.json(NONE)).lookup(hostile)).isEmpty());
        Seen seen = api.seen().get(0);
        assertEquals("telephone1 eq '''\"\\)(*:{}[]^~!&|+-/ OR 1=1 --'", filter(seen));
        assertEquals(List.of("$select", "$filter", "$count"), List.copyOf(decode(seen.rawQuery()).keySet()));
        assertFalse(seen.rawQuery().contains("'") || seen.rawQuery().contains("+") || seen.rawQuery().contains(" "), seen.rawQuery());
        assertFalse(trace.get(0).contains(SECRET) || trace.get(0).contains("tok-1"));
    }

    @Test
    void theTenantOrATokenUrlIsRequiredAtLoad() throws Exception {
        Map<String, String> keys = Map.of("base-url", "https://org.crm.dynamics.com/", "auth.client-id", "app-id", "auth.client-secret", SECRET);
        assertEquals(List.of("auth.tenant-id: missing (required for dynamics unless auth.token-url is set)"),
                TestCrms.problems(DynamicsCrm.TYPE, keys));
        Map<String, String> evil = new HashMap<>(keys);
        evil.put("auth.tenant-id", "../evil");
        assertEquals(List.of("auth.tenant-id: \"../evil\": expected a tenant id (a GUID, or a domain such as contoso.onmicrosoft.com)"),
                TestCrms.problems(DynamicsCrm.TYPE, evil));
        Map<String, String> tenant = new HashMap<>(keys);
        tenant.put("auth.tenant-id", "contoso.onmicrosoft.com");
        assertEquals(new DynamicsCrm.Settings("https://org.crm.dynamics.com", "v9.2", "app-id", SECRET,
                        URI.create("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"), "https://org.crm.dynamics.com/.default"),
                TestCrms.spec("d365", DynamicsCrm.TYPE, tenant).settings());
    }

    @Test
    void anObjectThatIsNoEntitySetFailsWithoutARequest() throws Exception {
        api = new FakeCrmServer(Reply.json(NONE));
        LookupRequest badObject = new LookupRequest("contacts?$top=1", "telephone1", "1", Optional.empty(), List.of(), 1, "", "",
                Duration.ofMillis(500), null);
        failure(CrmConnectors.create(spec(Map.of("tenant-id", "contoso.onmicrosoft.com")), context).lookup(badObject), CrmException.Kind.CONFIG);
        assertTrue(api.seen().isEmpty());
    }
}
