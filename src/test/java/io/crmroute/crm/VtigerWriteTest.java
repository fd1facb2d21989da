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
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.crmroute.crm.HubSpotCrmTest.HOSTILE;
import static io.crmroute.crm.SalesforceCrmTest.decode;
import static io.crmroute.crm.TestCrms.await;
import static io.crmroute.crm.TestCrms.failure;
import static io.crmroute.crm.WriteTesting.BUDGET;
import static io.crmroute.crm.WriteTesting.CALL;
import static io.crmroute.crm.WriteTesting.CALL_KEY;
import static io.crmroute.crm.WriteTesting.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VtigerWriteTest {

    private static final String ACCESS_KEY = "aK3yFr0mMyPreferences";
    private static final Reply CHALLENGE = Reply.json("{\"success\":true,\"result\":{\"token\":\"5f1a2b3c4d5e6\",\"expireTime\":1736935500}}");
    private static final Reply LOGIN = Reply.json("{\"success\":true,\"result\":{\"sessionName\":\"sess-1\",\"userId\":\"19x5\"}}");
    private static final Reply NONE = Reply.json("{\"success\":true,\"result\":[]}");
    /** What the write of {@link WriteTesting#CALL_KEY} keeps in its key field: a value VTQL can carry. */
    private static final String KEY = CrmWrite.idOf(CALL_KEY);

    private final CrmContext context = CrmContext.create(new TestCrms.FakeClock(), Ticker.systemTicker());
    private FakeCrmServer server;

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
        context.close();
    }

    private CrmConnector vtiger(CrmContext in) {
        CrmSpec spec = TestCrms.spec("vt", VtigerCrm.TYPE, Map.of("base-url", server.url("/vtigercrm/"), "allow-insecure", "true",
                "auth.username", "pbx", "auth.access-key", ACCESS_KEY));
        return CrmConnectors.create(TestCrms.withSecrets(spec, Set.of(ACCESS_KEY)), in);
    }

    private CrmConnector vtiger() {
        return vtiger(context);
    }

    private static CrmWrite.Create lead(Optional<String> keyField) {
        Map<String, String> fields = WriteTesting.callerFields("lastname", "phone");
        return new CrmWrite.Create("Leads", fields, keyField, CALL_KEY);
    }

    private static Reply saved(String id) {
        return Reply.json("{\"success\":true,\"result\":{\"id\":\"" + id + "\",\"lastname\":\"x\"}}");
    }

    private static JsonNode element(Seen seen) {
        try {
            return CrmHttp.JSON.readTree(decode(seen.body()).get("element"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aCreateWithAKeyFieldQueriesForTheKeyThenCreatesAssignedToTheSessionsUser() throws Exception {
        server = new FakeCrmServer(CHALLENGE, LOGIN, NONE, saved("10x77"));
        List<String> trace = new ArrayList<>();
        WriteResult result = await(vtiger().write(new WriteRequest(lead(Optional.of("cf_call_key")), Duration.ofSeconds(5), trace::add, null)));

        Seen query = server.seen().get(2);
        assertEquals("GET", query.method());
        assertEquals("/vtigercrm/webservice.php", query.path());
        assertEquals("SELECT cf_call_key FROM Leads WHERE cf_call_key = '" + KEY + "' LIMIT 1;", decode(query.rawQuery()).get("query"));
        Seen create = server.seen().get(3);
        assertEquals("POST", create.method());
        assertEquals("/vtigercrm/webservice.php", create.path());
        Map<String, String> form = decode(create.body());
        assertEquals("create", form.get("operation"));
        assertEquals("sess-1", form.get("sessionName"));
        assertEquals("Leads", form.get("elementType"));
        JsonNode element = element(create);
        assertEquals(HOSTILE, element.path("phone").asText(), "the caller's text arrives intact through form and JSON");
        assertEquals("Caller " + HOSTILE, element.path("lastname").asText());
        assertEquals(KEY, element.path("cf_call_key").asText());
        assertEquals("19x5", element.path("assigned_user_id").asText());
        assertEquals(new WriteResult("Leads", "10x77", Optional.of(server.url("/vtigercrm/index.php?module=Leads&view=Detail&record=77")), false), result);
        assertFalse(String.join("\n", trace).contains("sess-1"), "the session is masked in the trace");
    }

    @Test
    void anUpdateRevisesOnlyTheGivenFields() throws Exception {
        server = new FakeCrmServer(CHALLENGE, LOGIN, saved("12x34"));
        WriteResult result = await(vtiger().write(request(new CrmWrite.Update("Contacts", "12x34", Map.of("description", HOSTILE), CALL_KEY))));
        Map<String, String> form = decode(server.seen().get(2).body());
        assertEquals("revise", form.get("operation"));
        assertEquals(Map.of("description", HOSTILE, "id", "12x34"), CrmHttp.JSON.convertValue(element(server.seen().get(2)), Map.class));
        assertEquals(new WriteResult("Contacts", "12x34", Optional.of(server.url("/vtigercrm/index.php?module=Contacts&view=Detail&record=34")), false),
                result);
    }

    @Test
    void aCallIsLoggedAsAHeldCallEventOnTheMatchedContact() throws Exception {
        server = new FakeCrmServer(CHALLENGE, LOGIN, saved("18x90"));
        CrmWrite.LogCall logCall = new CrmWrite.LogCall("Contacts", "12x34", "Call to 5551000 " + HOSTILE, Map.of(), CALL, Optional.empty(), CALL_KEY);
        WriteResult result = await(vtiger().write(request(logCall)));

        assertEquals("Events", decode(server.seen().get(2).body()).get("elementType"));
        JsonNode event = element(server.seen().get(2));
        assertEquals("Call to 5551000 " + HOSTILE, event.path("subject").asText());
        assertEquals("Call", event.path("activitytype").asText());
        assertEquals("Held", event.path("eventstatus").asText());
        assertEquals("2026-01-05", event.path("date_start").asText());
        assertEquals("09:00:00", event.path("time_start").asText());
        assertEquals("12x34", event.path("contact_id").asText());
        assertEquals("Inbound call from " + HOSTILE + " to 5551000 (Asterisk uniqueid 1733110000.42)", event.path("description").asText());
        assertEquals("Events", result.object());
        assertEquals("18x90", result.id());
        assertFalse(vtiger().retrySafe(logCall), "no key field: nothing to find a first attempt by");
        assertTrue(vtiger().retrySafe(new CrmWrite.LogCall("Accounts", "11x1", "s", Map.of(), CALL, Optional.of("cf_call_key"), CALL_KEY)));
    }

    @Test
    void aRefusalIsNotWorthRetryingAndAServerErrorIs() throws Exception {
        server = new FakeCrmServer(CHALLENGE, LOGIN, Reply.json(
                "{\"success\":false,\"error\":{\"code\":\"MANDATORY_FIELDS_MISSING\",\"message\":\"lastname does not have a value\"}}"),
                new Reply(400, "text/plain", "", Map.of()), Reply.status(500));
        CrmException missing = failure(vtiger().write(request(lead(Optional.empty()))), CrmException.Kind.CONFIG);
        assertEquals("crm vt: create failed: MANDATORY_FIELDS_MISSING (lastname does not have a value)", missing.getMessage());
        assertFalse(missing.worthRetrying());
        assertFalse(failure(vtiger().write(request(lead(Optional.empty()))), CrmException.Kind.HTTP_STATUS).worthRetrying());
        assertTrue(failure(vtiger().write(request(lead(Optional.empty()))), CrmException.Kind.HTTP_STATUS).worthRetrying());
    }

    @Test
    void aFieldThatIsNoIdentifierIsAConfigProblemAndNothingIsSent() throws Exception {
        server = new FakeCrmServer(CHALLENGE);
        failure(vtiger().write(request(new CrmWrite.Create("Leads", Map.of("x' OR '1'='1", "v"), Optional.empty(), CALL_KEY))), CrmException.Kind.CONFIG);
        assertEquals(List.of(), server.seen());
        assertEquals(EnumSet.allOf(WriteKind.class), vtiger().writeKinds());
    }

    /** Vtiger's Leads: the query finds by cf_call_key; a create stores, the first one then fails as {@code failure}. */
    private static final class Leads {
        final Map<String, String> byKey = new LinkedHashMap<>();
        final WriteTesting.FirstCreate first = new WriteTesting.FirstCreate();

        Reply answer(Seen seen) {
            Map<String, String> parameters = decode(seen.method().equals("GET") ? seen.rawQuery() : seen.body());
            switch (parameters.get("operation")) {
                case "getchallenge":
                    return CHALLENGE;
                case "login":
                    return LOGIN;
                case "query":
                    String query = parameters.get("query");
                    return byKey.entrySet().stream().filter(held -> query.contains("'" + held.getKey() + "'")).findFirst()
                            .map(held -> Reply.json("{\"success\":true,\"result\":[{\"cf_call_key\":\"" + held.getKey() + "\",\"id\":\"" + held.getValue() + "\"}]}"))
                            .orElse(NONE);
                default:
                    String id = "10x" + (77 + byKey.size());
                    byKey.put(element(seen).path("cf_call_key").asText(), id);
                    return first.answer(saved(id));
            }
        }
    }

    @Test
    void aCreateSentAgainAfterAServerErrorFindsTheRecordMadeFirst() throws Exception {
        Leads leads = new Leads();
        server = new FakeCrmServer(leads::answer);
        WriteResult again = WriteTesting.sentAgainAfterAServerError(vtiger(), lead(Optional.of("cf_call_key")));
        assertEquals(Map.of(KEY, "10x77"), leads.byKey, "one lead");
        assertEquals(new WriteResult("Leads", "10x77", Optional.of(server.url("/vtigercrm/index.php?module=Leads&view=Detail&record=77")), true), again);
    }

    @Test
    void aCreateSentAgainAfterATimeoutFindsTheRecordMadeFirst() throws Exception {
        Leads leads = new Leads();
        leads.first.timesOut();
        server = new FakeCrmServer(leads::answer);
        ManualTime time = new ManualTime();
        try (CrmContext driven = TestCrms.drivenBy(time)) {
            WriteResult again = WriteTesting.sentAgainAfterATimeout(time, vtiger(driven), lead(Optional.of("cf_call_key")), server, 4);
            assertEquals(Map.of(KEY, "10x77"), leads.byKey, "one lead");
            assertEquals("10x77", again.id());
        }
    }
}
