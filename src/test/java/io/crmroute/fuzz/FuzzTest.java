package io.crmroute.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmroute.agi.FakeAsterisk;
import io.crmroute.app.CrmrouteServer;
import io.crmroute.testing.Await;
import io.crmroute.config.ConfigLoader;
import io.crmroute.config.ConfigResult;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated FastAGI sessions and mutated HTTP requests against a real crmroute over real sockets, with a
 * well-formed control call every few dozen: whatever strangers send, no command the server writes is
 * malformed, the HTTP port never answers 500, and every control call gets exactly its variables.
 *
 * <p>The suite runs a short pass with a fixed seed. A long run, e.g. 180,000 sessions with a new seed:
 * {@code mvn -B test -Dtest=FuzzTest -Dfuzz.sessions=180000 -Dfuzz.http=50000 -Dfuzz.seed=$RANDOM}.
 * A failure names the seed and the iteration that reproduce it.
 */
class FuzzTest {

    private static final long SEED = Long.getLong("fuzz.seed", 20261202L);
    private static final int SESSIONS = Integer.getInteger("fuzz.sessions", 1_000);
    private static final int HTTP_REQUESTS = Integer.getInteger("fuzz.http", 600);
    private static final int CONTROL_EVERY = 50;
    /** How long a fuzz client waits for the server's next line before it gives up and hangs up itself. */
    private static final int CLIENT_PATIENCE_MS = 300;
    /** A control request waits as long as a busy machine may need: it is never timed, only answered. */
    private static final int CONTROL_PATIENCE_MS = 20_000;

    private static final Pattern SET_VARIABLE = Pattern.compile("SET VARIABLE \"[A-Za-z0-9_]+\" \"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern GET_DATA = Pattern.compile("GET DATA \"[^\"\\\\\\s]+\" \\d+ \\d+");
    private static final Pattern GET_VARIABLE = Pattern.compile("GET VARIABLE \"?[A-Za-z0-9_()]+\"?");
    private static final int MAX_COMMAND = 8_190;

    @TempDir
    static Path dir;
    private static CrmrouteServer server;

    @BeforeAll
    static void start() throws IOException {
        Files.writeString(dir.resolve("crm.json"), """
                {"contacts": [
                  {"phone": "+15551230001", "name": "Alice", "status": "GOLD", "account": "0042"},
                  {"phone": "+15551230002", "name": "Bob \\"the\\" \\\\ Builder\\r\\n", "status": "BRONZE", "account": "0043"}
                ]}""");
        Files.writeString(dir.resolve("crmroute.yaml"), """
                server:
                  agi: { host: 127.0.0.1, port: 0, allow: [127.0.0.1/32] }
                  http: { host: 127.0.0.1, port: 0 }
                crms:
                  demo: { type: file, path: crm.json, phone: { default-country: US } }
                routes:
                  vip:
                    crm: demo
                    object: contacts
                    match: { field: phone, from: callerid }
                    retrieve: [name]
                    field: status
                    rules: [ { name: gold, op: "=", value: GOLD, to: { queue: "103" } } ]
                    default: { to: { queue: "104" } }
                    nomatch: { to: { queue: "500" } }
                    withheld: { to: { queue: "502" } }
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
                """);
        ConfigResult config = ConfigLoader.load(dir.resolve("crmroute.yaml"), Map.of());
        assertEquals(List.of(), config.problems());
        server = CrmrouteServer.start(config.config().orElseThrow());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void mutatedFastAgiSessionsNeverBreakAWellFormedCall() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> sessions = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                SplittableRandom random = new SplittableRandom(SEED * 31 + i);
                int iteration = i;
                sessions.add(clients.submit(() -> malformedCommands(iteration, mutatedSession(random))));
                if (i % CONTROL_EVERY == 0) controlCalls("after fuzz session " + i);
            }
            List<String> malformed = new ArrayList<>();
            for (Future<List<String>> session : sessions) malformed.addAll(session.get(60, TimeUnit.SECONDS));
            assertEquals(List.of(), malformed, "seed " + SEED);
        } finally {
            clients.shutdownNow();
        }
        controlCalls("after all fuzz sessions");
        awaitNoSessionInFlight();
    }

    @Test
    void mutatedHttpRequestsNeverBreakHealthOrCalls() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> requests = new ArrayList<>();
            for (int i = 0; i < HTTP_REQUESTS; i++) {
                SplittableRandom random = new SplittableRandom(SEED * 17 + i);
                int iteration = i;
                requests.add(clients.submit(() -> badAnswers(iteration, random)));
                if (i % CONTROL_EVERY == 0) {
                    String health = exchange(server.httpPort(), HTTP_SEEDS[0].getBytes(StandardCharsets.US_ASCII), CONTROL_PATIENCE_MS);
                    assertTrue(health.startsWith("HTTP/1.1 200"), "/health after HTTP fuzz request " + i + ": " + printable(health.getBytes(StandardCharsets.ISO_8859_1)));
                    controlCalls("after HTTP fuzz request " + i);
                }
            }
            List<String> failures = new ArrayList<>();
            for (Future<List<String>> request : requests) failures.addAll(request.get(60, TimeUnit.SECONDS));
            assertEquals(List.of(), failures);
        } finally {
            clients.shutdownNow();
        }
        controlCalls("after all HTTP fuzz requests");
    }

    /** Sends one mutated request; what in the answer no HTTP server should say. */
    private static List<String> badAnswers(int iteration, SplittableRandom random) throws IOException {
        byte[] request = new Mutator(random).mutate(HTTP_SEEDS[random.nextInt(HTTP_SEEDS.length)].getBytes(StandardCharsets.ISO_8859_1));
        List<String> bad = new ArrayList<>();
        for (String statusLine : statusLines(exchange(server.httpPort(), request, CLIENT_PATIENCE_MS))) {
            if (!statusLine.matches("HTTP/1\\.[01] [1-5]\\d\\d.*")) bad.add("seed " + SEED + " #" + iteration + ": status line " + statusLine);
            if (statusLine.matches("HTTP/1\\.[01] 500.*")) bad.add("seed " + SEED + " #" + iteration + ": 500 for " + printable(request));
        }
        return bad;
    }

    /** The calls whose variables must never change, whatever came before them. */
    private static void controlCalls(String when) throws IOException {
        assertEquals(Map.of("CRMROUTE_STATUS", "MATCH", "CRMROUTE_TYPE", "queue", "CRMROUTE_DEST", "103", "CRMROUTE_VOICEMAIL", "no",
                        "CRMROUTE_RULE", "gold", "CRMROUTE_VALUE", "GOLD", "CRM_contacts_name", "Alice", "CRM_contacts_RECORD_COUNT", "1"),
                call("vip", "15551230001", "").variables(), when);
        assertEquals(Map.of("CRMROUTE_STATUS", "DEFAULT", "CRMROUTE_TYPE", "queue", "CRMROUTE_DEST", "104", "CRMROUTE_VOICEMAIL", "no",
                        "CRMROUTE_RULE", "default", "CRMROUTE_VALUE", "BRONZE", "CRMROUTE_DIGITS", "0043",
                        "CRM_contacts_name", "Bob \"the\" \\ Builder  " /* CR and LF become spaces */, "CRM_contacts_RECORD_COUNT", "1"),
                call("account", "15551230009", "0043").variables(), when);
    }

    private static FakeAsterisk.Call call(String route, String callerId, String digits) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("network_script", route);
        env.put("callerid", callerId);
        FakeAsterisk.Responder asterisk = FakeAsterisk.Responder.asterisk();
        return FakeAsterisk.call(server.agiPort(), env, line -> line.startsWith("GET DATA") ? List.of("200 result=" + digits) : asterisk.reply(line));
    }

    /** One session as a broken or hostile Asterisk would play it; answers what the server wrote. */
    private static List<String> mutatedSession(SplittableRandom random) throws IOException {
        Mutator mutator = new Mutator(random);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("network_script", random.nextBoolean() ? "vip" : "account");
        env.put("callerid", random.nextInt(4) == 0 ? "15551230001" : new String(mutator.randomBytes(random.nextInt(20)), StandardCharsets.ISO_8859_1));
        byte[] environment = FakeAsterisk.environmentBlock(server.agiPort(), env).getBytes(StandardCharsets.ISO_8859_1);
        boolean mutateEnvironment = random.nextInt(3) > 0;
        List<String> written = new ArrayList<>();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.agiPort()), 5_000);
            socket.setSoTimeout(CLIENT_PATIENCE_MS);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            out.write(mutateEnvironment ? mutator.mutate(environment) : environment);
            out.flush();
            for (int command = 0; command < 12; command++) {
                String line = readLine(in);
                if (line == null) break;
                written.add(line);
                byte[] reply = reply(line, random).getBytes(StandardCharsets.ISO_8859_1);
                out.write(random.nextBoolean() ? mutator.mutate(reply) : reply);
                out.flush();
            }
        } catch (SocketTimeoutException | java.net.SocketException patienceOrReset) {
            // The server waits for a whole environment or reply that never comes; this client hangs up.
        }
        return written;
    }

    private static String reply(String command, SplittableRandom random) {
        String hangup = random.nextInt(8) == 0 ? "HANGUP\n" : "";
        if (command.startsWith("GET DATA")) return hangup + "200 result=" + random.nextInt(10_000) + "\n";
        if (command.startsWith("GET VARIABLE")) return hangup + "200 result=1 (x)\n";
        return hangup + "200 result=1\n";
    }

    /** Each line the server wrote that Asterisk would not read as one well-formed command. */
    private static List<String> malformedCommands(int iteration, List<String> lines) {
        List<String> bad = new ArrayList<>();
        for (String line : lines) {
            boolean wellFormed = line.length() <= MAX_COMMAND
                    && line.chars().allMatch(c -> c >= 0x20 && c != 0x7f)
                    && (SET_VARIABLE.matcher(line).matches() || GET_DATA.matcher(line).matches() || GET_VARIABLE.matcher(line).matches());
            if (!wellFormed) bad.add("seed " + SEED + " session " + iteration + ": " + printable(line.getBytes(StandardCharsets.ISO_8859_1)));
        }
        return bad;
    }

    /** A line without its LF; null at end of stream. Longer than any legal command: kept whole to be judged. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); ; b = in.read()) {
            if (b < 0) return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            if (b == '\n') return line.toString(StandardCharsets.UTF_8);
            if (line.size() < 20_000) line.write(b);
        }
    }

    private static final String[] HTTP_SEEDS = {
        "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        "GET /api/routes?q=vip HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer wrong\r\nConnection: close\r\n\r\n",
        "PUT /api/routes/vip HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 14\r\nConnection: close\r\n\r\n{\"crm\":\"demo\"}",
        "POST /health HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\nGET /metrics HTTP/1.1\r\n\r\n",
        "GET /../../etc/passwd HTTP/1.0\r\n\r\n",
    };

    /** Sends {@code request}, reads what comes back until the server closes or is quiet for {@code patienceMs}, then closes. */
    private static String exchange(int port, byte[] request, int patienceMs) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(patienceMs);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            for (int n = in.read(buffer); n > 0 && answer.size() < 1_000_000; n = in.read(buffer)) answer.write(buffer, 0, n);
        } catch (SocketTimeoutException | java.net.SocketException quietOrReset) {
            // keep what came
        }
        return answer.toString(StandardCharsets.ISO_8859_1);
    }

    private static List<String> statusLines(String answer) {
        List<String> lines = new ArrayList<>();
        for (String line : answer.split("\r\n")) if (line.startsWith("HTTP/")) lines.add(line);
        return lines;
    }

    private static String printable(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        return io.crmroute.logging.LogText.safe(text.length() > 120 ? text.substring(0, 120) : text);
    }

    private static void awaitNoSessionInFlight() {
        Await.until(() -> "no session left open after the fuzz (" + server.sessionsInFlight() + " open)", java.time.Duration.ofSeconds(30),
                () -> server.sessionsInFlight() == 0);
    }
}
