package io.crmroute.crm;

import io.crmroute.crm.FakeCrmServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

import static io.crmroute.crm.TestCrms.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The template vendor connector against a fake vendor: token, 401, one refresh, records. */
class ExampleVendorCrmTest {

    private final CrmContext context = CrmContext.create();
    private FakeCrmServer server;

    @AfterEach
    void tearDown() {
        server.close();
        context.close();
    }

    @Test
    void aRefusedTokenIsRefreshedOnceAndTheLookupRetried() throws Exception {
        server = new FakeCrmServer();
        String token = "{\"access_token\": \"%s\", \"expires_in\": 3600, \"instance_url\": \"" + server.url("") + "\"}";
        server.answer(
                Reply.json(token.formatted("t1")),
                Reply.status(401),
                Reply.json(token.formatted("t2")),
                Reply.json("{\"results\": [{\"id\": 1, \"status\": \"GOLD\", \"owner\": {\"name\": \"Bo\"}}]}"));
        CrmSpec spec = new CrmSpec("vendor", CrmType.SALESFORCE, Optional.empty(),
                Map.of("token-url", server.url("/oauth/token"), "client-id", "crmroute", "client-secret", "s3cret"),
                Duration.ofSeconds(2), OptionalDouble.empty(), Optional.empty(), Optional.empty(), Map.of(), Map.of(),
                Set.of("s3cret"), Path.of("."));
        CrmConnector crm = new ResilientConnector(new ExampleVendorCrm(spec, context), spec, context);
        List<String> trace = new ArrayList<>();

        LookupResult result = await(crm.lookup(new LookupRequest("Contact", "Phone", "+15551234567", Optional.empty(),
                List.of("status"), 1, "", "", Duration.ofMillis(1500), trace::add)));

        assertEquals(Map.of("id", "1", "status", "GOLD", "owner.name", "Bo"), result.records().get(0).fields());
        List<FakeCrmServer.Seen> seen = server.seen();
        assertEquals(List.of("POST", "GET", "POST", "GET"), seen.stream().map(FakeCrmServer.Seen::method).toList());
        assertEquals("s3cret", form(seen.get(0).body()).get("client_secret"));
        assertEquals("Bearer t1", seen.get(1).header("Authorization"));
        assertEquals("Bearer t2", seen.get(3).header("Authorization"));
        assertEquals(Map.of("object", "Contact", "Phone", "+15551234567"), form(seen.get(3).rawQuery()));
        assertEquals(2, trace.size(), "token fetches are not traced here; the two searches are");
        trace.forEach(line -> assertFalse(line.contains("s3cret"), line));
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new java.util.HashMap<>();
        for (String pair : body.split("&")) {
            String[] parts = pair.split("=", 2);
            fields.put(parts[0], URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        return fields;
    }
}
