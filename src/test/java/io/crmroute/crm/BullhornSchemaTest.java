package io.crmroute.crm;

import com.github.benmanes.caffeine.cache.Ticker;
import io.crmroute.crm.FakeCrmServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.crmroute.crm.TestCrms.await;
import static io.crmroute.crm.SchemaTesting.objectNames;
import static io.crmroute.crm.TestCrms.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bullhorn's schema: {@code meta} and {@code meta/{Entity}?fields=*&meta=full} on the lookups' REST session. */
class BullhornSchemaTest {

    private static final String CLIENT_SECRET = "bh-client-secret-42";
    private static final String REFRESH_TOKEN = "25:rt-configured";
    private static final Reply ENTITIES = Reply.json("""
            [{"entity":"Candidate","metaUrl":"https://rest99.bullhornstaffing.com/rest-services/e999/meta/Candidate?fields=*"},
             {"entity":"ClientContact","metaUrl":"https://rest99.bullhornstaffing.com/rest-services/e999/meta/ClientContact?fields=*"}]""");
    private static final Reply CLIENT_CONTACT = Reply.json("""
            {"entity":"ClientContact","entityMetaUrl":"https://rest99.bullhornstaffing.com/rest-services/e999/meta/ClientContact?fields=*",
             "label":"Contact","fields":[
               {"name":"id","type":"ID","dataType":"Integer","optional":false,"label":"ID","readOnly":true},
               {"name":"phone","type":"SCALAR","dataType":"String","maxLength":20,"dataSpecialization":"PHONE","label":"Phone","optional":true},
               {"name":"clientCorporation","type":"TO_ONE","confidential":false,"optional":false,"label":"Company",
                "associatedEntity":{"entity":"ClientCorporation"}}]}""");

    private final CrmContext context = CrmContext.create(new TestCrms.FakeClock(), Ticker.systemTicker());
    private FakeCrmServer auth; // Bullhorn's OAuth server and REST login
    private FakeCrmServer rest; // the data centre the login names as restUrl

    @AfterEach
    void tearDown() {
        for (FakeCrmServer server : new FakeCrmServer[] {auth, rest}) {
            if (server != null) server.close();
        }
        context.close();
    }

    private void serve(Reply... restReplies) throws Exception {
        rest = new FakeCrmServer(restReplies);
        auth = new FakeCrmServer(Reply.json("{\"access_token\":\"25:at-1\",\"expires_in\":600,\"refresh_token\":\"25:rt-2\"}"),
                Reply.json("{\"BhRestToken\":\"bh-1\",\"restUrl\":\"" + rest.url("/rest-services/e999") + "\"}"),
                Reply.json("{\"access_token\":\"25:at-2\",\"expires_in\":600,\"refresh_token\":\"25:rt-3\"}"),
                Reply.json("{\"BhRestToken\":\"bh-2\",\"restUrl\":\"" + rest.url("/rest-services/e999") + "\"}"));
    }

    private CrmConnector bullhorn() {
        Map<String, String> keys = new HashMap<>(Map.of("base-url", auth.url(""), "allow-insecure", "true", "auth.client-id", "crmroute-client",
                "auth.client-secret", CLIENT_SECRET, "auth.refresh-token", REFRESH_TOKEN, "auth.token-url", auth.url("/oauth/token")));
        CrmSpec spec = TestCrms.withSecrets(TestCrms.spec("bh", BullhornCrm.TYPE, keys), Set.of(CLIENT_SECRET, REFRESH_TOKEN));
        return CrmConnectors.connectorFor(spec, context);
    }

    private static Map<String, String> decode(String raw) {
        Map<String, String> parameters = new HashMap<>();
        for (String pair : raw.split("&")) {
            String[] parts = pair.split("=", 2);
            parameters.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8), URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        return parameters;
    }

    @Test
    void objectsAreTheEntitiesMetaLists() throws Exception {
        serve(ENTITIES);
        assertEquals(List.of("Candidate", "ClientContact"), objectNames(await(bullhorn().objects())));
        FakeCrmServer.Seen meta = rest.seen().get(0);
        assertEquals("GET", meta.method());
        assertEquals("/rest-services/e999/meta", meta.path());
        assertEquals("bh-1", meta.header("BhRestToken"));
    }

    @Test
    void fieldsAreTheEntitysFullMetaWithLabelAndDataType() throws Exception {
        serve(CLIENT_CONTACT);
        assertEquals(List.of(new CrmField("id", "ID", "Integer", true, true), new CrmField("phone", "Phone", "String", true, true),
                new CrmField("clientCorporation", "Company", "TO_ONE", true, true)), await(bullhorn().fields("ClientContact")));
        assertEquals("/rest-services/e999/meta/ClientContact", rest.seen().get(0).path());
        assertEquals(Map.of("fields", "*", "meta", "full"), decode(rest.seen().get(0).rawQuery()));
    }

    @Test
    void anUnknownEntityFailsNamingIt() throws Exception {
        serve(new Reply(400, "application/json", "{\"errorMessage\":\"Invalid entity type: Widget\",\"errorCode\":400}", Map.of()));
        assertEquals("crm bh: fields of Widget: HTTP 400: Invalid entity type: Widget",
                failure(bullhorn().fields("Widget"), CrmException.Kind.HTTP_STATUS).getMessage());
        CrmException bad = failure(bullhorn().fields("Client Contact"), CrmException.Kind.CONFIG);
        assertTrue(bad.getMessage().contains("Client Contact"), bad.getMessage());
        assertEquals(1, rest.seen().size(), "a name no entity has is not sent");
    }

    @Test
    void theLookupsSessionServesTheSchemaWithoutASecondLogin() throws Exception {
        serve(Reply.json("{\"total\":0,\"start\":0,\"count\":0,\"data\":[]}"), ENTITIES, CLIENT_CONTACT);
        CrmConnector crm = bullhorn();
        TestCrms.await(crm.lookup(new LookupRequest("ClientContact", "phone", "+14155552671", Optional.empty(), List.of("firstName"), 1, "", "",
                Duration.ofSeconds(5), null)));
        await(crm.objects());
        await(crm.fields("ClientContact"));
        assertEquals(2, auth.seen().size(), "one refresh grant and one REST login");
        assertEquals(List.of("bh-1", "bh-1", "bh-1"), rest.seen().stream().map(s -> s.header("BhRestToken")).toList());
    }

    @Test
    void aRefusedSessionIsRenewedOnceLikeForLookups() throws Exception {
        serve(Reply.status(401), ENTITIES);
        assertEquals(2, await(bullhorn().objects()).size());
        assertEquals(4, auth.seen().size());
        assertEquals("bh-2", rest.seen().get(1).header("BhRestToken"));
    }
}
