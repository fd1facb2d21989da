package io.crmroute.crm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmroute.crm.FakeCrmServer.Reply;
import io.crmroute.crm.FakeCrmServer.Seen;
import io.crmroute.crm.TestCrms.FakeClock;
import io.crmroute.crm.TestCrms.FakeTicker;
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
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.crmroute.crm.HubSpotCrmTest.HOSTILE;
import static io.crmroute.crm.TestCrms.await;
import static io.crmroute.crm.TestCrms.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Zoho CRM writes against a fake v7 API on 127.0.0.1 that keeps the records it is sent. */
class ZohoWriteTest {

    private static final String SECRET = "1000.refresh.secret";
    /** A call key as a hostile route name or uniqueid could make it: a quote for COQL to escape. */
    private static final String CALL_KEY = "1733110000.42/o'brien\\/0";
    private static final CrmWrite.CallFacts CALL = WriteRetries.HOSTILE_CALL;

    private final CrmContext context = CrmContext.create(new FakeClock(), new FakeTicker());
    private FakeCrmServer server;

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
        context.close();
    }

    private CrmConnector zoho(CrmContext in) {
        Map<String, String> keys = Map.of("allow-insecure", "true", "base-url", server.url(""), "auth.token-url", server.url("/oauth/v2/token"),
                "auth.client-id", "1000.CLIENT", "auth.client-secret", "csecret", "auth.refresh-token", SECRET, "org-id", "20071234");
        return CrmConnectors.create(TestCrms.withSecrets(TestCrms.spec("zoho", ZohoCrm.TYPE, keys), Set.of(SECRET, "csecret")), in);
    }

    private static CrmWrite.Create newContact(Optional<String> keyField) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("Last_Name", "Unknown caller");
        fields.put("Phone", HOSTILE);
        return new CrmWrite.Create("Contacts", fields, keyField, CALL_KEY);
    }

    private static WriteRequest request(CrmWrite write) {
        return new WriteRequest(write, Duration.ofSeconds(2));
    }

    /**
     * Zoho's API as far as writes go: the token grant, inserts, upserts on duplicate_check_fields, updates, and COQL
     * {@code where F in ('v')} over the records kept.
     */
    static final class Zoho implements Function<Seen, Reply> {
        private static final Pattern COQL = Pattern.compile("select id from (\\w+) where (\\w+) in \\('((?:[^'\\\\]|\\\\.)*)'\\) limit 1");
        final Map<String, List<Map<String, Object>>> modules = new LinkedHashMap<>();
        private int ids = 1;

        @Override
        public Reply apply(Seen seen) {
            try {
                if (seen.path().equals("/oauth/v2/token")) {
                    return Reply.json("{\"access_token\": \"tok-1\", \"token_type\": \"Bearer\", \"expires_in\": 3600}");
                }
                JsonNode body = CrmHttp.JSON.readTree(seen.body());
                String[] path = seen.path().substring("/crm/v7/".length()).split("/");
                if (path[0].equals("coql")) return coql(body.path("select_query").asText());
                ObjectNode record = (ObjectNode) body.path("data").path(0);
                if (seen.method().equals("POST") && path.length == 2 && path[1].equals("upsert")) {
                    String key = body.path("duplicate_check_fields").path(0).asText();
                    for (Map<String, Object> kept : records(path[0])) {
                        if (kept.get(key).equals(record.path(key).asText())) return saved(kept.get("id"), "update");
                    }
                }
                if (seen.method().equals("POST")) return saved(keep(path[0], record).get("id"), "insert");
                return saved(java.net.URLDecoder.decode(path[1], java.nio.charset.StandardCharsets.UTF_8), null);
            } catch (Exception e) {
                return Reply.status(400);
            }
        }

        List<Map<String, Object>> records(String module) {
            return modules.computeIfAbsent(module, m -> new ArrayList<>());
        }

        private Map<String, Object> keep(String module, ObjectNode record) {
            Map<String, Object> kept = new LinkedHashMap<>();
            record.fields().forEachRemaining(field -> kept.put(field.getKey(), field.getValue().isTextual() ? field.getValue().asText() : field.getValue()));
            kept.put("id", "41508680000006240" + ids++);
            records(module).add(kept);
            return kept;
        }

        private Reply coql(String query) {
            Matcher m = COQL.matcher(query);
            if (!m.matches()) return new Reply(400, "application/json", "{\"code\":\"SYNTAX_ERROR\",\"status\":\"error\"}", Map.of());
            String value = m.group(3).replaceAll("\\\\(.)", "$1");
            for (Map<String, Object> kept : records(m.group(1))) {
                if (value.equals(kept.get(m.group(2)))) return Reply.json("{\"data\":[{\"id\":\"" + kept.get("id") + "\"}],\"info\":{\"count\":1}}");
            }
            return Reply.status(204);
        }

        private static Reply saved(Object id, String action) {
            return new Reply(action == null ? 200 : 201, "application/json", "{\"data\":[{\"code\":\"SUCCESS\",\"details\":{\"id\":\"" + id + "\"},"
                    + (action == null ? "" : "\"action\":\"" + action + "\",") + "\"message\":\"record saved\",\"status\":\"success\"}]}", Map.of());
        }
    }

    private static JsonNode body(Seen seen) throws Exception {
        return CrmHttp.JSON.readTree(seen.body());
    }

    @Test
    void aCreateInsertsOneRecordAndAnswersItsIdAndPage() throws Exception {
        Zoho zoho = new Zoho();
        server = new FakeCrmServer(zoho);
        WriteResult result = await(zoho(context).write(request(newContact(Optional.empty()))));

        Seen seen = server.seen().get(1);
        assertEquals("POST", seen.method());
        assertEquals("/crm/v7/Contacts", seen.path());
        assertEquals("Zoho-oauthtoken tok-1", seen.header("Authorization"));
        assertEquals("{\"data\":[{\"Last_Name\":\"Unknown caller\",\"Phone\":\"'\\\"\\\\)(*:{}[]^~!&|+-/ OR 1=1 --\"}]}", seen.body());
        assertEquals(HOSTILE, body(seen).at("/data/0/Phone").asText());
        assertEquals(new WriteResult("Contacts", "415086800000062401",
                Optional.of("https://crm.zoho.com/crm/org20071234/tab/Contacts/415086800000062401"), false), result);
    }

    @Test
    void aCreateWithAKeyFieldUpsertsOnItAlone() throws Exception {
        server = new FakeCrmServer(new Zoho());
        WriteResult result = await(zoho(context).write(request(newContact(Optional.of("Crmroute_Call_Key")))));

        Seen seen = server.seen().get(1);
        assertEquals("/crm/v7/Contacts/upsert", seen.path());
        assertEquals("{\"data\":[{\"Last_Name\":\"Unknown caller\",\"Phone\":\"'\\\"\\\\)(*:{}[]^~!&|+-/ OR 1=1 --\","
                + "\"Crmroute_Call_Key\":\"1733110000.42/o'brien\\\\/0\"}],\"duplicate_check_fields\":[\"Crmroute_Call_Key\"]}", seen.body());
        assertFalse(result.earlier());
    }

    @Test
    void anUpdatePutsTheFieldsOnTheRecord() throws Exception {
        server = new FakeCrmServer(new Zoho());
        WriteResult result = await(zoho(context).write(request(new CrmWrite.Update("Deals", "41/x y", Map.of("Caller", HOSTILE), "k"))));

        Seen seen = server.seen().get(1);
        assertEquals("PUT", seen.method());
        assertEquals("/crm/v7/Deals/41%2Fx%20y", seen.path());
        assertEquals(HOSTILE, body(seen).at("/data/0/Caller").asText());
        assertEquals(Optional.of("https://crm.zoho.com/crm/org20071234/tab/Potentials/41%2Fx%20y"), result.url());
    }

    @Test
    void aCallLogOnAContactIsAnInboundCallWhoIsTheContact() throws Exception {
        server = new FakeCrmServer(new Zoho());
        CrmWrite.LogCall log = new CrmWrite.LogCall("Contacts", "4150868000000225013", "Inbound call", Map.of("Call_Duration", "00:00"), CALL,
                Optional.empty(), CALL_KEY);
        WriteResult result = await(zoho(context).write(request(log)));

        Seen seen = server.seen().get(1);
        assertEquals("POST", seen.method());
        assertEquals("/crm/v7/Calls", seen.path());
        assertEquals("{\"data\":[{\"Subject\":\"Inbound call\",\"Call_Type\":\"Inbound\",\"Call_Start_Time\":\"2026-01-05T09:00:00+00:00\","
                + "\"Description\":\"Inbound call from '\\\"\\\\)(*:{}[]^~!&|+-/ OR 1=1 -- to 5551000 (Asterisk uniqueid 1733110000.42)\","
                + "\"Who_Id\":{\"id\":\"4150868000000225013\"},\"Call_Duration\":\"00:00\"}]}", seen.body());
        assertEquals("Calls", result.object());
        assertEquals(Optional.of("https://crm.zoho.com/crm/org20071234/tab/Calls/" + result.id()), result.url());
    }

    @Test
    void aCallLogOnAnAccountIsItsWhatIdNamingTheModule() throws Exception {
        server = new FakeCrmServer(new Zoho());
        await(zoho(context).write(request(new CrmWrite.LogCall("Accounts", "77", "Inbound call", Map.of(), CALL, Optional.empty(), CALL_KEY))));
        JsonNode call = body(server.seen().get(1)).at("/data/0");
        assertEquals("77", call.at("/What_Id/id").asText());
        assertEquals("Accounts", call.path("$se_module").asText());
        assertTrue(call.path("Who_Id").isMissingNode());
    }

    @Test
    void aKeyedCallLogLooksTheKeyUpWithCoqlThenInserts() throws Exception {
        server = new FakeCrmServer(new Zoho());
        CrmWrite.LogCall log = new CrmWrite.LogCall("Contacts", "9", "Inbound call", Map.of(), CALL, Optional.of("Call_Key"), CALL_KEY);
        WriteResult result = await(zoho(context).write(request(log)));

        Seen lookup = server.seen().get(1);
        assertEquals("/crm/v7/coql", lookup.path());
        assertEquals("select id from Calls where Call_Key in ('1733110000.42/o\\'brien\\\\/0') limit 1", body(lookup).path("select_query").asText());
        Seen insert = server.seen().get(2);
        assertEquals("/crm/v7/Calls", insert.path());
        assertEquals(CALL_KEY, body(insert).at("/data/0/Call_Key").asText());
        assertFalse(result.earlier());
    }

    @Test
    void aRecordRefusedInsideA2xxReplyFailsWithItsCodeAndIsNotRetried() throws Exception {
        server = new FakeCrmServer(Reply.json("{\"access_token\": \"tok-1\", \"expires_in\": 3600}"),
                new Reply(202, "application/json", "{\"data\":[{\"code\":\"MANDATORY_NOT_FOUND\",\"details\":{\"api_name\":\"Last_Name\","
                        + "\"json_path\":\"$.data[0].Last_Name\"},\"message\":\"required field not found\",\"status\":\"error\"}]}", Map.of()));
        CrmException e = failure(zoho(context).write(request(newContact(Optional.empty()))), CrmException.Kind.HTTP_STATUS);
        assertEquals("crm zoho: HTTP 202 but the record was refused: MANDATORY_NOT_FOUND (field Last_Name)", e.getMessage());
        assertFalse(e.worthRetrying());
    }

    @Test
    void a400IsNotWorthRetryingAndA500Is() throws Exception {
        server = new FakeCrmServer(Reply.json("{\"access_token\": \"tok-1\", \"expires_in\": 3600}"),
                new Reply(400, "application/json", "{\"data\":[{\"code\":\"INVALID_DATA\",\"details\":{\"api_name\":\"Phone\"},"
                        + "\"message\":\"invalid data\",\"status\":\"error\"}]}", Map.of()),
                new Reply(500, "application/json", "{\"code\":\"INTERNAL_ERROR\",\"status\":\"error\"}", Map.of()));
        CrmConnector crm = zoho(context);
        CrmException refused = failure(crm.write(request(newContact(Optional.empty()))), CrmException.Kind.HTTP_STATUS);
        assertEquals("crm zoho: HTTP 400: INVALID_DATA (field Phone)", refused.getMessage());
        assertFalse(refused.worthRetrying());
        CrmException broken = failure(crm.write(request(newContact(Optional.empty()))), CrmException.Kind.HTTP_STATUS);
        assertEquals("crm zoho: HTTP 500: INTERNAL_ERROR", broken.getMessage());
        assertTrue(broken.worthRetrying());
    }

    @Test
    void anUpsertRetriedAfterA500FindsTheRecordTheFirstAttemptMade() throws Exception {
        Zoho zoho = new Zoho();
        server = new FakeCrmServer(WriteRetries.firstReplyLost(zoho, seen -> seen.path().endsWith("/upsert"), Reply.status(500)));
        WriteResult retry = WriteRetries.retriedAfterA500(zoho(context), newContact(Optional.of("Crmroute_Call_Key")));
        assertEquals(1, zoho.records("Contacts").size(), "one record");
        assertEquals(new WriteResult("Contacts", "415086800000062401",
                Optional.of("https://crm.zoho.com/crm/org20071234/tab/Contacts/415086800000062401"), true), retry);
    }

    @Test
    void aCallLogRetriedAfterATimeoutFindsTheCallTheFirstAttemptMade() throws Exception {
        Zoho zoho = new Zoho();
        server = new FakeCrmServer(WriteRetries.firstReplyLost(zoho, seen -> seen.path().equals("/crm/v7/Calls"), Reply.never()));
        CrmWrite.LogCall log = new CrmWrite.LogCall("Contacts", "9", "Inbound call", Map.of(), CALL, Optional.of("Call_Key"), CALL_KEY);
        ManualTime time = new ManualTime();
        try (CrmContext driven = TestCrms.drivenBy(time)) {
            WriteResult retry = WriteRetries.retriedAfterATimeout(time, server, 3, zoho(driven), log);
            assertEquals(1, zoho.records("Calls").size(), "one call");
            assertEquals(new WriteResult("Calls", "415086800000062401",
                    Optional.of("https://crm.zoho.com/crm/org20071234/tab/Calls/415086800000062401"), true), retry);
        }
    }

    @Test
    void theCoqlLookupAndTheInsertShareTheWritesBudget() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server = new FakeCrmServer(WriteRetries.heldThenSilent(new Zoho(), seen -> seen.path().endsWith("/coql"), release));
        CrmWrite.LogCall log = new CrmWrite.LogCall("Contacts", "9", "Inbound call", Map.of(), CALL, Optional.of("Call_Key"), CALL_KEY);
        ManualTime time = new ManualTime();
        try (CrmContext driven = TestCrms.drivenBy(time)) {
            WriteRetries.theNextRequestHasWhatIsLeft(time, server, 2, release, zoho(driven).write(new WriteRequest(log, WriteRetries.BUDGET)));
        }
    }

    @Test
    void writesEveryKindAndIsRetrySafeWithAKeyField() {
        CrmConnector crm = CrmConnectors.create(TestCrms.spec("zoho", ZohoCrm.TYPE,
                Map.of("auth.client-id", "c", "auth.client-secret", "s", "auth.refresh-token", "r")), context);
        assertEquals(EnumSet.allOf(WriteKind.class), crm.writeKinds());
        assertFalse(crm.retrySafe(newContact(Optional.empty())));
        assertTrue(crm.retrySafe(newContact(Optional.of("Crmroute_Call_Key"))));
        assertTrue(crm.retrySafe(new CrmWrite.Update("Contacts", "1", Map.of(), "k")));
        assertFalse(crm.retrySafe(new CrmWrite.LogCall("Contacts", "1", "s", Map.of(), CALL, Optional.empty(), "k")));
        assertTrue(crm.retrySafe(new CrmWrite.LogCall("Contacts", "1", "s", Map.of(), CALL, Optional.of("Call_Key"), "k")));
    }
}
