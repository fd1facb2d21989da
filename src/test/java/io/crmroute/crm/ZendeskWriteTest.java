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
import java.util.concurrent.CompletableFuture;

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

class ZendeskWriteTest {

    private static final String TOKEN = "zdtoken6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz";

    private final CrmContext context = CrmContext.create(new TestCrms.FakeClock(), Ticker.systemTicker());
    private FakeCrmServer server;

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
        context.close();
    }

    private CrmConnector zendesk(CrmContext in) {
        CrmSpec spec = TestCrms.spec("zd", ZendeskCrm.TYPE, Map.of("base-url", server.url("/"), "allow-insecure", "true",
                "auth.email", "agent@example.com", "auth.api-token", TOKEN));
        return CrmConnectors.create(TestCrms.withSecrets(spec, Set.of(TOKEN)), in);
    }

    private CrmConnector zendesk() {
        return zendesk(context);
    }

    private static CrmWrite.Create ticket() {
        return new CrmWrite.Create("tickets", Map.of("subject", HOSTILE, "custom_field_360001", "gold"), Optional.empty(), CALL_KEY);
    }

    private static CrmWrite.Create user(Optional<String> keyField) {
        Map<String, String> fields = WriteTesting.callerFields("name", "phone");
        fields.put("user_fields.source", "phone");
        return new CrmWrite.Create("users", fields, keyField, CALL_KEY);
    }

    @Test
    void aTicketIsCreatedWithTheCallKeyAsIdempotencyKeyAndTheCallersTextIntact() throws Exception {
        server = new FakeCrmServer(new Reply(201, "application/json", "{\"ticket\":{\"id\":4711,\"subject\":\"x\"}}", Map.of()));
        WriteResult result = await(zendesk().write(request(ticket())));

        Seen seen = server.seen().get(0);
        assertEquals("POST", seen.method());
        assertEquals("/api/v2/tickets", seen.path());
        assertEquals(CALL_KEY, seen.header("Idempotency-Key"));
        assertTrue(seen.header("Authorization").startsWith("Basic "));
        assertTrue(seen.header("Content-Type").startsWith("application/json"));
        JsonNode ticket = json(seen).path("ticket");
        assertEquals(HOSTILE, ticket.path("subject").asText());
        assertEquals(360001, ticket.at("/custom_fields/0/id").asLong(), "a custom ticket field by the name the schema lists");
        assertEquals("gold", ticket.at("/custom_fields/0/value").asText());
        assertEquals(new WriteResult("tickets", "4711", Optional.of(server.url("/agent/tickets/4711")), false), result);
    }

    @Test
    void aUserKeyedByExternalIdIsCreatedOrFoundByCreateOrUpdate() throws Exception {
        server = new FakeCrmServer(new Reply(201, "application/json", "{\"user\":{\"id\":35436}}", Map.of()));
        WriteResult result = await(zendesk().write(request(user(Optional.of("external_id")))));

        Seen seen = server.seen().get(0);
        assertEquals("POST", seen.method());
        assertEquals("/api/v2/users/create_or_update", seen.path());
        JsonNode user = json(seen).path("user");
        assertEquals(HOSTILE, user.path("phone").asText());
        assertEquals("Caller " + HOSTILE, user.path("name").asText());
        assertEquals("phone", user.at("/user_fields/source").asText(), "a dotted name is a nested custom field");
        assertEquals(CALL_KEY, user.path("external_id").asText());
        assertEquals(new WriteResult("users", "35436", Optional.of(server.url("/agent/users/35436")), false), result);
    }

    @Test
    void aUserWithoutKeyFieldIsAPlainCreateAndNotRetrySafe() throws Exception {
        server = new FakeCrmServer(new Reply(201, "application/json", "{\"user\":{\"id\":35436}}", Map.of()));
        assertEquals("35436", await(zendesk().write(request(user(Optional.empty())))).id());
        assertEquals("/api/v2/users", server.seen().get(0).path());
        assertFalse(json(server.seen().get(0)).path("user").has("external_id"));
        assertFalse(zendesk().retrySafe(user(Optional.empty())));
    }

    @Test
    void aUserKeyedOnAnotherFieldIsAConfigProblemAndNothingIsSent() throws Exception {
        server = new FakeCrmServer(Reply.status(500));
        assertEquals("crm zd: Zendesk finds users again only by external_id, not user_fields.call_key",
                failure(zendesk().write(request(user(Optional.of("user_fields.call_key")))), CrmException.Kind.CONFIG).getMessage());
        assertEquals(List.of(), server.seen());
    }

    @Test
    void anUpdatePutsTheFieldsOnTheRecordWhoseIdIsOnePathSegment() throws Exception {
        server = new FakeCrmServer(Reply.json("{\"user\":{\"id\":35436}}"));
        WriteResult result = await(zendesk().write(request(new CrmWrite.Update("users", "35436", Map.of("notes", HOSTILE), CALL_KEY))));
        Seen seen = server.seen().get(0);
        assertEquals("PUT", seen.method());
        assertEquals("/api/v2/users/35436", seen.path());
        assertEquals(HOSTILE, json(seen).at("/user/notes").asText());
        assertEquals(new WriteResult("users", "35436", Optional.of(server.url("/agent/users/35436")), false), result);

        await(zendesk().write(request(new CrmWrite.Update("organizations", "1/../2", Map.of("notes", "n"), CALL_KEY))));
        assertEquals("/api/v2/organizations/1%2F..%2F2", server.seen().get(1).path());
    }

    @Test
    void aCallIsLoggedAsATicketOfTheMatchedUserWithAPrivateNoteOnce() throws Exception {
        server = new FakeCrmServer(new Reply(201, "application/json", "{\"ticket\":{\"id\":4712}}", Map.of()));
        CrmWrite.LogCall logCall = new CrmWrite.LogCall("users", "35436", "Call to 5551000 " + HOSTILE, Map.of("tags", "phone"), CALL,
                Optional.empty(), CALL_KEY);
        WriteResult result = await(zendesk().write(request(logCall)));

        Seen seen = server.seen().get(0);
        assertEquals("POST", seen.method());
        assertEquals("/api/v2/tickets", seen.path());
        assertEquals(CALL_KEY, seen.header("Idempotency-Key"));
        JsonNode ticket = json(seen).path("ticket");
        assertEquals(35436, ticket.path("requester_id").asLong());
        assertTrue(ticket.path("requester_id").isNumber());
        assertEquals("Call to 5551000 " + HOSTILE, ticket.path("subject").asText());
        assertEquals("Inbound call from " + HOSTILE + " to 5551000 at 2026-01-05T09:00:00Z (Asterisk 1733110000.42)",
                ticket.at("/comment/body").asText());
        assertFalse(ticket.at("/comment/public").asBoolean(true), "a private note, not a mail to the caller");
        assertEquals("phone", ticket.path("tags").asText());
        assertEquals(new WriteResult("tickets", "4712", Optional.of(server.url("/agent/tickets/4712")), false), result);
        assertTrue(zendesk().retrySafe(logCall));
    }

    @Test
    void aValidationErrorIsNotWorthRetryingAndAServerErrorIs() throws Exception {
        server = new FakeCrmServer(new Reply(422, "application/json",
                "{\"error\":\"RecordInvalid\",\"description\":\"Record validation errors\",\"details\":{\"requester\":[]}}", Map.of()),
                Reply.status(500));
        CrmException invalid = failure(zendesk().write(request(ticket())), CrmException.Kind.HTTP_STATUS);
        assertEquals("crm zd: HTTP 422 RecordInvalid", invalid.getMessage());
        assertEquals(422, invalid.status());
        assertFalse(invalid.worthRetrying());
        CrmException down = failure(zendesk().write(request(ticket())), CrmException.Kind.HTTP_STATUS);
        assertTrue(down.worthRetrying(), down.getMessage());
    }

    /** Zendesk's tickets: one per Idempotency-Key; a repeated key answers the ticket made first, as a hit. */
    private static final class Tickets {
        final Map<String, Long> byKey = new LinkedHashMap<>();
        final WriteTesting.FirstCreate first = new WriteTesting.FirstCreate();

        Reply answer(Seen seen) {
            String key = seen.header("Idempotency-Key");
            Long held = byKey.get(key);
            if (held != null) return ticket(held, 200).withHeader("x-idempotency-lookup", "hit");
            byKey.put(key, 9000L + byKey.size());
            return first.answer(ticket(byKey.get(key), 201).withHeader("x-idempotency-lookup", "miss"));
        }

        private static Reply ticket(long id, int status) {
            return new Reply(status, "application/json", "{\"ticket\":{\"id\":" + id + "}}", Map.of());
        }
    }

    @Test
    void aTicketSentAgainAfterAServerErrorIsTheTicketMadeFirst() throws Exception {
        Tickets tickets = new Tickets();
        server = new FakeCrmServer(tickets::answer);
        WriteResult again = WriteTesting.sentAgainAfterAServerError(zendesk(), ticket());
        assertEquals(1, tickets.byKey.size(), "one ticket");
        assertEquals(String.valueOf(tickets.byKey.get(CALL_KEY)), again.id());
    }

    @Test
    void aTicketSentAgainAfterATimeoutIsTheTicketMadeFirst() throws Exception {
        Tickets tickets = new Tickets();
        tickets.first.timesOut();
        server = new FakeCrmServer(tickets::answer);
        ManualTime time = new ManualTime();
        try (CrmContext driven = TestCrms.drivenBy(time)) {
            WriteResult again = WriteTesting.sentAgainAfterATimeout(time, zendesk(driven), ticket(), server, 1);
            assertEquals(1, tickets.byKey.size(), "one ticket");
            assertEquals(String.valueOf(tickets.byKey.get(CALL_KEY)), again.id());
        }
    }

    @Test
    void aUserSentAgainAfterAServerErrorIsTheUserMadeFirst() throws Exception {
        Map<String, Long> users = new LinkedHashMap<>();
        boolean[] failNext = {true};
        server = new FakeCrmServer(seen -> {
            String externalId = json(seen).at("/user/external_id").asText();
            boolean known = users.containsKey(externalId);
            users.putIfAbsent(externalId, 500L + users.size());
            if (failNext[0]) {
                failNext[0] = false;
                return Reply.status(503);
            }
            return new Reply(known ? 200 : 201, "application/json", "{\"user\":{\"id\":" + users.get(externalId) + "}}", Map.of());
        });
        WriteResult again = WriteTesting.sentAgainAfterAServerError(zendesk(), user(Optional.of("external_id")));
        assertEquals(Map.of(CALL_KEY, 500L), users, "one user");
        assertEquals(new WriteResult("users", "500", Optional.of(server.url("/agent/users/500")), true), again);
    }

    @Test
    void everyWriteKindIsDoneAndUpdatesAndTicketsAreRetrySafe() throws Exception {
        server = new FakeCrmServer(Reply.status(500));
        CrmConnector zendesk = zendesk();
        assertEquals(EnumSet.allOf(WriteKind.class), zendesk.writeKinds());
        assertTrue(zendesk.retrySafe(new CrmWrite.Update("users", "1", Map.of(), CALL_KEY)));
        assertTrue(zendesk.retrySafe(ticket()));
        assertFalse(zendesk.retrySafe(new CrmWrite.Create("organizations", Map.of(), Optional.empty(), CALL_KEY)));
        assertTrue(zendesk.retrySafe(new CrmWrite.Create("organizations", Map.of(), Optional.of("external_id"), CALL_KEY)));
        assertEquals(CrmException.Kind.CONFIG, failure(zendesk.write(request(new CrmWrite.Create("widgets", Map.of(), Optional.empty(), CALL_KEY))),
                CrmException.Kind.CONFIG).kind());
        for (List<String> names : List.of(List.of("notes", "notes.x"), List.of("notes.x", "notes"))) {
            Map<String, String> fields = new LinkedHashMap<>();
            names.forEach(name -> fields.put(name, "v"));
            assertTrue(failure(zendesk.write(request(new CrmWrite.Update("users", "1", fields, CALL_KEY))), CrmException.Kind.CONFIG).getMessage()
                    .startsWith("crm zd: fields cannot be written as Zendesk JSON: "), "a dotted name and a plain one for the same attribute");
        }
        assertEquals(List.of(), server.seen());
    }
}
