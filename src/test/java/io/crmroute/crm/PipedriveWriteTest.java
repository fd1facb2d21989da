package io.crmroute.crm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Ticker;
import io.crmroute.crm.FakeCrmServer.Reply;
import io.crmroute.crm.FakeCrmServer.Seen;
import io.crmroute.testing.ManualTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

import static io.crmroute.crm.HubSpotCrmTest.HOSTILE;
import static io.crmroute.crm.SalesforceCrmTest.decode;
import static io.crmroute.crm.TestCrms.await;
import static io.crmroute.crm.TestCrms.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pipedrive writes against a fake API on 127.0.0.1 that keeps items and activities, and searches them. */
class PipedriveWriteTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef01234567";
    /** A text custom field of persons (Pipedrive names custom fields by such hashes). */
    private static final String KEY_FIELD = "9f3c2a7d1e5b4c8a6f0d2e4b6a8c0e1f3a5b7c9d";
    /** An activity's own text field: activities have no custom fields to hold the call key. */
    private static final String ACTIVITY_KEY_FIELD = "public_description";
    /** A call key as a hostile route name could make it: URL syntax for the search's query string to escape. */
    private static final String CALL_KEY = "1733110000.42/a&term=x+y %/0";
    private static final CrmWrite.CallFacts CALL = new CrmWrite.CallFacts(HOSTILE, "5551000", "1733110000.42",
            Instant.parse("2026-01-05T09:07:30Z"));

    private final CrmContext context = CrmContext.create(new TestCrms.FakeClock(), Ticker.systemTicker());
    private FakeCrmServer server;

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
        context.close();
    }

    private CrmConnector pipedrive(CrmContext in) {
        CrmSpec spec = TestCrms.withSecrets(TestCrms.spec("pd", PipedriveCrm.TYPE, Map.of("base-url", server.url(""), "allow-insecure", "true",
                "auth.api-token", TOKEN, "company-domain", "acme")), Set.of(TOKEN));
        return CrmConnectors.create(spec, in);
    }

    /** Pipedrive as far as writes go: v1 adds and updates, the v2 search over custom field values, an item's activities. */
    static final class Pipedrive implements Function<Seen, Reply> {
        final Map<String, List<ObjectNode>> items = new LinkedHashMap<>();
        private int ids = 100;

        @Override
        public Reply apply(Seen seen) {
            try {
                String[] path = seen.path().substring(1).split("/");
                if (seen.method().equals("GET") && path[0].equals("api")) return search(path[2], decode(seen.rawQuery()));
                if (seen.method().equals("GET")) return activitiesOf(path[1], path[2]);
                ObjectNode item = (ObjectNode) CrmHttp.JSON.readTree(seen.body());
                if (seen.method().equals("PUT")) return ok(200, item.put("id", Long.parseLong(path[2])));
                item.put("id", ids++);
                of(path[1]).add(item);
                return ok(201, item);
            } catch (Exception e) {
                return Reply.status(400);
            }
        }

        List<ObjectNode> of(String type) {
            return items.computeIfAbsent(type, t -> new ArrayList<>());
        }

        private Reply search(String type, Map<String, String> query) {
            StringBuilder found = new StringBuilder();
            for (ObjectNode item : of(type)) {
                boolean matches = false;
                for (JsonNode value : item) matches |= value.asText().equals(query.get("term"));
                if (matches && found.isEmpty()) found.append("{\"result_score\":1,\"item\":{\"id\":").append(item.get("id")).append("}}");
            }
            return Reply.json("{\"success\":true,\"data\":{\"items\":[" + found + "]}}");
        }

        private Reply activitiesOf(String type, String id) {
            List<JsonNode> done = new ArrayList<>();
            String link = Map.of("persons", "person_id", "organizations", "org_id", "deals", "deal_id").get(type);
            for (ObjectNode activity : of("activities")) if (activity.path(link).asText().equals(id)) done.add(activity);
            return ok(200, done.isEmpty() ? null : CrmHttp.JSON.valueToTree(done));
        }

        private static Reply ok(int status, JsonNode data) {
            ObjectNode reply = CrmHttp.JSON.createObjectNode().put("success", true);
            reply.set("data", data);
            return new Reply(status, "application/json", reply.toString(), Map.of());
        }
    }

    private static CrmWrite.Create newPerson(Optional<String> keyField) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("name", "Unknown caller");
        fields.put("phone", HOSTILE);
        return new CrmWrite.Create("persons", fields, keyField, CALL_KEY);
    }

    private static CrmWrite.LogCall callOn(String object, String id, Optional<String> keyField) {
        return new CrmWrite.LogCall(object, id, "Inbound call", Map.of("duration", "00:03"), CALL, keyField, CALL_KEY);
    }

    private static WriteRequest request(CrmWrite write) {
        return new WriteRequest(write, Duration.ofSeconds(2));
    }

    @Test
    void aCreateAddsThePersonAndAnswersItsIdAndPage() throws Exception {
        server = new FakeCrmServer(new Pipedrive());
        WriteResult result = await(pipedrive(context).write(request(newPerson(Optional.empty()))));

        Seen seen = server.seen().get(0);
        assertEquals("POST", seen.method());
        assertEquals("/v1/persons", seen.path());
        assertEquals(TOKEN, seen.header("x-api-token"));
        assertEquals("{\"name\":\"Unknown caller\",\"phone\":\"'\\\"\\\\)(*:{}[]^~!&|+-/ OR 1=1 --\"}", seen.body());
        assertEquals(HOSTILE, CrmHttp.JSON.readTree(seen.body()).path("phone").asText());
        assertEquals(new WriteResult("persons", "100", Optional.of("https://acme.pipedrive.com/person/100"), false), result);
    }

    @Test
    void aCreateWithAKeyFieldSearchesTheCallKeyFirst() throws Exception {
        server = new FakeCrmServer(new Pipedrive());
        WriteResult result = await(pipedrive(context).write(request(newPerson(Optional.of(KEY_FIELD)))));

        Seen search = server.seen().get(0);
        assertEquals("/api/v2/persons/search", search.path());
        assertEquals(Map.of("term", CALL_KEY, "fields", "custom_fields", "exact_match", "true", "limit", "1"), decode(search.rawQuery()));
        Seen add = server.seen().get(1);
        assertEquals("/v1/persons", add.path());
        assertEquals(CALL_KEY, CrmHttp.JSON.readTree(add.body()).path(KEY_FIELD).asText());
        assertFalse(result.earlier());
    }

    @Test
    void anUpdatePutsTheFieldsOnTheItem() throws Exception {
        server = new FakeCrmServer(new Pipedrive());
        WriteResult result = await(pipedrive(context).write(request(new CrmWrite.Update("deals", "42", Map.of("title", HOSTILE), "k"))));

        Seen seen = server.seen().get(0);
        assertEquals("PUT", seen.method());
        assertEquals("/v1/deals/42", seen.path());
        assertEquals("{\"title\":\"'\\\"\\\\)(*:{}[]^~!&|+-/ OR 1=1 --\"}", seen.body());
        assertEquals(new WriteResult("deals", "42", Optional.of("https://acme.pipedrive.com/deal/42"), false), result);
    }

    @Test
    void aCallLogIsADoneCallActivityOnThePerson() throws Exception {
        server = new FakeCrmServer(new Pipedrive());
        WriteResult result = await(pipedrive(context).write(request(callOn("persons", "7", Optional.empty()))));

        Seen seen = server.seen().get(0);
        assertEquals("POST", seen.method());
        assertEquals("/v1/activities", seen.path());
        assertEquals("{\"subject\":\"Inbound call\",\"type\":\"call\",\"done\":1,\"due_date\":\"2026-01-05\",\"due_time\":\"09:07\",\"person_id\":7,"
                + "\"note\":\"Inbound call from '\\\"\\\\)(*:{}[]^~!&|+-/ OR 1=1 -- to 5551000 (Asterisk uniqueid 1733110000.42)\","
                + "\"duration\":\"00:03\"}", seen.body());
        assertEquals(new WriteResult("activities", "100", Optional.empty(), false), result);
    }

    @Test
    void aKeyedCallLogReadsTheItemsDoneActivitiesFirst() throws Exception {
        server = new FakeCrmServer(new Pipedrive());
        await(pipedrive(context).write(request(callOn("organizations", "3", Optional.of(ACTIVITY_KEY_FIELD)))));

        Seen earlier = server.seen().get(0);
        assertEquals("GET", earlier.method());
        assertEquals("/v1/organizations/3/activities", earlier.path());
        assertEquals("done=1&start=0&limit=500", earlier.rawQuery());
        JsonNode activity = CrmHttp.JSON.readTree(server.seen().get(1).body());
        assertEquals(3, activity.path("org_id").asInt());
        assertEquals(CALL_KEY, activity.path(ACTIVITY_KEY_FIELD).asText());
    }

    @Test
    void aCallLogOnAnItemWithoutANumericIdIsRefusedBeforeAnythingIsSent() throws Exception {
        server = new FakeCrmServer(new Pipedrive());
        failure(pipedrive(context).write(request(callOn("persons", "7&x=1", Optional.empty()))), CrmException.Kind.CONFIG);
        failure(pipedrive(context).write(request(callOn("products", "7", Optional.empty()))), CrmException.Kind.CONFIG);
        assertEquals(0, server.seen().size());
    }

    @Test
    void a400IsNotWorthRetryingAndA500Is() throws Exception {
        server = new FakeCrmServer(new Reply(400, "application/json", "{\"success\":false,\"error\":\"Name must be given.\",\"data\":null}", Map.of()),
                Reply.status(500));
        CrmConnector crm = pipedrive(context);
        CrmException refused = failure(crm.write(request(newPerson(Optional.empty()))), CrmException.Kind.HTTP_STATUS);
        assertEquals(400, refused.status());
        assertFalse(refused.worthRetrying());
        assertTrue(failure(crm.write(request(newPerson(Optional.empty()))), CrmException.Kind.HTTP_STATUS).worthRetrying());
    }

    @Test
    void aCreateRetriedAfterA500FindsThePersonTheFirstAttemptMade() throws Exception {
        Pipedrive pipedrive = new Pipedrive();
        server = new FakeCrmServer(WriteRetries.firstReplyLost(pipedrive, seen -> seen.method().equals("POST"), Reply.status(500)));
        WriteResult retry = WriteRetries.retriedAfterA500(pipedrive(context), newPerson(Optional.of(KEY_FIELD)));
        assertEquals(1, pipedrive.of("persons").size(), "one person");
        assertEquals(new WriteResult("persons", "100", Optional.of("https://acme.pipedrive.com/person/100"), true), retry);
    }

    @Test
    void aCallLogRetriedAfterATimeoutFindsTheActivityTheFirstAttemptMade() throws Exception {
        Pipedrive pipedrive = new Pipedrive();
        server = new FakeCrmServer(WriteRetries.firstReplyLost(pipedrive, seen -> seen.method().equals("POST"), Reply.never()));
        ManualTime time = new ManualTime();
        try (CrmContext driven = TestCrms.drivenBy(time)) {
            CrmWrite.LogCall log = callOn("persons", "7", Optional.of(ACTIVITY_KEY_FIELD));
            WriteResult retry = WriteRetries.retriedAfterATimeout(time, server, 2, pipedrive(driven), log);
            assertEquals(1, pipedrive.of("activities").size(), "one activity");
            assertEquals(new WriteResult("activities", "100", Optional.empty(), true), retry);
        }
    }

    @Test
    void theSearchAndTheCreateShareTheWritesBudget() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server = new FakeCrmServer(WriteRetries.heldThenSilent(new Pipedrive(), seen -> seen.method().equals("GET"), release));
        ManualTime time = new ManualTime();
        try (CrmContext driven = TestCrms.drivenBy(time)) {
            WriteRetries.theNextRequestHasWhatIsLeft(time, server, 1, release,
                    pipedrive(driven).write(new WriteRequest(newPerson(Optional.of(KEY_FIELD)), WriteRetries.BUDGET)));
        }
    }

    @Test
    void writesEveryKindAndIsRetrySafeWhereTheKeyCanBeLookedUp() {
        CrmConnector crm = CrmConnectors.create(TestCrms.spec("pd", PipedriveCrm.TYPE, Map.of("auth.api-token", "t")), context);
        assertEquals(EnumSet.allOf(WriteKind.class), crm.writeKinds());
        assertFalse(crm.retrySafe(newPerson(Optional.empty())));
        assertTrue(crm.retrySafe(newPerson(Optional.of(KEY_FIELD))));
        assertFalse(crm.retrySafe(new CrmWrite.Create("notes", Map.of(), Optional.of(KEY_FIELD), "k")), "no search finds a note");
        assertTrue(crm.retrySafe(new CrmWrite.Update("persons", "1", Map.of(), "k")));
        assertFalse(crm.retrySafe(callOn("persons", "1", Optional.empty())));
        assertTrue(crm.retrySafe(callOn("persons", "1", Optional.of(ACTIVITY_KEY_FIELD))));
    }
}
