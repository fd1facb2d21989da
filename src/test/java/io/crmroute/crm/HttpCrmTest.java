package io.crmroute.crm;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmroute.crm.FakeCrmServer.Reply;
import io.crmroute.testing.ManualTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.crmroute.crm.TestCrms.await;
import static io.crmroute.crm.TestCrms.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpCrmTest {

    private static final String NASTY = "a&b=c d'\"\\";

    private final CrmContext context = CrmContext.create();
    private FakeCrmServer server;

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
        context.close();
    }

    private CrmConnector billing(Map<String, String> settings) {
        return billing(settings, context);
    }

    private CrmConnector billing(Map<String, String> settings, CrmContext in) {
        Map<String, String> all = new HashMap<>(Map.of("url", server.url("/crm"), "allow-insecure", "true"));
        all.putAll(settings);
        return CrmConnectors.create(TestCrms.spec("billing", HttpCrm.TYPE, all), in);
    }

    private static LookupRequest lookup(String callerId, String digits, Duration budget, List<String> trace) {
        return new LookupRequest("accounts", "phone", callerId, Optional.empty(), List.of("status", "balance"), 5,
                digits, callerId, budget, trace::add);
    }

    private static LookupRequest lookup(String callerId) {
        return lookup(callerId, "", Duration.ofMillis(1500), new ArrayList<>());
    }

    private static Map<String, String> decode(String rawQuery) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            String[] parts = pair.split("=", 2);
            parameters.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8), URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        return parameters;
    }

    @Test
    void getSendsEveryParameterUrlEncoded() throws Exception {
        server = new FakeCrmServer(Reply.text("GOLD"));
        await(billing(Map.of()).lookup(lookup(NASTY, "12#*", Duration.ofMillis(1500), new ArrayList<>())));
        FakeCrmServer.Seen seen = server.seen().get(0);
        assertEquals("GET", seen.method());
        assertEquals(Map.of("field_name", "status", "dtmf", "12#*", "callerid", NASTY, "value", NASTY), decode(seen.rawQuery()));
        assertEquals(List.of("field_name", "dtmf", "callerid", "value"), List.copyOf(decode(seen.rawQuery()).keySet()));
    }

    @Test
    void postSendsTheSameKeysAsJson() throws Exception {
        server = new FakeCrmServer(Reply.text("GOLD"));
        await(billing(Map.of("method", "POST")).lookup(lookup(NASTY, "42", Duration.ofMillis(1500), new ArrayList<>())));
        FakeCrmServer.Seen seen = server.seen().get(0);
        assertEquals("POST", seen.method());
        assertEquals("application/json", seen.header("Content-Type"));
        JsonNode body = CrmHttp.JSON.readTree(seen.body());
        assertEquals("status", body.get("field_name").asText());
        assertEquals("42", body.get("dtmf").asText());
        assertEquals(NASTY, body.get("callerid").asText());
        assertEquals(NASTY, body.get("value").asText());
    }

    @Test
    void configuredHeadersGoWithEveryRequest() throws Exception {
        server = new FakeCrmServer(Reply.text("GOLD"));
        CrmSpec spec = TestCrms.withHeaders(
                TestCrms.spec("billing", HttpCrm.TYPE, Map.of("url", server.url("/crm"), "allow-insecure", "true")),
                Map.of("X-Api-Key", "k-123"), Set.of("k-123"));
        CrmConnector crm = CrmConnectors.create(spec, context);
        await(crm.lookup(lookup("+15551234567")));
        await(crm.lookup(lookup("+15551234568")));
        assertEquals(2, server.seen().size());
        server.seen().forEach(seen -> assertEquals("k-123", seen.header("X-Api-Key")));
    }

    @Test
    void aTextReplyIsTheValue() throws Exception {
        server = new FakeCrmServer(Reply.text("  GOLD\n"));
        LookupResult result = await(billing(Map.of()).lookup(lookup("+15551234567")));
        assertEquals(List.of(new CrmRecord(Map.of("status", "GOLD"))), result.records());
    }

    @Test
    void aJsonReplyIsReadAtTheValuePointer() throws Exception {
        server = new FakeCrmServer(Reply.json("{\"data\": {\"tier\": \"SILVER\"}}"));
        LookupResult result = await(billing(Map.of("value-pointer", "/data/tier")).lookup(lookup("+15551234567")));
        assertEquals(Optional.of("SILVER"), result.records().get(0).get("status"));
    }

    @Test
    void aJsonObjectReplyKeepsItsTopLevelScalars() throws Exception {
        server = new FakeCrmServer(Reply.json("{\"value\": \"GOLD\", \"balance\": 1200, \"vip\": true, \"owner\": {\"id\": 7}}"));
        LookupResult result = await(billing(Map.of()).lookup(lookup("+15551234567")));
        assertEquals(Map.of("value", "GOLD", "balance", "1200", "vip", "true", "status", "GOLD"), result.records().get(0).fields());
    }

    @Test
    void aJsonArrayIsOneRecordPerElement() throws Exception {
        server = new FakeCrmServer(Reply.json("{\"value\": [{\"status\": \"GOLD\", \"owner\": {\"id\": 7}}, {\"status\": \"SILVER\"}]}"));
        LookupResult result = await(billing(Map.of()).lookup(lookup("+15551234567")));
        assertEquals(2, result.records().size());
        assertEquals(Map.of("status", "GOLD", "owner.id", "7"), result.records().get(0).fields());
        assertEquals(Optional.of("SILVER"), result.records().get(1).get("status"));
    }

    @Test
    void aRecordsIdAndPageAreReadAtTheirPointersWhenConfigured() throws Exception {
        String reply = "{\"value\": [{\"status\": \"GOLD\", \"ref\": {\"id\": 42}, \"links\": {\"self\": \"https://billing.example.com/a/42\"}},"
                + " {\"status\": \"SILVER\", \"ref\": {\"id\": 43}, \"links\": {\"self\": \"javascript:alert(1)\"}}]}";
        server = new FakeCrmServer(Reply.json(reply), Reply.json(reply));
        List<CrmRecord> unlinked = await(billing(Map.of()).lookup(lookup("+15551234567"))).records();
        assertEquals(Optional.empty(), unlinked.get(0).id(), "no pointers, no id: the reply's shape is the endpoint's own");

        List<CrmRecord> records = await(billing(Map.of("id-pointer", "/ref/id", "url-pointer", "/links/self"))
                .lookup(lookup("+15551234567"))).records();
        assertEquals(Optional.of("42"), records.get(0).id());
        assertEquals(Optional.of("https://billing.example.com/a/42"), records.get(0).url());
        assertEquals(Optional.of("43"), records.get(1).id());
        assertEquals(Optional.empty(), records.get(1).url(), "only an http(s) page is handed to an agent's browser");
    }

    @Test
    void notFoundEmptyAndNullAreNoRecord() throws Exception {
        server = new FakeCrmServer(Reply.status(404), Reply.text(""), Reply.json("{\"value\": null}"), Reply.json("{}"));
        CrmConnector crm = billing(Map.of());
        for (int i = 0; i < 4; i++) assertTrue(await(crm.lookup(lookup("+1555123456" + i))).isEmpty(), "reply " + i);
        assertEquals(4, server.seen().size());
    }

    @Test
    void aServerErrorIsAnHttpStatusFailure() throws Exception {
        server = new FakeCrmServer(Reply.status(500));
        assertEquals("crm billing: HTTP 500",
                failure(billing(Map.of()).lookup(lookup("+15551234567")), CrmException.Kind.HTTP_STATUS).getMessage());
    }

    @Test
    void refusedCredentialsAreAnAuthFailure() throws Exception {
        server = new FakeCrmServer(Reply.status(401));
        failure(billing(Map.of()).lookup(lookup("+15551234567")), CrmException.Kind.AUTH);
    }

    @Test
    void tooManyRequestsIsRateLimited() throws Exception {
        server = new FakeCrmServer(Reply.status(429));
        failure(billing(Map.of()).lookup(lookup("+15551234567")), CrmException.Kind.RATE_LIMITED);
    }

    @Test
    void aSilentServerTimesOutWithinTheBudgetOfABareConnector() throws Exception {
        server = new FakeCrmServer(Reply.never());
        ManualTime time = new ManualTime();
        try (CrmContext driven = TestCrms.drivenBy(time)) {
            CrmConnector bare = CrmConnectors.connectorFor(TestCrms.spec("billing", HttpCrm.TYPE,
                    Map.of("url", server.url("/crm"), "allow-insecure", "true")), driven);
            var answer = bare.lookup(lookup("+15551234567", "", Duration.ofMillis(200), new ArrayList<>()));
            server.awaitRequests(1);
            time.advance(Duration.ofMillis(199));
            assertFalse(answer.isDone());
            time.advance(Duration.ofMillis(1));
            assertEquals("crm billing: no answer within 200 ms", failure(answer, CrmException.Kind.TIMEOUT).getMessage());
        }
    }

    @Test
    void anHtmlPageIsAFailureNeverAValue() throws Exception {
        server = new FakeCrmServer(new Reply(200, "text/html; charset=UTF-8", "<html><body>Please sign in</body></html>", Map.of()));
        CrmException e = failure(billing(Map.of()).lookup(lookup("+15551234567")), CrmException.Kind.BAD_RESPONSE);
        assertEquals("crm billing: reply is text/html (expected text/plain or JSON)", e.getMessage());
    }

    @Test
    void onlyTextAndJsonMediaTypesAreRead() throws Exception {
        server = new FakeCrmServer(
                new Reply(200, "application/vnd.api+json", "{\"value\": \"GOLD\"}", Map.of()),
                new Reply(200, "Application/JSON; charset=utf-8", "{\"value\": \"SILVER\"}", Map.of()),
                new Reply(200, "application/xml", "<value>GOLD</value>", Map.of()),
                new Reply(200, "application/octet-stream", "GOLD", Map.of()));
        CrmConnector crm = billing(Map.of());
        assertEquals(Optional.of("GOLD"), await(crm.lookup(lookup("+15551230001"))).records().get(0).get("status"));
        assertEquals(Optional.of("SILVER"), await(crm.lookup(lookup("+15551230002"))).records().get(0).get("status"));
        assertEquals("crm billing: reply is application/xml (expected text/plain or JSON)",
                failure(crm.lookup(lookup("+15551230003")), CrmException.Kind.BAD_RESPONSE).getMessage());
        assertEquals("crm billing: reply is application/octet-stream (expected text/plain or JSON)",
                failure(crm.lookup(lookup("+15551230004")), CrmException.Kind.BAD_RESPONSE).getMessage());
    }

    @Test
    void aReplyWithoutAContentTypeIsReadByItsFirstCharacter() throws Exception {
        server = new FakeCrmServer(
                new Reply(200, "", "{\"value\": \"GOLD\"}", Map.of()),
                new Reply(200, "", "SILVER", Map.of()),
                new Reply(200, "", "<!DOCTYPE html><html>Sign in</html>", Map.of()));
        CrmConnector crm = billing(Map.of());
        assertEquals(Optional.of("GOLD"), await(crm.lookup(lookup("+15551230001"))).records().get(0).get("status"));
        assertEquals(Optional.of("SILVER"), await(crm.lookup(lookup("+15551230002"))).records().get(0).get("status"));
        CrmException e = failure(crm.lookup(lookup("+15551230003")), CrmException.Kind.BAD_RESPONSE);
        assertEquals("crm billing: reply has no Content-Type and looks like markup", e.getMessage());
    }

    @Test
    void aRedirectIsNeverFollowedAndNamesOnlyTheHost() throws Exception {
        try (FakeCrmServer elsewhere = new FakeCrmServer(Reply.text("GOLD"))) {
            String location = elsewhere.url("/steal?key=k-123");
            server = new FakeCrmServer(new Reply(302, "text/plain", "", Map.of("Location", location)),
                    new Reply(307, "text/plain", "", Map.of("Location", location)));
            CrmSpec spec = TestCrms.withHeaders(
                    TestCrms.spec("billing", HttpCrm.TYPE, Map.of("url", server.url("/crm"), "allow-insecure", "true")),
                    Map.of("X-Api-Key", "k-123"), Set.of("k-123"));
            CrmConnector crm = CrmConnectors.create(spec, context);
            String host = location.substring("http://".length(), location.indexOf("/steal"));
            assertEquals("crm billing: HTTP 302 redirect to " + host + " not followed",
                    failure(crm.lookup(lookup("+15551230001")), CrmException.Kind.HTTP_STATUS).getMessage());
            assertEquals("crm billing: HTTP 307 redirect to " + host + " not followed",
                    failure(crm.lookup(lookup("+15551230002")), CrmException.Kind.HTTP_STATUS).getMessage());
            assertEquals(2, server.seen().size());
            assertTrue(elsewhere.seen().isEmpty(), "the other host received no request, so no X-Api-Key");
        }
    }

    @Test
    void aClosedPortIsAConnectFailure() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        CrmConnector crm = CrmConnectors.create(TestCrms.spec("billing", HttpCrm.TYPE,
                Map.of("url", "http://127.0.0.1:" + port + "/crm", "allow-insecure", "true")), context);
        CrmException e = failure(crm.lookup(lookup("+15551234567")), CrmException.Kind.CONNECT);
        assertEquals("crm billing: connection refused by 127.0.0.1:" + port, e.getMessage());
    }

    @Test
    void anUnknownHostIsADnsFailure() {
        CrmConnector crm = CrmConnectors.create(TestCrms.spec("billing", HttpCrm.TYPE, Map.of("url", "https://crm.invalid/crm")), context);
        CrmException e = failure(crm.lookup(lookup("+15551234567")), CrmException.Kind.DNS);
        assertEquals("crm billing: host not found: crm.invalid", e.getMessage());
    }

    @Test
    void unparseableJsonIsABadResponse() throws Exception {
        server = new FakeCrmServer(Reply.json("{\"value\": GOLD"));
        CrmException e = failure(billing(Map.of()).lookup(lookup("+15551234567")), CrmException.Kind.BAD_RESPONSE);
        assertTrue(e.getMessage().startsWith("crm billing: reply is not valid JSON"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void plainHttpIsRefusedAtLoadUnlessAllowed() throws Exception {
        assertEquals(List.of("url: \"http://127.0.0.1:9/crm\": " + KeyParsers.INSECURE),
                TestCrms.problems(HttpCrm.TYPE, Map.of("url", "http://127.0.0.1:9/crm")));
        assertEquals(List.of("url: \"ftp://host/crm\": expected an absolute https:// URL"),
                TestCrms.problems(HttpCrm.TYPE, Map.of("url", "ftp://host/crm", "allow-insecure", "true")));
        assertEquals(List.of("method: \"PUT\": expected one of GET, POST"),
                TestCrms.problems(HttpCrm.TYPE, Map.of("url", "https://crm.example.com", "method", "PUT")));
    }

    @Test
    void secretsAreMaskedInTracesAndErrors() throws Exception {
        server = new FakeCrmServer(Reply.status(500));
        String secret = "p@ss word/1";
        String url = server.url("/crm?token=") + CrmCall.encode(secret);
        CrmSpec spec = TestCrms.withHeaders(TestCrms.spec("billing", HttpCrm.TYPE, Map.of("url", url, "allow-insecure", "true")),
                Map.of(), Set.of(secret));
        List<String> trace = new ArrayList<>();
        failure(CrmConnectors.create(spec, context).lookup(lookup("+15551234567", "", Duration.ofMillis(1500), trace)),
                CrmException.Kind.HTTP_STATUS);
        assertEquals(secret, decode(server.seen().get(0).rawQuery()).get("token"));
        assertEquals(1, trace.size());
        assertTrue(trace.get(0).startsWith("GET " + server.url("/crm?token=****&field_name=status")), trace.get(0));
    }
}
