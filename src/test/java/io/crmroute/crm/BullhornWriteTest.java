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

import static io.crmroute.crm.HubSpotCrmTest.HOSTILE;
import static io.crmroute.crm.SalesforceCrmTest.decode;
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

class BullhornWriteTest {

    private static final String CLIENT_SECRET = "bh-client-secret-42";
    private static final String REFRESH_TOKEN = "25:rt-configured";
    private static final String REST = "/rest-services/e999/";
    private static final String UI = "https://www.bullhornstaffing.com/BullhornStaffing/OpenWindow.cfm?entity=";
    /** What the write of {@link WriteTesting#CALL_KEY} keeps in its key field. */
    private static final String KEY = CrmWrite.idOf(CALL_KEY);
    private static final Reply NOTHING = Reply.json("{\"start\":0,\"count\":0,\"data\":[]}");

    private final CrmContext context = CrmContext.create(new TestCrms.FakeClock(), Ticker.systemTicker());
    private FakeCrmServer auth; // Bullhorn's OAuth server and REST login
    private FakeCrmServer rest; // the data centre the login names as restUrl

    @AfterEach
    void tearDown() {
        if (auth != null) auth.close();
        if (rest != null) rest.close();
        context.close();
    }

    /** The REST data centre, and an auth server answering one grant and the login naming it. */
    private void serve(FakeCrmServer dataCentre) throws Exception {
        rest = dataCentre;
        auth = new FakeCrmServer(Reply.json("{\"access_token\":\"25:at-1\",\"expires_in\":600,\"refresh_token\":\"25:rt-2\"}"),
                Reply.json("{\"BhRestToken\":\"bh-1\",\"restUrl\":\"" + rest.url("/rest-services/e999") + "\"}"));
    }

    private CrmConnector bullhorn(CrmContext in) {
        CrmSpec spec = TestCrms.spec("bh", BullhornCrm.TYPE, Map.of("base-url", auth.url(""), "allow-insecure", "true",
                "auth.client-id", "crmroute-client", "auth.client-secret", CLIENT_SECRET, "auth.refresh-token", REFRESH_TOKEN,
                "auth.token-url", auth.url("/oauth/token")));
        return CrmConnectors.create(TestCrms.withSecrets(spec, Set.of(CLIENT_SECRET, REFRESH_TOKEN)), in);
    }

    private CrmConnector bullhorn() {
        return bullhorn(context);
    }

    private static CrmWrite.Create contact(Optional<String> keyField) {
        Map<String, String> fields = WriteTesting.callerFields("lastName", "phone");
        fields.put("clientCorporation.id", "3");
        return new CrmWrite.Create("ClientContact", fields, keyField, CALL_KEY);
    }

    private static Reply changed(long id, String type) {
        return Reply.json("{\"changedEntityType\":\"ClientContact\",\"changedEntityId\":" + id + ",\"changeType\":\"" + type + "\"}");
    }

    @Test
    void aCreateWithAKeyFieldQueriesTheDatabaseForTheKeyThenPutsTheEntity() throws Exception {
        serve(new FakeCrmServer(NOTHING, changed(1489, "INSERT")));
        WriteResult result = await(bullhorn().write(request(contact(Optional.of("externalID")))));

        Seen query = rest.seen().get(0);
        assertEquals("GET", query.method());
        assertEquals(REST + "query/ClientContact", query.path());
        assertEquals(Map.of("where", "externalID='" + KEY + "'", "fields", "id", "count", "1"), decode(query.rawQuery()));
        assertEquals("bh-1", query.header("BhRestToken"));
        Seen create = rest.seen().get(1);
        assertEquals("PUT", create.method(), "Bullhorn creates with PUT");
        assertEquals(REST + "entity/ClientContact", create.path());
        assertEquals("bh-1", create.header("BhRestToken"));
        JsonNode body = json(create);
        assertEquals(HOSTILE, body.path("phone").asText());
        assertEquals("Caller " + HOSTILE, body.path("lastName").asText());
        assertEquals(3, body.at("/clientCorporation/id").asLong(), "a to-one association by its id");
        assertEquals(KEY, body.path("externalID").asText());
        assertEquals(new WriteResult("ClientContact", "1489", Optional.of(UI + "ClientContact&id=1489&view=Overview"), false), result);
    }

    @Test
    void anUpdatePostsTheFieldsToTheEntity() throws Exception {
        serve(new FakeCrmServer(changed(4711, "UPDATE")));
        WriteResult result = await(bullhorn().write(request(new CrmWrite.Update("ClientContact", "4711", Map.of("comments", HOSTILE), CALL_KEY))));
        Seen seen = rest.seen().get(0);
        assertEquals("POST", seen.method());
        assertEquals(REST + "entity/ClientContact/4711", seen.path());
        assertEquals(HOSTILE, json(seen).path("comments").asText());
        assertEquals(new WriteResult("ClientContact", "4711", Optional.of(UI + "ClientContact&id=4711&view=Overview"), false), result);
    }

    @Test
    void aCallIsLoggedAsANoteOnTheMatchedPerson() throws Exception {
        serve(new FakeCrmServer(NOTHING, changed(900, "INSERT")));
        CrmWrite.LogCall logCall = new CrmWrite.LogCall("ClientContact", "4711", "Call to 5551000 " + HOSTILE, Map.of("minutesSpent", "3"), CALL,
                Optional.of("externalID"), CALL_KEY);
        WriteResult result = await(bullhorn().write(request(logCall)));

        assertEquals(REST + "query/Note", rest.seen().get(0).path());
        Seen seen = rest.seen().get(1);
        assertEquals("PUT", seen.method());
        assertEquals(REST + "entity/Note", seen.path());
        JsonNode note = json(seen);
        assertEquals("Inbound Call", note.path("action").asText());
        assertEquals("Call to 5551000 " + HOSTILE + "\n\nInbound call from " + HOSTILE + " to 5551000 at 2026-01-05T09:00:00Z (Asterisk 1733110000.42)",
                note.path("comments").asText());
        assertEquals(4711, note.at("/personReference/id").asLong());
        assertTrue(note.at("/personReference/id").isNumber());
        assertEquals("3", note.path("minutesSpent").asText());
        assertEquals(KEY, note.path("externalID").asText());
        assertEquals(new WriteResult("Note", "900", Optional.of(UI + "Note&id=900&view=Overview"), false), result);
        assertTrue(bullhorn().retrySafe(logCall));
    }

    @Test
    void aValidationErrorIsNotWorthRetryingAndAServerErrorIs() throws Exception {
        serve(new FakeCrmServer(new Reply(400, "application/json",
                "{\"errorMessage\":\"error persisting an entity of type: ClientContact\",\"errorMessageKey\":\"errors.cannotPersistEntity\",\"errorCode\":400}",
                Map.of()), Reply.status(500)));
        CrmConnector bullhorn = bullhorn();
        CrmException invalid = failure(bullhorn.write(request(contact(Optional.empty()))), CrmException.Kind.HTTP_STATUS);
        assertEquals("crm bh: HTTP 400: error persisting an entity of type: ClientContact", invalid.getMessage());
        assertFalse(invalid.worthRetrying());
        assertTrue(failure(bullhorn.write(request(contact(Optional.empty()))), CrmException.Kind.HTTP_STATUS).worthRetrying());
        assertFalse(bullhorn.retrySafe(contact(Optional.empty())));
    }

    @Test
    void namesThatAreNoBullhornNamesAreAConfigProblemAndNothingIsSent() throws Exception {
        serve(new FakeCrmServer(NOTHING));
        failure(bullhorn().write(request(new CrmWrite.Create("ClientContact", Map.of("x", "v"), Optional.of("externalID='' OR id"), CALL_KEY))),
                CrmException.Kind.CONFIG);
        failure(bullhorn().write(request(new CrmWrite.Create("Client/Contact", Map.of(), Optional.empty(), CALL_KEY))), CrmException.Kind.CONFIG);
        assertEquals(List.of(), rest.seen());
        assertEquals(List.of(), auth.seen());
        assertEquals(EnumSet.allOf(WriteKind.class), bullhorn().writeKinds());
    }

    /** Bullhorn's ClientContacts: the query finds by externalID; a create stores, the first one then fails as {@code failure}. */
    private static final class Contacts {
        final Map<String, Long> byKey = new LinkedHashMap<>();
        final WriteTesting.FirstCreate first = new WriteTesting.FirstCreate();

        Reply answer(Seen seen) {
            if (seen.method().equals("GET")) {
                String where = decode(seen.rawQuery()).get("where");
                return byKey.entrySet().stream().filter(held -> where.equals("externalID='" + held.getKey() + "'")).findFirst()
                        .map(held -> Reply.json("{\"start\":0,\"count\":1,\"data\":[{\"id\":" + held.getValue() + "}]}")).orElse(NOTHING);
            }
            long id = 1489 + byKey.size();
            byKey.put(json(seen).path("externalID").asText(), id);
            return first.answer(changed(id, "INSERT"));
        }
    }

    @Test
    void aCreateSentAgainAfterAServerErrorFindsTheEntityMadeFirst() throws Exception {
        Contacts contacts = new Contacts();
        serve(new FakeCrmServer(contacts::answer));
        WriteResult again = WriteTesting.sentAgainAfterAServerError(bullhorn(), contact(Optional.of("externalID")));
        assertEquals(Map.of(KEY, 1489L), contacts.byKey, "one contact");
        assertEquals(new WriteResult("ClientContact", "1489", Optional.of(UI + "ClientContact&id=1489&view=Overview"), true), again);
    }

    @Test
    void aCreateSentAgainAfterATimeoutFindsTheEntityMadeFirst() throws Exception {
        Contacts contacts = new Contacts();
        contacts.first.timesOut();
        serve(new FakeCrmServer(contacts::answer));
        ManualTime time = new ManualTime();
        try (CrmContext driven = TestCrms.drivenBy(time)) {
            WriteResult again = WriteTesting.sentAgainAfterATimeout(time, bullhorn(driven), contact(Optional.of("externalID")), rest, 2);
            assertEquals(Map.of(KEY, 1489L), contacts.byKey, "one contact");
            assertEquals("1489", again.id());
        }
    }
}
