package io.crmroute.crm;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Ticker;
import io.crmroute.crm.FakeCrmServer.Reply;
import io.crmroute.crm.FakeCrmServer.Seen;
import io.crmroute.testing.ManualTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

import static io.crmroute.crm.HubSpotCrmTest.HOSTILE;
import static io.crmroute.crm.TestCrms.await;
import static io.crmroute.crm.TestCrms.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HubSpot writes against a fake CRM v3 API on 127.0.0.1: the requests sent, the records made, and retries that make no second. */
class HubSpotWriteTest {

    private static final String TOKEN = "pat-na1-11111111-2222-3333-4444-555555555555";
    private static final String CALL_KEY = "1733110000.42/sales/nomatch/0";
    private static final CrmWrite.CallFacts CALL = WriteRetries.HOSTILE_CALL;

    private final CrmContext context = CrmContext.create(new TestCrms.FakeClock(), Ticker.systemTicker());
    private FakeCrmServer server;

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
        context.close();
    }

    private CrmConnector hubspot(CrmContext in) {
        CrmSpec spec = TestCrms.withSecrets(TestCrms.spec("hs", HubSpotCrm.TYPE, Map.of("base-url", server.url("/"), "allow-insecure", "true",
                "auth.api-token", TOKEN, "portal-id", "62515")), Set.of(TOKEN));
        return CrmConnectors.create(spec, in);
    }

    private static CrmWrite.Create newContact(Optional<String> keyField) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("phone", HOSTILE);
        fields.put("firstname", "Unknown caller");
        return new CrmWrite.Create("contacts", fields, keyField, CALL_KEY);
    }

    private static JsonNode body(Seen seen) throws Exception {
        return CrmHttp.JSON.readTree(seen.body());
    }

    @Test
    void aCreatePostsThePropertiesAndAnswersTheNewRecordAndItsPage() throws Exception {
        server = new FakeCrmServer(new Reply(201, "application/json", "{\"id\": \"501\", \"properties\": {}}", Map.of()));
        WriteResult result = await(hubspot(context).write(new WriteRequest(newContact(Optional.empty()), Duration.ofSeconds(2))));

        Seen seen = server.seen().get(0);
        assertEquals("POST", seen.method());
        assertEquals("/crm/v3/objects/contacts", seen.path());
        assertEquals("Bearer " + TOKEN, seen.header("Authorization"));
        assertEquals("application/json", seen.header("Content-Type"));
        assertEquals("{\"properties\":{\"phone\":\"'\\\"\\\\)(*:{}[]^~!&|+-/ OR 1=1 --\",\"firstname\":\"Unknown caller\"}}", seen.body());
        assertEquals(HOSTILE, body(seen).at("/properties/phone").asText());
        assertEquals(new WriteResult("contacts", "501", Optional.of("https://app.hubspot.com/contacts/62515/record/0-1/501"), false), result);
    }

    @Test
    void aCreateWithAKeyFieldUpsertsOnIt() throws Exception {
        server = new FakeCrmServer(Reply.json("{\"status\": \"COMPLETE\", \"results\": [{\"id\": \"502\", \"new\": true, \"properties\": {}}]}"));
        WriteResult result = await(hubspot(context).write(new WriteRequest(newContact(Optional.of("crmroute_call_key")), Duration.ofSeconds(2))));

        Seen seen = server.seen().get(0);
        assertEquals("POST", seen.method());
        assertEquals("/crm/v3/objects/contacts/batch/upsert", seen.path());
        assertEquals("{\"inputs\":[{\"idProperty\":\"crmroute_call_key\",\"id\":\"" + CALL_KEY + "\",\"properties\":{\"phone\":"
                + "\"'\\\"\\\\)(*:{}[]^~!&|+-/ OR 1=1 --\",\"firstname\":\"Unknown caller\"}}]}", seen.body());
        assertEquals(new WriteResult("contacts", "502", Optional.of("https://app.hubspot.com/contacts/62515/record/0-1/502"), false), result);
    }

    @Test
    void anUpdatePatchesTheRecordWhoseIdIsOnePathSegment() throws Exception {
        server = new FakeCrmServer(Reply.json("{\"id\": \"151\", \"properties\": {}}"));
        CrmWrite.Update update = new CrmWrite.Update("contacts", "151/../x y", Map.of("last_caller_id", HOSTILE), CALL_KEY);
        WriteResult result = await(hubspot(context).write(new WriteRequest(update, Duration.ofSeconds(2))));

        Seen seen = server.seen().get(0);
        assertEquals("PATCH", seen.method());
        assertEquals("/crm/v3/objects/contacts/151%2F..%2Fx%20y", seen.path());
        assertEquals(HOSTILE, body(seen).at("/properties/last_caller_id").asText());
        assertEquals("151", result.id());
        assertEquals(Optional.of("https://app.hubspot.com/contacts/62515/record/0-1/151%2F..%2Fx%20y"), result.url());
    }

    @Test
    void aCallLogIsAnInboundCompletedCallAssociatedWithTheContact() throws Exception {
        server = new FakeCrmServer(new Reply(201, "application/json", "{\"id\": \"9001\", \"properties\": {}}", Map.of()));
        CrmWrite.LogCall log = new CrmWrite.LogCall("contacts", "151", "Inbound call", Map.of("hs_call_body", "Routed to sales"), CALL,
                Optional.empty(), CALL_KEY);
        WriteResult result = await(hubspot(context).write(new WriteRequest(log, Duration.ofSeconds(2))));

        Seen seen = server.seen().get(0);
        assertEquals("POST", seen.method());
        assertEquals("/crm/v3/objects/calls", seen.path());
        assertEquals("{\"properties\":{\"hs_timestamp\":\"2026-01-05T09:00:00Z\",\"hs_call_title\":\"Inbound call\",\"hs_call_direction\":\"INBOUND\","
                + "\"hs_call_status\":\"COMPLETED\",\"hs_call_from_number\":\"'\\\"\\\\)(*:{}[]^~!&|+-/ OR 1=1 --\",\"hs_call_to_number\":\"5551000\","
                + "\"hs_call_body\":\"Routed to sales\"},\"associations\":[{\"to\":{\"id\":\"151\"},\"types\":[{\"associationCategory\":"
                + "\"HUBSPOT_DEFINED\",\"associationTypeId\":194}]}]}", seen.body());
        assertEquals(HOSTILE, body(seen).at("/properties/hs_call_from_number").asText());
        assertEquals(new WriteResult("calls", "9001", Optional.empty(), false), result);
    }

    @Test
    void aCallLogWithAKeyFieldUpsertsTheCallThenAssociatesIt() throws Exception {
        server = new FakeCrmServer(Reply.json("{\"status\": \"COMPLETE\", \"results\": [{\"id\": \"9002\", \"new\": true}]}"),
                Reply.json("{\"status\": \"COMPLETE\", \"results\": []}"));
        CrmWrite.LogCall log = new CrmWrite.LogCall("companies", "77", "Inbound call", Map.of(), CALL, Optional.of("crmroute_call_key"), CALL_KEY);
        WriteResult result = await(hubspot(context).write(new WriteRequest(log, Duration.ofSeconds(2))));

        assertEquals("/crm/v3/objects/calls/batch/upsert", server.seen().get(0).path());
        JsonNode input = body(server.seen().get(0)).at("/inputs/0");
        assertEquals("crmroute_call_key", input.path("idProperty").asText());
        assertEquals(CALL_KEY, input.path("id").asText());
        assertEquals(HOSTILE, input.at("/properties/hs_call_from_number").asText());
        Seen associate = server.seen().get(1);
        assertEquals("PUT", associate.method());
        assertEquals("/crm/v4/objects/calls/9002/associations/default/companies/77", associate.path());
        assertEquals(new WriteResult("calls", "9002", Optional.empty(), false), result);
    }

    @Test
    void aValidationErrorIsNotWorthRetryingAndA500Is() throws Exception {
        String refusal = CrmHttp.JSON.writeValueAsString(Map.of("status", "error", "message", "Property values were not valid: " + HOSTILE,
                "category", "VALIDATION_ERROR"));
        server = new FakeCrmServer(new Reply(400, "application/json", refusal, Map.of()), Reply.status(500));
        CrmConnector crm = hubspot(context);
        CrmException refused = failure(crm.write(new WriteRequest(newContact(Optional.empty()), Duration.ofSeconds(2))), CrmException.Kind.HTTP_STATUS);
        assertEquals("crm hs: HTTP 400: VALIDATION_ERROR", refused.getMessage(), "the category, never the message echoing the values");
        assertFalse(refused.worthRetrying());
        CrmException broken = failure(crm.write(new WriteRequest(newContact(Optional.empty()), Duration.ofSeconds(2))), CrmException.Kind.HTTP_STATUS);
        assertTrue(broken.worthRetrying());
    }

    @Test
    void anUpsertThatMadeNothingIsARefusal() throws Exception {
        server = new FakeCrmServer(new Reply(207, "application/json", "{\"status\":\"COMPLETE\",\"results\":[],\"numErrors\":1,"
                + "\"errors\":[{\"status\":\"error\",\"category\":\"VALIDATION_ERROR\",\"message\":\"x\"}]}", Map.of()));
        CrmException e = failure(hubspot(context).write(new WriteRequest(newContact(Optional.of("crmroute_call_key")), Duration.ofSeconds(2))),
                CrmException.Kind.HTTP_STATUS);
        assertEquals("crm hs: HTTP 207 upsert made nothing: VALIDATION_ERROR", e.getMessage());
        assertFalse(e.worthRetrying());
    }

    /** HubSpot's batch upsert on a unique property: the record with that value, made when absent. */
    private static final class Contacts implements Function<Seen, Reply> {
        final Map<String, String> byKey = new LinkedHashMap<>();

        @Override
        public Reply apply(Seen seen) {
            try {
                JsonNode input = CrmHttp.JSON.readTree(seen.body()).at("/inputs/0");
                String key = input.path("id").asText();
                boolean made = !byKey.containsKey(key);
                if (made) byKey.put(key, String.valueOf(600 + byKey.size()));
                return Reply.json("{\"status\":\"COMPLETE\",\"results\":[{\"id\":\"" + byKey.get(key) + "\",\"new\":" + made + "}]}");
            } catch (Exception e) {
                return Reply.status(400);
            }
        }
    }

    @Test
    void aCreateRetriedAfterA500FindsTheRecordTheFirstAttemptMade() throws Exception {
        Contacts contacts = new Contacts();
        server = new FakeCrmServer(WriteRetries.firstReplyLost(contacts, seen -> true, Reply.status(500)));
        WriteResult retry = WriteRetries.retriedAfterA500(hubspot(context), newContact(Optional.of("crmroute_call_key")));
        assertEquals(Map.of(CALL_KEY, "600"), contacts.byKey, "one record");
        assertEquals(new WriteResult("contacts", "600", Optional.of("https://app.hubspot.com/contacts/62515/record/0-1/600"), true), retry);
    }

    @Test
    void aCreateRetriedAfterATimeoutFindsTheRecordTheFirstAttemptMade() throws Exception {
        Contacts contacts = new Contacts();
        server = new FakeCrmServer(WriteRetries.firstReplyLost(contacts, seen -> true, Reply.never()));
        ManualTime time = new ManualTime();
        try (CrmContext driven = TestCrms.drivenBy(time)) {
            WriteResult retry = WriteRetries.retriedAfterATimeout(time, server, 1, hubspot(driven), newContact(Optional.of("crmroute_call_key")));
            assertEquals(Map.of(CALL_KEY, "600"), contacts.byKey, "one record");
            assertEquals("600", retry.id());
            assertTrue(retry.earlier());
        }
    }

    @Test
    void bothRequestsOfAKeyedCallLogShareTheWritesBudget() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server = new FakeCrmServer(WriteRetries.heldThenSilent(seen -> Reply.json("{\"results\":[{\"id\":\"9003\",\"new\":true}]}"),
                seen -> seen.path().endsWith("/batch/upsert"), release));
        ManualTime time = new ManualTime();
        try (CrmContext driven = TestCrms.drivenBy(time)) {
            CrmWrite.LogCall log = new CrmWrite.LogCall("contacts", "151", "Inbound call", Map.of(), CALL, Optional.of("k"), CALL_KEY);
            WriteRetries.theNextRequestHasWhatIsLeft(time, server, 1, release, hubspot(driven).write(new WriteRequest(log, WriteRetries.BUDGET)));
        }
    }

    @Test
    void writesEveryKindAndIsRetrySafeWithAKeyField() {
        server = null;
        CrmConnector crm = CrmConnectors.create(TestCrms.spec("hs", HubSpotCrm.TYPE, Map.of("auth.api-token", "t")), context);
        assertEquals(EnumSet.allOf(WriteKind.class), crm.writeKinds());
        assertFalse(crm.retrySafe(newContact(Optional.empty())));
        assertTrue(crm.retrySafe(newContact(Optional.of("crmroute_call_key"))));
        assertTrue(crm.retrySafe(new CrmWrite.Update("contacts", "1", Map.of(), CALL_KEY)));
        assertFalse(crm.retrySafe(new CrmWrite.LogCall("contacts", "1", "s", Map.of(), CALL, Optional.empty(), CALL_KEY)));
        assertTrue(crm.retrySafe(new CrmWrite.LogCall("contacts", "1", "s", Map.of(), CALL, Optional.of("k"), CALL_KEY)));
    }
}
