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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.crmroute.crm.HubSpotCrmTest.HOSTILE;
import static io.crmroute.crm.TestCrms.await;
import static io.crmroute.crm.TestCrms.failure;
import static io.crmroute.crm.WriteTesting.BUDGET;
import static io.crmroute.crm.WriteTesting.CALL;
import static io.crmroute.crm.WriteTesting.CALL_KEY;
import static io.crmroute.crm.WriteTesting.json;
import static io.crmroute.crm.WriteTesting.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SugarWriteTest {

    private static final String PASSWORD = "s3cret pass";
    private static final String ROOT = "/rest/v11_20";
    private static final Reply TOKEN = Reply.json("{\"access_token\":\"tok-1\",\"expires_in\":3600,\"refresh_token\":\"ref-1\"}");
    private static final Reply NONE = Reply.json("{\"next_offset\":-1,\"records\":[]}");

    private final CrmContext context = CrmContext.create(new TestCrms.FakeClock(), Ticker.systemTicker());
    private FakeCrmServer server;

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
        context.close();
    }

    private CrmConnector sugar(CrmContext in) {
        CrmSpec spec = TestCrms.spec("sugar", SugarCrm.TYPE, Map.of("base-url", server.url("/"), "allow-insecure", "true",
                "auth.username", "pbx", "auth.password", PASSWORD));
        return CrmConnectors.create(TestCrms.withSecrets(spec, Set.of(PASSWORD)), in);
    }

    private CrmConnector sugar() {
        return sugar(context);
    }

    private static CrmWrite.Create lead(Optional<String> keyField) {
        Map<String, String> fields = WriteTesting.callerFields("last_name", "phone_work");
        return new CrmWrite.Create("Leads", fields, keyField, CALL_KEY);
    }

    private static Reply record(String id) {
        return Reply.json("{\"id\":\"" + id + "\",\"_module\":\"Leads\",\"name\":\"x\"}");
    }

    @Test
    void aCreateWithAKeyFieldLooksForTheCallKeyThenPostsTheRecord() throws Exception {
        server = new FakeCrmServer(TOKEN, NONE, record("l-1"));
        WriteResult result = await(sugar().write(request(lead(Optional.of("call_key_c")))));

        Seen find = server.seen().get(1);
        assertEquals("POST", find.method());
        assertEquals(ROOT + "/Leads/filter", find.path());
        assertEquals("tok-1", find.header("OAuth-Token"));
        assertEquals(CALL_KEY, json(find).at("/filter/0/call_key_c/$equals").asText());
        assertEquals("id", json(find).path("fields").asText());
        Seen create = server.seen().get(2);
        assertEquals("POST", create.method());
        assertEquals(ROOT + "/Leads", create.path());
        assertEquals("tok-1", create.header("OAuth-Token"));
        JsonNode body = json(create);
        assertEquals(HOSTILE, body.path("phone_work").asText());
        assertEquals("Caller " + HOSTILE, body.path("last_name").asText());
        assertEquals(CALL_KEY, body.path("call_key_c").asText());
        assertEquals(new WriteResult("Leads", "l-1", Optional.of(server.url("/#Leads/l-1")), false), result);
    }

    @Test
    void aCreateWithoutKeyFieldIsOnePostAndNotRetrySafe() throws Exception {
        server = new FakeCrmServer(TOKEN, record("l-2"));
        assertEquals("l-2", await(sugar().write(request(lead(Optional.empty())))).id());
        assertEquals(List.of("POST " + ROOT + "/oauth2/token", "POST " + ROOT + "/Leads"),
                server.seen().stream().map(seen -> seen.method() + " " + seen.path()).toList());
        assertFalse(sugar().retrySafe(lead(Optional.empty())));
        assertTrue(sugar().retrySafe(lead(Optional.of("call_key_c"))));
    }

    @Test
    void anUpdatePutsTheFieldsOnTheRecord() throws Exception {
        server = new FakeCrmServer(TOKEN, record("c-1"));
        WriteResult result = await(sugar().write(request(new CrmWrite.Update("Contacts", "c-1/../x", Map.of("description", HOSTILE), CALL_KEY))));
        Seen seen = server.seen().get(1);
        assertEquals("PUT", seen.method());
        assertEquals(ROOT + "/Contacts/c-1%2F..%2Fx", seen.path(), "the id stays one path segment");
        assertEquals(HOSTILE, json(seen).path("description").asText());
        assertEquals("c-1", result.id());
        assertEquals(Optional.of(server.url("/#Contacts/c-1")), result.url());
        assertTrue(sugar().retrySafe(new CrmWrite.Update("Contacts", "c-1", Map.of(), CALL_KEY)));
    }

    @Test
    void aCallIsLoggedAsAHeldInboundCallOnTheMatchedRecord() throws Exception {
        server = new FakeCrmServer(TOKEN, NONE, Reply.json("{\"id\":\"call-1\",\"_module\":\"Calls\"}"));
        CrmWrite.LogCall logCall = new CrmWrite.LogCall("Contacts", "c-1", "Call to 5551000 " + HOSTILE, Map.of("duration_minutes", "3"),
                CALL, Optional.of("call_key_c"), CALL_KEY);
        WriteResult result = await(sugar().write(request(logCall)));

        assertEquals(ROOT + "/Calls/filter", server.seen().get(1).path());
        Seen seen = server.seen().get(2);
        assertEquals("POST", seen.method());
        assertEquals(ROOT + "/Calls", seen.path());
        JsonNode call = json(seen);
        assertEquals("Call to 5551000 " + HOSTILE, call.path("name").asText());
        assertEquals("Inbound", call.path("direction").asText());
        assertEquals("Held", call.path("status").asText());
        assertEquals("2026-01-05T09:00:00+00:00", call.path("date_start").asText());
        assertEquals("Contacts", call.path("parent_type").asText());
        assertEquals("c-1", call.path("parent_id").asText());
        assertEquals("3", call.path("duration_minutes").asText(), "the route's fields over the defaults");
        assertEquals("Inbound call from " + HOSTILE + " to 5551000 (Asterisk uniqueid 1733110000.42)", call.path("description").asText());
        assertEquals(CALL_KEY, call.path("call_key_c").asText());
        assertEquals(new WriteResult("Calls", "call-1", Optional.of(server.url("/#Calls/call-1")), false), result);
        assertTrue(sugar().retrySafe(logCall));
    }

    @Test
    void aNameThatIsNoIdentifierIsAConfigProblemAndNothingIsSent() throws Exception {
        server = new FakeCrmServer(TOKEN);
        CrmException failure = failure(sugar().write(request(new CrmWrite.Create("Leads", Map.of("$or", "x"), Optional.empty(), CALL_KEY))),
                CrmException.Kind.CONFIG);
        assertEquals("crm sugar: not a SugarCRM module or field name: $or", failure.getMessage());
        assertEquals(List.of(), server.seen());
    }

    @Test
    void aValidationErrorIsNotWorthRetryingAndAServerErrorIs() throws Exception {
        server = new FakeCrmServer(TOKEN, new Reply(422, "application/json",
                "{\"error\":\"missing_parameter\",\"error_message\":\"Missing parameter: last_name\"}", Map.of()), Reply.status(500));
        CrmException invalid = failure(sugar().write(request(lead(Optional.empty()))), CrmException.Kind.HTTP_STATUS);
        assertEquals("crm sugar: HTTP 422 missing_parameter", invalid.getMessage());
        assertFalse(invalid.worthRetrying());
        assertTrue(failure(sugar().write(request(lead(Optional.empty()))), CrmException.Kind.HTTP_STATUS).worthRetrying());
    }

    /** Sugar's Leads: the filter finds by {@code call_key_c}; a create stores, the first one then fails as {@code failure}. */
    private static final class Leads {
        final Map<String, String> byKey = new LinkedHashMap<>();
        final WriteTesting.FirstCreate first = new WriteTesting.FirstCreate();

        Reply answer(Seen seen) {
            if (seen.path().endsWith("/oauth2/token")) return TOKEN;
            if (seen.path().endsWith("/Leads/filter")) {
                String id = byKey.get(json(seen).at("/filter/0/call_key_c/$equals").asText());
                return id == null ? NONE : Reply.json("{\"next_offset\":-1,\"records\":[{\"id\":\"" + id + "\",\"_module\":\"Leads\"}]}");
            }
            String id = "l-" + (byKey.size() + 1);
            byKey.put(json(seen).path("call_key_c").asText(), id);
            return first.answer(record(id));
        }
    }

    @Test
    void aCreateSentAgainAfterAServerErrorFindsTheRecordMadeFirst() throws Exception {
        Leads leads = new Leads();
        server = new FakeCrmServer(leads::answer);
        WriteResult again = WriteTesting.sentAgainAfterAServerError(sugar(), lead(Optional.of("call_key_c")));
        assertEquals(Map.of(CALL_KEY, "l-1"), leads.byKey, "one lead");
        assertEquals(new WriteResult("Leads", "l-1", Optional.of(server.url("/#Leads/l-1")), true), again);
    }

    @Test
    void aCreateSentAgainAfterATimeoutFindsTheRecordMadeFirst() throws Exception {
        Leads leads = new Leads();
        leads.first.timesOut();
        server = new FakeCrmServer(leads::answer);
        ManualTime time = new ManualTime();
        try (CrmContext driven = TestCrms.drivenBy(time)) {
            WriteResult again = WriteTesting.sentAgainAfterATimeout(time, sugar(driven), lead(Optional.of("call_key_c")), server, 3);
            assertEquals(Map.of(CALL_KEY, "l-1"), leads.byKey, "one lead");
            assertEquals("l-1", again.id());
        }
    }

    @Test
    void theLookUpAndTheCreateShareOneBudget() throws Exception {
        CountDownLatch lookUpMayAnswer = new CountDownLatch(1);
        server = new FakeCrmServer(seen -> {
            if (seen.path().endsWith("/oauth2/token")) return TOKEN;
            if (!seen.path().endsWith("/filter")) return Reply.never();
            try {
                lookUpMayAnswer.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return NONE;
        });
        ManualTime time = new ManualTime();
        try (CrmContext driven = TestCrms.drivenBy(time)) {
            var answer = sugar(driven).write(new WriteRequest(lead(Optional.of("call_key_c")), BUDGET));
            server.awaitRequests(2);
            time.advance(Duration.ofMillis(300)); // while the look-up is under way
            lookUpMayAnswer.countDown();
            WriteTesting.timedOut(time, answer, server, 3, BUDGET.minusMillis(300));
        }
        assertEquals(EnumSet.allOf(WriteKind.class), sugar().writeKinds());
    }
}
