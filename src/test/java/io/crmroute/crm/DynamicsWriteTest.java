package io.crmroute.crm;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmroute.crm.FakeCrmServer.Reply;
import io.crmroute.crm.FakeCrmServer.Seen;
import io.crmroute.crm.TestCrms.FakeClock;
import io.crmroute.crm.TestCrms.FakeTicker;
import io.crmroute.testing.ManualTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.crmroute.crm.HubSpotCrmTest.HOSTILE;
import static io.crmroute.crm.TestCrms.await;
import static io.crmroute.crm.TestCrms.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dataverse writes against a fake Web API on 127.0.0.1 that keeps records by their id, as Dataverse does. */
class DynamicsWriteTest {

    private static final String SECRET = "entra~secret+1";
    private static final String TOKEN_PATH = "/0a1b2c3d-tenant/oauth2/v2.0/token";
    private static final String CALL_KEY = "1733110000.42/sales/nomatch/0";
    private static final String CONTACT = "c0ffee00-0000-0000-0000-000000000001";
    private static final CrmWrite.CallFacts CALL = WriteRetries.HOSTILE_CALL;

    private final CrmContext context = CrmContext.create(new FakeClock(), new FakeTicker());
    private FakeCrmServer server;

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
        context.close();
    }

    private CrmConnector dynamics(CrmContext in) {
        Map<String, String> keys = Map.of("base-url", server.url("/"), "allow-insecure", "true", "auth.client-id", "app-id",
                "auth.client-secret", SECRET, "auth.token-url", server.url(TOKEN_PATH));
        return CrmConnectors.create(TestCrms.withSecrets(TestCrms.spec("d365", DynamicsCrm.TYPE, keys), Set.of(SECRET)), in);
    }

    /**
     * The Web API as far as writes go: the token, the entity set's logical name, and {@code PATCH /set(id)} that
     * creates or updates by id, refusing with 412 under {@code If-None-Match: *} and 404 under {@code If-Match: *}.
     */
    static final class Dataverse implements Function<Seen, Reply> {
        private static final Pattern RECORD = Pattern.compile("/api/data/v9\\.2/(\\w+)\\((.+)\\)");
        final Map<String, JsonNode> records = new LinkedHashMap<>();

        @Override
        public Reply apply(Seen seen) {
            if (seen.path().equals(TOKEN_PATH)) return Reply.json("{\"token_type\": \"Bearer\", \"expires_in\": 3599, \"access_token\": \"tok-1\"}");
            if (seen.path().endsWith("/EntityDefinitions")) {
                String set = URLDecoder.decode(seen.rawQuery(), StandardCharsets.UTF_8).replaceAll(".*EntitySetName eq '(\\w+)'.*", "$1");
                return Reply.json("{\"value\": [{\"LogicalName\": \"" + set.substring(0, set.length() - 1) + "\", \"EntitySetName\": \"" + set + "\"}]}");
            }
            Matcher record = RECORD.matcher(seen.path());
            if (!seen.method().equals("PATCH") || !record.matches()) return Reply.status(404);
            String key = record.group(1) + "(" + URLDecoder.decode(record.group(2), StandardCharsets.UTF_8) + ")";
            boolean exists = records.containsKey(key);
            if (exists && "*".equals(seen.header("If-None-Match"))) return error(412, "0x80060892");
            if (!exists && "*".equals(seen.header("If-Match"))) return error(404, "0x80040217");
            try {
                records.put(key, CrmHttp.JSON.readTree(seen.body()));
            } catch (Exception e) {
                return Reply.status(400);
            }
            return new Reply(204, "", "", Map.of("OData-EntityId", "https://org.crm.dynamics.com/api/data/v9.2/" + key));
        }

        private static Reply error(int status, String code) {
            return new Reply(status, "application/json", "{\"error\":{\"code\":\"" + code + "\",\"message\":\"see code\"}}", Map.of());
        }
    }

    private static CrmWrite.Create newContact(Optional<String> keyField) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("lastname", "Unknown caller");
        fields.put("telephone1", HOSTILE);
        return new CrmWrite.Create("contacts", fields, keyField, CALL_KEY);
    }

    private static WriteRequest request(CrmWrite write) {
        return new WriteRequest(write, Duration.ofSeconds(2));
    }

    private static String idOf(String callKey) {
        return UUID.nameUUIDFromBytes(callKey.getBytes(StandardCharsets.UTF_8)).toString();
    }

    @Test
    void aCreateIsACreateOnlyPatchToTheIdMadeOfTheCallKey() throws Exception {
        Dataverse dataverse = new Dataverse();
        server = new FakeCrmServer(dataverse);
        WriteResult result = await(dynamics(context).write(request(newContact(Optional.of("new_callkey")))));

        assertEquals("$select=LogicalName,EntitySetName&$filter=EntitySetName eq 'contacts'",
                URLDecoder.decode(server.seen().get(1).rawQuery(), StandardCharsets.UTF_8));
        Seen seen = server.seen().get(2);
        String id = idOf(CALL_KEY);
        assertEquals("PATCH", seen.method());
        assertEquals("/api/data/v9.2/contacts(" + id + ")", seen.path());
        assertEquals("*", seen.header("If-None-Match"));
        assertEquals(null, seen.header("If-Match"));
        assertEquals("Bearer tok-1", seen.header("Authorization"));
        assertEquals("4.0", seen.header("OData-Version"));
        assertEquals("{\"lastname\":\"Unknown caller\",\"telephone1\":\"'\\\"\\\\)(*:{}[]^~!&|+-/ OR 1=1 --\",\"new_callkey\":\"" + CALL_KEY + "\"}",
                seen.body());
        assertEquals(HOSTILE, CrmHttp.JSON.readTree(seen.body()).path("telephone1").asText());
        assertEquals(new WriteResult("contacts", id, Optional.of(server.url("/main.aspx?etn=contact&id=" + id + "&pagetype=entityrecord")), false),
                result);
    }

    @Test
    void anUpdateIsAnUpdateOnlyPatchAndTheLogicalNameIsAskedOnce() throws Exception {
        Dataverse dataverse = new Dataverse();
        server = new FakeCrmServer(dataverse);
        dataverse.records.put("contacts(" + CONTACT + ")", CrmHttp.JSON.createObjectNode());
        dataverse.records.put("contacts(x y)", CrmHttp.JSON.createObjectNode());
        CrmConnector crm = dynamics(context);
        await(crm.write(request(new CrmWrite.Update("contacts", CONTACT, Map.of("telephone1", "+15551230001"), "k1"))));
        WriteResult result = await(crm.write(request(new CrmWrite.Update("contacts", "x y", Map.of("description", HOSTILE), "k2"))));

        assertEquals(4, server.seen().size(), "token, logical name, two updates: " + server.seen());
        Seen seen = server.seen().get(3);
        assertEquals("PATCH", seen.method());
        assertEquals("/api/data/v9.2/contacts(x%20y)", seen.path());
        assertEquals("*", seen.header("If-Match"));
        assertEquals(HOSTILE, CrmHttp.JSON.readTree(seen.body()).path("description").asText());
        assertEquals(Optional.of(server.url("/main.aspx?etn=contact&id=x%20y&pagetype=entityrecord")), result.url());
    }

    @Test
    void anUpdateOfARecordThatIsGoneIsA404NotWorthRetrying() throws Exception {
        server = new FakeCrmServer(new Dataverse());
        CrmException e = failure(dynamics(context).write(request(new CrmWrite.Update("contacts", CONTACT, Map.of("a", "b"), "k"))),
                CrmException.Kind.HTTP_STATUS);
        assertEquals("crm d365: HTTP 404: 0x80040217", e.getMessage());
        assertFalse(e.worthRetrying());
    }

    @Test
    void aCallLogIsAnIncomingPhoneCallRegardingTheRecord() throws Exception {
        Dataverse dataverse = new Dataverse();
        server = new FakeCrmServer(dataverse);
        CrmWrite.LogCall log = new CrmWrite.LogCall("contacts", CONTACT, "Inbound call", Map.of("actualdurationminutes", "3"), CALL,
                Optional.empty(), CALL_KEY);
        WriteResult result = await(dynamics(context).write(request(log)));

        Seen seen = server.seen().get(2);
        String id = idOf(CALL_KEY);
        assertEquals("/api/data/v9.2/phonecalls(" + id + ")", seen.path());
        assertEquals("*", seen.header("If-None-Match"));
        assertEquals("{\"subject\":\"Inbound call\",\"phonenumber\":\"'\\\"\\\\)(*:{}[]^~!&|+-/ OR 1=1 --\",\"directioncode\":false,"
                + "\"actualstart\":\"2026-01-05T09:00:00Z\",\"description\":\"Inbound call from '\\\"\\\\)(*:{}[]^~!&|+-/ OR 1=1 -- to 5551000"
                + " (Asterisk uniqueid 1733110000.42)\",\"regardingobjectid_contact@odata.bind\":\"/contacts(" + CONTACT + ")\","
                + "\"actualdurationminutes\":\"3\"}", seen.body());
        assertEquals(HOSTILE, dataverse.records.get("phonecalls(" + id + ")").path("phonenumber").asText());
        assertEquals(new WriteResult("phonecalls", id, Optional.of(server.url("/main.aspx?etn=phonecall&id=" + id + "&pagetype=entityrecord")),
                false), result);
    }

    @Test
    void aCallLogOnAnIdThatIsNoGuidIsRefusedBeforeAnythingIsSent() throws Exception {
        server = new FakeCrmServer(new Dataverse());
        CrmWrite.LogCall log = new CrmWrite.LogCall("contacts", CONTACT + ")/x", "s", Map.of(), CALL, Optional.empty(), CALL_KEY);
        failure(dynamics(context).write(request(log)), CrmException.Kind.CONFIG);
        assertEquals(0, server.seen().size());
    }

    @Test
    void a400IsNotWorthRetryingAndA500Is() throws Exception {
        Dataverse dataverse = new Dataverse();
        server = new FakeCrmServer(seen -> seen.method().equals("PATCH")
                ? new Reply(seen.body().contains("bad") ? 400 : 500, "application/json", "{\"error\":{\"code\":\"0x80040203\",\"message\":\"x\"}}", Map.of())
                : dataverse.apply(seen));
        CrmConnector crm = dynamics(context);
        CrmException refused = failure(crm.write(request(new CrmWrite.Update("contacts", CONTACT, Map.of("x", "bad"), "k"))), CrmException.Kind.HTTP_STATUS);
        assertEquals("crm d365: HTTP 400: 0x80040203", refused.getMessage());
        assertFalse(refused.worthRetrying());
        assertTrue(failure(crm.write(request(newContact(Optional.empty()))), CrmException.Kind.HTTP_STATUS).worthRetrying());
    }

    @Test
    void aCreateRetriedAfterA500FindsTheRecordTheFirstAttemptMade() throws Exception {
        Dataverse dataverse = new Dataverse();
        server = new FakeCrmServer(WriteRetries.firstReplyLost(dataverse, seen -> seen.method().equals("PATCH"), Reply.status(500)));
        WriteResult retry = WriteRetries.retriedAfterA500(dynamics(context), newContact(Optional.empty()));
        String id = idOf(CALL_KEY);
        assertEquals(Set.of("contacts(" + id + ")"), dataverse.records.keySet(), "one record");
        assertEquals(new WriteResult("contacts", id, Optional.of(server.url("/main.aspx?etn=contact&id=" + id + "&pagetype=entityrecord")), true),
                retry);
    }

    @Test
    void aCallLogRetriedAfterATimeoutFindsTheCallTheFirstAttemptMade() throws Exception {
        Dataverse dataverse = new Dataverse();
        server = new FakeCrmServer(WriteRetries.firstReplyLost(dataverse, seen -> seen.method().equals("PATCH"), Reply.never()));
        CrmWrite.LogCall log = new CrmWrite.LogCall("accounts", CONTACT, "Inbound call", Map.of(), CALL, Optional.empty(), CALL_KEY);
        ManualTime time = new ManualTime();
        try (CrmContext driven = TestCrms.drivenBy(time)) {
            WriteResult retry = WriteRetries.retriedAfterATimeout(time, server, 3, dynamics(driven), log);
            assertEquals(Set.of("phonecalls(" + idOf(CALL_KEY) + ")"), dataverse.records.keySet(), "one call");
            assertEquals(idOf(CALL_KEY), retry.id());
            assertTrue(retry.earlier());
        }
    }

    @Test
    void theLogicalNameLookupAndTheCreateShareTheWritesBudget() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server = new FakeCrmServer(WriteRetries.heldThenSilent(new Dataverse(), seen -> seen.path().endsWith("/EntityDefinitions"), release));
        ManualTime time = new ManualTime();
        try (CrmContext driven = TestCrms.drivenBy(time)) {
            WriteRetries.theNextRequestHasWhatIsLeft(time, server, 2, release,
                    dynamics(driven).write(new WriteRequest(newContact(Optional.empty()), WriteRetries.BUDGET)));
        }
    }

    @Test
    void writesEveryKindAndEveryWriteIsRetrySafe() {
        CrmConnector crm = CrmConnectors.create(TestCrms.spec("d365", DynamicsCrm.TYPE,
                Map.of("base-url", "https://org.crm.dynamics.com", "auth.client-id", "c", "auth.client-secret", "s", "auth.tenant-id", "t")), context);
        assertEquals(EnumSet.allOf(WriteKind.class), crm.writeKinds());
        assertTrue(crm.retrySafe(newContact(Optional.empty())));
        assertTrue(crm.retrySafe(new CrmWrite.Update("contacts", CONTACT, Map.of(), "k")));
        assertTrue(crm.retrySafe(new CrmWrite.LogCall("contacts", CONTACT, "s", Map.of(), CALL, Optional.empty(), "k")));
        assertEquals(CrmWrite.idOf("a"), CrmWrite.idOf("a"));
        assertFalse(CrmWrite.idOf("a").equals(CrmWrite.idOf("b")));
    }
}
