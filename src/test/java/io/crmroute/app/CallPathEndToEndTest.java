package io.crmroute.app;

import static io.crmroute.app.Calls.reply;
import static io.crmroute.app.Calls.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.crmroute.agi.FakeAsterisk;
import io.crmroute.agi.FakeAsterisk.Responder;
import io.crmroute.config.ConfigLoader;
import io.crmroute.config.ConfigResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calls as Asterisk makes them, over real TCP, against the whole server: a file CRM, and custom
 * HTTP CRMs served on 127.0.0.1 that answer, fail, garble or never answer. Each test reads as one
 * call: who calls, what the CRM holds, which variables the channel gets.
 */
class CallPathEndToEndTest {

    private static final String API_KEY = "secret-key-7f3a";

    @TempDir
    static Path dir;

    private static HttpServer crm;
    private static final CountDownLatch release = new CountDownLatch(1);
    /** The "held" CRM: asked, then holding its answer (a slow CRM) until the test releases it. */
    private static final CompletableFuture<Void> heldAsked = new CompletableFuture<>();
    private static final CompletableFuture<Void> heldRelease = new CompletableFuture<>();
    /** The "dropped" CRM, on a raw socket: it never answers, and tells when the client closes the connection. */
    private static ServerSocket droppedCrm;
    private static final CompletableFuture<Void> droppedAsked = new CompletableFuture<>();
    private static final CompletableFuture<Void> droppedClosedByClient = new CompletableFuture<>();
    private static int closedPort;
    private static final List<String> crmRequests = new CopyOnWriteArrayList<>();
    private static CrmrouteServer server;

    @BeforeAll
    static void start() throws Exception {
        crm = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        crm.setExecutor(Executors.newCachedThreadPool());
        crm.createContext("/crm", CallPathEndToEndTest::billing);
        crm.createContext("/never", exchange -> {
            awaitRelease();
            exchange.close();
        });
        crm.createContext("/held", exchange -> {
            heldAsked.complete(null);
            try {
                heldRelease.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // answer anyway
            }
            reply(exchange, 200, "application/json", "{\"value\": \"GOLD\"}");
        });
        crm.createContext("/fail", exchange -> reply(exchange, 500, "text/plain", "boom"));
        crm.createContext("/garbled", exchange -> reply(exchange, 200, "application/json", "{\"value\": GOLD"));
        crm.start();
        droppedCrm = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "dropped-crm");
            thread.setDaemon(true);
            return thread;
        }).execute(CallPathEndToEndTest::holdUntilClosed);
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        Files.writeString(dir.resolve("crm.json"), """
                {"contacts": [
                  {"phone": "+15551230001", "name": "Alice", "status": "GOLD", "balance": "12", "account": "0042"},
                  {"phone": "+15551230002", "name": "Bob", "status": "BRONZE", "balance": "10", "account": "0043"},
                  {"phone": "+15551230003", "name": "Carol", "status": "BRONZE", "balance": "2500", "account": "0044"},
                  {"phone": "+15551230009", "name": "Dan", "status": "SILVER", "balance": "1", "account": "0050"},
                  {"phone": "+15551230009", "name": "Erin", "status": "GOLD", "balance": "2", "account": "0051"}
                ]}""");
        String base = "http://127.0.0.1:" + crm.getAddress().getPort();
        String yaml = """
                server:
                  agi: { host: 127.0.0.1, port: 0, allow: [127.0.0.1/32] }
                  http: { host: 127.0.0.1, port: 0 }
                crms:
                  demo: { type: file, path: crm.json, phone: { default-country: US } }
                  billing:
                    type: http
                    url: BASE/crm
                    allow-insecure: true
                    headers: { X-Api-Key: "${TEST_BILLING_KEY}" }
                  never: { type: http, url: BASE/never, allow-insecure: true }
                  held: { type: http, url: BASE/held, allow-insecure: true }
                  failing: { type: http, url: BASE/fail, allow-insecure: true }
                  garbled: { type: http, url: BASE/garbled, allow-insecure: true }
                  refused: { type: http, url: "http://127.0.0.1:CLOSED/crm", allow-insecure: true }
                  nowhere: { type: http, url: "http://crm.invalid/crm", allow-insecure: true }
                  dropped: { type: http, url: "http://127.0.0.1:DROPPED/crm", allow-insecure: true }
                routes:
                  vip:
                    crm: demo
                    object: contacts
                    match: { field: phone, from: callerid }
                    retrieve: [name, status, balance]
                    field: status
                    rules:
                      - { name: gold, op: "=", value: GOLD, to: { queue: "103" } }
                      - { op: ">=", field: balance, value: 1000, to: { ivr: "200" } }
                    default: { to: { extension: "100" }, voicemail: true }
                    nomatch: { to: { queue: "500" } }
                    multiple: { to: { queue: "501" } }
                    withheld: { to: { queue: "502" } }
                    failure: { to: { queue: "900" } }
                  team:
                    crm: demo
                    object: contacts
                    retrieve: [name, status]
                    field: status
                    records: 3
                    rules: [ { name: gold, op: "=", value: GOLD, to: { queue: "103" } } ]
                    default: { to: { queue: "104" } }
                  account:
                    crm: demo
                    object: contacts
                    match: { field: account, from: dtmf }
                    dtmf: { prompt: enter-account, max-digits: 4, timeout: 3s }
                    retrieve: [name]
                    field: status
                    rules: [ { name: gold, op: "=", value: GOLD, to: { queue: "103" } } ]
                    default: { to: { queue: "104" } }
                    nomatch: { to: { ivr: "300" } }
                  billing:
                    crm: billing
                    field: status
                    rules: [ { name: gold, op: "=", value: GOLD, to: { queue: "103" } } ]
                    default: { to: { queue: "104" } }
                    failure: { to: { queue: "900" } }
                  never:   { crm: never,   field: status, timeout: 300ms, default: { to: { queue: "104" } }, failure: { to: { queue: "900" } } }
                  held:    { crm: held,    field: status, timeout: 20s, default: { to: { queue: "104" } }, failure: { to: { queue: "900" } } }
                  failing: { crm: failing, field: status, default: { to: { queue: "104" } }, failure: { to: { queue: "900" } } }
                  garbled: { crm: garbled, field: status, default: { to: { queue: "104" } }, failure: { to: { queue: "900" } } }
                  refused: { crm: refused, field: status, default: { to: { queue: "104" } }, failure: { to: { queue: "900" } } }
                  nowhere: { crm: nowhere, field: status, default: { to: { queue: "104" } }, failure: { to: { queue: "900" } } }
                  dropped: { crm: dropped, field: status, timeout: 20s, default: { to: { queue: "104" } }, failure: { to: { queue: "900" } } }
                """.replace("BASE", base).replace("CLOSED", Integer.toString(closedPort))
                .replace("DROPPED", Integer.toString(droppedCrm.getLocalPort()));
        Path file = dir.resolve("crmroute.yaml");
        Files.writeString(file, yaml);
        ConfigResult config = ConfigLoader.load(file, Map.of("TEST_BILLING_KEY", API_KEY));
        assertEquals(List.of(), config.problems());
        server = CrmrouteServer.start(config.config().orElseThrow());
    }

    @AfterAll
    static void stop() {
        release.countDown();
        heldRelease.complete(null);
        if (server != null) server.close();
        crm.stop(0);
        try {
            droppedCrm.close();
        } catch (IOException ignored) {
            // closed already
        }
    }

    private static void billing(HttpExchange exchange) throws IOException {
        crmRequests.add(exchange.getRequestURI().getRawQuery() + " key=" + exchange.getRequestHeaders().getFirst("X-Api-Key"));
        String query = exchange.getRequestURI().getRawQuery();
        if (query.contains("callerid=15551230001")) reply(exchange, 200, "application/json", "{\"value\": \"GOLD\"}");
        else if (query.contains("callerid=15551230002")) reply(exchange, 200, "text/plain", "BRONZE\n");
        else reply(exchange, 404, "text/plain", "");
    }

    /** Takes one connection, reads the request head, never answers, and notes when the client closes. */
    private static void holdUntilClosed() {
        try (Socket connection = droppedCrm.accept()) {
            InputStream in = connection.getInputStream();
            StringBuilder head = new StringBuilder();
            int b;
            while (!head.toString().endsWith("\r\n\r\n") && (b = in.read()) >= 0) head.append((char) b);
            droppedAsked.complete(null);
            while (in.read() >= 0) {
                // whatever else comes, until the client closes
            }
            droppedClosedByClient.complete(null);
        } catch (IOException e) {
            droppedClosedByClient.completeExceptionally(e);
        }
    }

    private static void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static FakeAsterisk.Call call(String route, String callerId) throws IOException {
        return call(route, callerId, Responder.asterisk());
    }

    private static FakeAsterisk.Call call(String route, String callerId, Responder responder) throws IOException {
        return Calls.call(server.agiPort(), route, callerId, responder);
    }

    @Test
    void aGoldCustomerGoesToTheGoldQueueWithTheirFields() throws IOException {
        FakeAsterisk.Call call = call("vip", "15551230001");
        assertEquals(vars("CRMROUTE_STATUS", "MATCH", "CRMROUTE_TYPE", "queue", "CRMROUTE_DEST", "103",
                "CRMROUTE_VOICEMAIL", "no", "CRMROUTE_RULE", "gold", "CRMROUTE_VALUE", "GOLD",
                "CRM_contacts_name", "Alice", "CRM_contacts_status", "GOLD", "CRM_contacts_balance", "12",
                "CRM_contacts_RECORD_COUNT", "1"), call.variables());
        assertTrue(call.closedByServer());
    }

    @Test
    void aNationalNumberFindsTheE164Record() throws IOException {
        assertEquals("103", call("vip", "5551230001").variables().get("CRMROUTE_DEST"));
        assertEquals("103", call("vip", "+1 555 123 0001").variables().get("CRMROUTE_DEST"));
    }

    @Test
    void anUnnamedRuleOnAnotherFieldIsNamedByItsPosition() throws IOException {
        Map<String, String> variables = call("vip", "15551230003").variables();
        assertEquals("MATCH", variables.get("CRMROUTE_STATUS"));
        assertEquals("2", variables.get("CRMROUTE_RULE"));
        assertEquals("ivr", variables.get("CRMROUTE_TYPE"));
        assertEquals("200", variables.get("CRMROUTE_DEST"));
        assertEquals("2500", variables.get("CRMROUTE_VALUE"));
    }

    @Test
    void aKnownCallerNoRuleHoldsForGoesToTheDefaultsVoicemail() throws IOException {
        assertEquals(vars("CRMROUTE_STATUS", "DEFAULT", "CRMROUTE_TYPE", "extension", "CRMROUTE_DEST", "100",
                "CRMROUTE_VOICEMAIL", "yes", "CRMROUTE_RULE", "default", "CRMROUTE_VALUE", "BRONZE",
                "CRM_contacts_name", "Bob", "CRM_contacts_status", "BRONZE", "CRM_contacts_balance", "10",
                "CRM_contacts_RECORD_COUNT", "1"), call("vip", "15551230002").variables());
    }

    @Test
    void anUnknownCallerTakesTheNoMatchPath() throws IOException {
        assertEquals(vars("CRMROUTE_STATUS", "NOMATCH", "CRMROUTE_TYPE", "queue", "CRMROUTE_DEST", "500",
                "CRMROUTE_VOICEMAIL", "no", "CRMROUTE_RULE", "nomatch", "CRM_contacts_RECORD_COUNT", "0"),
                call("vip", "15559999999").variables());
    }

    @Test
    void twoRecordsWhereOneWasWantedTakeTheMultiplePath() throws IOException {
        assertEquals(vars("CRMROUTE_STATUS", "MULTIPLE", "CRMROUTE_TYPE", "queue", "CRMROUTE_DEST", "501",
                "CRMROUTE_VOICEMAIL", "no", "CRMROUTE_RULE", "multiple", "CRM_contacts_RECORD_COUNT", "2"),
                call("vip", "15551230009").variables());
    }

    @Test
    void severalRecordsAreNumberedWhenTheRouteRetrievesSeveral() throws IOException {
        assertEquals(vars("CRMROUTE_STATUS", "DEFAULT", "CRMROUTE_TYPE", "queue", "CRMROUTE_DEST", "104",
                "CRMROUTE_VOICEMAIL", "no", "CRMROUTE_RULE", "default", "CRMROUTE_VALUE", "SILVER",
                "CRM_contacts_name_01", "Dan", "CRM_contacts_status_01", "SILVER",
                "CRM_contacts_name_02", "Erin", "CRM_contacts_status_02", "GOLD",
                "CRM_contacts_RECORD_COUNT", "2"), call("team", "15551230009").variables());
    }

    @Test
    void aWithheldNumberAsksNoCrm() throws IOException {
        for (String withheld : List.of("unknown", "anonymous", "")) {
            assertEquals(vars("CRMROUTE_STATUS", "WITHHELD", "CRMROUTE_TYPE", "queue", "CRMROUTE_DEST", "502",
                    "CRMROUTE_VOICEMAIL", "no", "CRMROUTE_RULE", "withheld"), call("vip", withheld).variables());
        }
    }

    @Test
    void digitsWithLeadingZerosAreLookedUpAsTyped() throws IOException {
        FakeAsterisk.Call call = call("account", "15550000000", Responder.asterisk().withDigits("0042"));
        assertEquals("GET DATA \"enter-account\" 3000 4", call.commands().get(0));
        assertEquals(vars("CRMROUTE_STATUS", "MATCH", "CRMROUTE_TYPE", "queue", "CRMROUTE_DEST", "103",
                "CRMROUTE_VOICEMAIL", "no", "CRMROUTE_RULE", "gold", "CRMROUTE_VALUE", "GOLD", "CRMROUTE_DIGITS", "0042",
                "CRM_contacts_name", "Alice", "CRM_contacts_RECORD_COUNT", "1"), call.variables());
    }

    @Test
    void noDigitsPressedIsNoMatch() throws IOException {
        Map<String, String> variables = call("account", "15550000000", Responder.asterisk().withDigits("")).variables();
        assertEquals("NOMATCH", variables.get("CRMROUTE_STATUS"));
        assertEquals("300", variables.get("CRMROUTE_DEST"));
        assertFalse(variables.containsKey("CRMROUTE_DIGITS"));
    }

    @Test
    void everyReplyFormAsteriskSendsToGetDataIsUnderstood() throws IOException {
        Map<String, List<String>> replies = new LinkedHashMap<>();
        replies.put("0042", List.of("100 result=0 Trying...", "200 result=0042"));
        replies.put("0042 (timeout)", List.of("200 result=0042 (timeout)"));
        replies.put("hangup before the reply", List.of("HANGUP", "200 result=0042"));
        replies.put("-1", List.of("200 result=-1"));
        replies.put("empty", List.of("200 result="));
        replies.put("520 one line", List.of("520 Invalid command syntax.  Proper usage not available."));
        replies.put("520 usage", List.of("520-Invalid command syntax.  Proper usage follows:",
                "Stream the given <replaceable>file</replaceable>, and receive DTMF data.", "520 End of proper usage."));
        replies.put("511", List.of("511 Command Not Permitted on a dead channel or intercept routine"));
        replies.put("510", List.of("510 Invalid or unknown command"));
        for (Map.Entry<String, List<String>> reply : replies.entrySet()) {
            Responder responder = line -> line.startsWith("GET DATA") ? reply.getValue() : Responder.asterisk().reply(line);
            Map<String, String> variables = call("account", "15550000000", responder).variables();
            String expected = reply.getKey().startsWith("0042") ? "MATCH" : reply.getKey().startsWith("hangup") ? "HANGUP" : "NOMATCH";
            assertEquals(expected, variables.get("CRMROUTE_STATUS"), reply.getKey());
        }
    }

    @Test
    void aCallerWhoHangsUpDuringTheDigitsIsAHangUpNotANoMatch() throws IOException {
        Responder hangsUp = line -> line.startsWith("GET DATA") ? List.of("HANGUP", "200 result=-1") : Responder.asterisk().reply(line);
        FakeAsterisk.Call call = call("account", "15550000000", hangsUp);
        assertEquals(vars("CRMROUTE_STATUS", "HANGUP", "CRMROUTE_RULE", "hangup"), call.variables());
        assertTrue(call.closedByServer());
    }

    @Test
    void aCallerWhoHangsUpWhileTheCrmIsSlowIsAHangUpAtOnceAndCounted() throws Exception {
        Map<String, String> env = Map.of("network_script", "held", "callerid", "15551230001");
        // Asterisk writes HANGUP as soon as the CRM has the request; the CRM holds its answer (a 3 s CRM) until released.
        FakeAsterisk.Call call = FakeAsterisk.callAndHangUp(server.agiPort(), env, Responder.asterisk(), heldAsked);
        boolean crmStillHolding = !heldRelease.isDone();
        heldRelease.complete(null);

        assertTrue(call.closedByServer());
        assertTrue(crmStillHolding, "the session closed while the CRM was still holding its answer");
        assertEquals(vars("CRMROUTE_STATUS", "HANGUP", "CRMROUTE_RULE", "hangup"), call.variables(), "set for the h extension");
        String metrics = metrics();
        assertTrue(metrics.contains("crmroute_calls_total{route=\"held\",status=\"HANGUP\"} 1.0"), metrics);
        assertTrue(metrics.contains("crmroute_crm_lookup_seconds_count{crm=\"held\",outcome=\"hangup\"} 1"), metrics);
    }

    @Test
    void aCallerWhoHangsUpClosesTheCrmConnectionThatCarriedItsLookup() throws Exception {
        Map<String, String> env = Map.of("network_script", "dropped", "callerid", "15551230001");
        FakeAsterisk.Call call = FakeAsterisk.callAndHangUp(server.agiPort(), env, Responder.asterisk(), droppedAsked);

        assertEquals(vars("CRMROUTE_STATUS", "HANGUP", "CRMROUTE_RULE", "hangup"), call.variables());
        droppedClosedByClient.get(10, TimeUnit.SECONDS); // the CRM, still holding the request, saw its connection closed
    }

    @Test
    void dnsFailureAndARefusedConnectionEachFailWithTheirOneLineReason() throws IOException {
        assertEquals("crm nowhere: host not found: crm.invalid", call("nowhere", "15551230001").variables().get("CRMROUTE_ERROR"));
        Map<String, String> refused = call("refused", "15551230001").variables();
        assertEquals("FAILED", refused.get("CRMROUTE_STATUS"));
        assertEquals("crm refused: connection refused by 127.0.0.1:" + closedPort, refused.get("CRMROUTE_ERROR"));
    }

    @Test
    void aPeerThatNeverRepliesIsClosedAtTheConfiguredReplyDeadline() throws Exception {
        Path file = dir.resolve("reply-timeout.yaml");
        Files.writeString(file, """
                server:
                  agi: { host: 127.0.0.1, port: 0, allow: [127.0.0.1/32], reply-timeout: 300ms }
                  http: { host: 127.0.0.1, port: 0 }
                crms:
                  demo: { type: file, path: crm.json, phone: { default-country: US } }
                routes:
                  vip: { crm: demo, object: contacts, field: status, default: { to: { queue: "104" } } }
                """);
        ConfigResult config = ConfigLoader.load(file, Map.of());
        assertEquals(List.of(), config.problems());
        try (CrmrouteServer strict = CrmrouteServer.start(config.config().orElseThrow())) {
            // Three seconds for the fake's reads: only the configured 300 ms, not the 5 s default, closes the call first.
            FakeAsterisk.Call call = FakeAsterisk.call(strict.agiPort(), Map.of("callerid", "15551230001"),
                    line -> List.of(), Duration.ofSeconds(3));
            assertTrue(call.closedByServer());
            assertEquals(List.of("SET VARIABLE \"CRMROUTE_STATUS\" \"DEFAULT\""), call.commands(), "no command after the deadline");
            assertEquals(Map.of(), call.variables(), "nothing was acknowledged");
        }
    }

    @Test
    void aCallerWhoHangsUpStillGetsTheDecisionForTheHExtension() throws IOException {
        FakeAsterisk.Call call = call("account", "15550000000", Responder.asterisk().withDigits("0042").hangUpAfter(1));
        assertEquals("MATCH", call.variables().get("CRMROUTE_STATUS"));
        assertTrue(call.closedByServer());
    }

    @Test
    void theCustomHttpCrmIsAskedWithTheCallersNumberAndTheApiKey() throws IOException {
        assertEquals("MATCH", call("billing", "15551230001").variables().get("CRMROUTE_STATUS"));
        assertTrue(crmRequests.stream().anyMatch(request -> request.contains("field_name=status")
                && request.contains("callerid=15551230001") && request.endsWith(" key=" + API_KEY)), crmRequests.toString());
        Map<String, String> plainText = call("billing", "15551230002").variables();
        assertEquals("DEFAULT", plainText.get("CRMROUTE_STATUS"));
        assertEquals("BRONZE", plainText.get("CRMROUTE_VALUE"));
        assertEquals("NOMATCH", call("billing", "15551239999").variables().get("CRMROUTE_STATUS"), "404 is no match");
    }

    @Test
    void aCrmThatNeverAnswersCostsTheCallerOnlyTheRoutesBudget() throws IOException {
        FakeAsterisk.Call call = call("never", "15551230001");
        assertEquals(vars("CRMROUTE_STATUS", "FAILED", "CRMROUTE_TYPE", "queue", "CRMROUTE_DEST", "900",
                "CRMROUTE_VOICEMAIL", "no", "CRMROUTE_RULE", "failure",
                "CRMROUTE_ERROR", "crm never: no answer within 300 ms"), call.variables());
        assertEquals(1, release.getCount(), "the call ended while the CRM was still holding its answer");
    }

    @Test
    void eachInterfaceFailureTakesTheFailurePathWithAOneLineReason() throws IOException {
        for (String route : List.of("failing", "garbled", "refused")) {
            Map<String, String> variables = call(route, "15551230001").variables();
            assertEquals("FAILED", variables.get("CRMROUTE_STATUS"), route);
            assertEquals("900", variables.get("CRMROUTE_DEST"), route);
            String error = variables.get("CRMROUTE_ERROR");
            assertTrue(error.startsWith("crm " + route + ": ") && !error.contains("\n"), error);
            assertFalse(error.contains(API_KEY));
        }
    }

    @Test
    void anUnknownRouteIsAnErrorNotASilentCall() throws IOException {
        assertEquals(vars("CRMROUTE_STATUS", "ERROR", "CRMROUTE_ERROR", "unknown route: nosuch"),
                call("nosuch", "15551230001").variables());
    }

    @Test
    void badInputEndsOnlyItsOwnSessionAndTheServerGoesOnServing() throws Exception {
        int port = server.agiPort();
        try (Socket garbage = new Socket("127.0.0.1", port)) {
            garbage.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(-1, garbage.getInputStream().read(), "garbage: closed");
        }
        try (Socket longLine = new Socket("127.0.0.1", port)) {
            OutputStream out = longLine.getOutputStream();
            byte[] chunk = "a".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            try {
                for (int i = 0; i < 16; i++) out.write(chunk);
            } catch (IOException closedWhileWriting) {
                // The server may close before the whole megabyte is written; that is the point.
            }
            assertEquals(-1, readQuietly(longLine.getInputStream()), "1 MB line: closed");
        }
        try (Socket half = new Socket("127.0.0.1", port)) {
            half.getOutputStream().write("agi_network: yes\nagi_network_script: vip\nagi_chan".getBytes(StandardCharsets.US_ASCII));
        }
        List<Socket> dropped = new ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                Socket socket = new Socket("127.0.0.1", port);
                socket.setSoLinger(true, 0);
                dropped.add(socket);
                if (dropped.size() == 100) {
                    for (Socket s : dropped) s.close();
                    dropped.clear();
                }
            }
        } finally {
            for (Socket s : dropped) s.close();
        }
        assertEquals("MATCH", call("vip", "15551230001").variables().get("CRMROUTE_STATUS"), "the next call is served");
    }

    private static int readQuietly(InputStream in) {
        try {
            return in.read();
        } catch (IOException reset) {
            return -1;
        }
    }

    @Test
    void healthAndMetricsAreServedOnTheHttpPort() throws Exception {
        call("vip", "15551230001");
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> health = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.httpPort() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        assertTrue(health.body().contains("\"status\":\"UP\"") && health.body().contains("\"demo\""), health.body());
        String metrics = metrics();
        assertTrue(metrics.contains("crmroute_calls_total{route=\"vip\",status=\"MATCH\"}"), metrics);
        assertTrue(metrics.contains("crmroute_agi_sessions_in_flight"));
        assertTrue(metrics.contains("crmroute_crm_lookup_seconds_bucket"));
    }

    private static String metrics() throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
