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
import java.util.UUID;

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

class SuiteWriteTest {

    private static final String SECRET = "client s3cret";
    private static final Reply TOKEN = Reply.json("{\"token_type\":\"Bearer\",\"expires_in\":3600,\"access_token\":\"tok-1\"}");
    /** The id SuiteCRM is given for what the write of {@link WriteTesting#CALL_KEY} creates. */
    private static final String ID = UUID.nameUUIDFromBytes(CALL_KEY.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();

    private final CrmContext context = CrmContext.create(new TestCrms.FakeClock(), Ticker.systemTicker());
    private FakeCrmServer server;

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
        context.close();
    }

    private CrmConnector suite(String basePath, CrmContext in) {
        CrmSpec spec = TestCrms.spec("suite", SuiteCrm.TYPE, Map.of("base-url", server.url(basePath), "allow-insecure", "true",
                "auth.client-id", "crmroute-client", "auth.client-secret", SECRET));
        return CrmConnectors.create(TestCrms.withSecrets(spec, Set.of(SECRET)), in);
    }

    private CrmConnector suite() {
        return suite("", context);
    }

    private static CrmWrite.Create lead() {
        Map<String, String> fields = WriteTesting.callerFields("last_name", "phone_work");
        return new CrmWrite.Create("Leads", fields, Optional.empty(), CALL_KEY);
    }

    private static Reply resource(int status, String module, String id) {
        return new Reply(status, SuiteCrm.MEDIA_TYPE, "{\"data\":{\"type\":\"" + module + "\",\"id\":\"" + id + "\",\"attributes\":{}}}", Map.of());
    }

    private static Reply alreadyThere(String module, String id) {
        return new Reply(400, SuiteCrm.MEDIA_TYPE, "{\"errors\":{\"status\":400,\"title\":null,\"detail\":\"Bean " + module + " with id " + id
                + " is already exist\"}}", Map.of());
    }

    @Test
    void aCreateSendsAnIdMadeFromTheCallKeyAndTheCallersTextIntact() throws Exception {
        server = new FakeCrmServer(TOKEN, resource(201, "Lead", ID));
        WriteResult result = await(suite().write(request(lead())));

        Seen seen = server.seen().get(1);
        assertEquals("POST", seen.method());
        assertEquals("/Api/V8/module", seen.path());
        assertEquals("Bearer tok-1", seen.header("Authorization"));
        assertEquals(SuiteCrm.MEDIA_TYPE, seen.header("Content-Type"));
        JsonNode data = json(seen).path("data");
        assertEquals("Leads", data.path("type").asText());
        assertEquals(ID, data.path("id").asText());
        assertEquals(HOSTILE, data.at("/attributes/phone_work").asText());
        assertEquals("Caller " + HOSTILE, data.at("/attributes/last_name").asText());
        assertEquals(new WriteResult("Leads", ID, Optional.of(server.url("/index.php?module=Leads&action=DetailView&record=" + ID)), false), result);
        assertTrue(suite().retrySafe(lead()), "the id is the call key's, so a create is retry-safe without a key field");
    }

    @Test
    void anUpdatePatchesTheAttributesOfTheRecord() throws Exception {
        server = new FakeCrmServer(TOKEN, resource(200, "Contact", "s-1"));
        WriteResult result = await(suite("/legacy", context).write(request(new CrmWrite.Update("Contacts", "s-1", Map.of("description", HOSTILE), CALL_KEY))));
        Seen seen = server.seen().get(1);
        assertEquals("PATCH", seen.method());
        assertEquals("/legacy/Api/V8/module", seen.path());
        JsonNode data = json(seen).path("data");
        assertEquals("Contacts", data.path("type").asText());
        assertEquals("s-1", data.path("id").asText());
        assertEquals(HOSTILE, data.at("/attributes/description").asText());
        assertEquals(new WriteResult("Contacts", "s-1", Optional.of(server.url("/#/contacts/record/s-1")), false), result);
    }

    @Test
    void aCallIsLoggedAsAHeldInboundCallWhoseParentIsTheMatchedRecord() throws Exception {
        server = new FakeCrmServer(TOKEN, resource(201, "Call", ID));
        CrmWrite.LogCall logCall = new CrmWrite.LogCall("Contacts", "s-1", "Call to 5551000 " + HOSTILE, Map.of(), CALL, Optional.empty(), CALL_KEY);
        WriteResult result = await(suite().write(request(logCall)));

        Seen seen = server.seen().get(1);
        assertEquals("POST", seen.method());
        assertEquals("/Api/V8/module", seen.path());
        JsonNode data = json(seen).path("data");
        assertEquals("Calls", data.path("type").asText());
        assertEquals(ID, data.path("id").asText());
        JsonNode call = data.path("attributes");
        assertEquals("Call to 5551000 " + HOSTILE, call.path("name").asText());
        assertEquals("Inbound", call.path("direction").asText());
        assertEquals("Held", call.path("status").asText());
        assertEquals("2026-01-05T09:00:00+00:00", call.path("date_start").asText());
        assertEquals("Contacts", call.path("parent_type").asText());
        assertEquals("s-1", call.path("parent_id").asText());
        assertEquals("Inbound call from " + HOSTILE + " to 5551000 (Asterisk uniqueid 1733110000.42)", call.path("description").asText());
        assertEquals("Calls", result.object());
        assertEquals(ID, result.id());
        assertTrue(suite().retrySafe(logCall));
    }

    @Test
    void aValidationErrorIsNotWorthRetryingAndAServerErrorIs() throws Exception {
        server = new FakeCrmServer(TOKEN, new Reply(400, SuiteCrm.MEDIA_TYPE,
                "{\"errors\":{\"status\":400,\"title\":null,\"detail\":\"Property last_name in Leads module is required\"}}", Map.of()),
                Reply.status(404), Reply.status(500));
        CrmException invalid = failure(suite().write(request(lead())), CrmException.Kind.HTTP_STATUS);
        assertEquals("crm suite: HTTP 400: Property last_name in Leads module is required", invalid.getMessage());
        assertFalse(invalid.worthRetrying());
        assertEquals("GET /Api/V8/module/Leads/" + ID, server.seen().get(2).method() + " " + server.seen().get(2).path(),
                "a refusal is checked for the record an earlier attempt made");
        assertTrue(failure(suite().write(request(lead())), CrmException.Kind.HTTP_STATUS).worthRetrying());
    }

    @Test
    void aModuleThatIsNoIdentifierIsAConfigProblemAndNothingIsSent() throws Exception {
        server = new FakeCrmServer(TOKEN);
        assertEquals(CrmException.Kind.CONFIG, failure(suite().write(request(new CrmWrite.Create("Leads/../x", Map.of(), Optional.empty(), CALL_KEY))),
                CrmException.Kind.CONFIG).kind());
        assertEquals(List.of(), server.seen());
        assertEquals(EnumSet.allOf(WriteKind.class), suite().writeKinds());
    }

    /** SuiteCRM's beans by id: a second create of an id is refused; the first create stores, then fails as {@code failure}. */
    private static final class Beans {
        final Map<String, JsonNode> byId = new LinkedHashMap<>();
        final WriteTesting.FirstCreate first = new WriteTesting.FirstCreate();

        Reply answer(Seen seen) {
            if (seen.path().endsWith("/access_token")) return TOKEN;
            if (seen.method().equals("GET")) {
                String id = seen.path().substring(seen.path().lastIndexOf('/') + 1);
                return byId.containsKey(id) ? resource(200, "Lead", id) : Reply.status(404);
            }
            JsonNode data = json(seen).path("data");
            String id = data.path("id").asText();
            if (byId.containsKey(id)) return alreadyThere("Leads", id);
            byId.put(id, data.path("attributes"));
            return first.answer(resource(201, "Lead", id));
        }
    }

    @Test
    void aCreateSentAgainAfterAServerErrorIsTheRecordMadeFirst() throws Exception {
        Beans beans = new Beans();
        server = new FakeCrmServer(beans::answer);
        WriteResult again = WriteTesting.sentAgainAfterAServerError(suite(), lead());
        assertEquals(Set.of(ID), beans.byId.keySet(), "one lead");
        assertEquals(ID, again.id());
    }

    @Test
    void aCreateSentAgainAfterATimeoutIsTheRecordMadeFirst() throws Exception {
        Beans beans = new Beans();
        beans.first.timesOut();
        server = new FakeCrmServer(beans::answer);
        ManualTime time = new ManualTime();
        try (CrmContext driven = TestCrms.drivenBy(time)) {
            WriteResult again = WriteTesting.sentAgainAfterATimeout(time, suite("", driven), lead(), server, 2);
            assertEquals(Set.of(ID), beans.byId.keySet(), "one lead");
            assertEquals(new WriteResult("Leads", ID, Optional.of(server.url("/index.php?module=Leads&action=DetailView&record=" + ID)), true), again);
        }
    }
}
