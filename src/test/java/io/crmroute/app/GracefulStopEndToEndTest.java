package io.crmroute.app;

import io.crmroute.testing.Await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.crmroute.agi.FakeAsterisk;
import io.crmroute.agi.FakeAsterisk.Responder;
import io.crmroute.config.DatabaseSettings;
import io.crmroute.store.TestPostgres;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docker stop} in the middle of 50 calls: crmroute runs as a real process, a fake CRM holds all
 * 50 lookups, and the process gets SIGTERM. The FastAGI port refuses new calls at once, the 50 finish
 * with their variables once the CRM answers, their audit rows reach the database, and the process
 * exits 0 after logging what it did. The database password, written inside the JDBC URL, appears
 * neither in {@code /health} nor anywhere in the log.
 */
class GracefulStopEndToEndTest {

    private static final int CALLS = 50;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private HttpServer crm;
    private ExecutorService callers;
    private ServeProcess serve;
    private final CountDownLatch crmHolding = new CountDownLatch(CALLS);
    private final CountDownLatch crmRelease = new CountDownLatch(1);

    @AfterEach
    void stop() throws Exception {
        crmRelease.countDown();
        if (serve != null) serve.close();
        if (callers != null) callers.shutdownNow();
        if (crm != null) crm.stop(0);
    }

    @Test
    void sigtermRefusesNewCallsFinishesThoseInProgressWritesTheirAuditAndExitsZero() throws Exception {
        crm = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024); // all 50 lookups connect at once: the default backlog (50) can overflow on a busy machine
        crm.setExecutor(Executors.newCachedThreadPool());
        crm.createContext("/crm", this::heldAnswer);
        crm.start();
        DatabaseSettings db = TestPostgres.shared().createDatabase("graceful_stop");
        // The test server trusts local connections: any password logs in, so a made-up one shows the masking.
        String password = db.password().isEmpty() ? "pw-in-url-Zq81xK" : db.password();
        String url = db.url() + (db.url().contains("?") ? "&" : "?") + "password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        Path config = dir.resolve("crmroute.yaml");
        Files.writeString(config, """
                server:
                  agi: { host: 127.0.0.1, port: 0, allow: ["::ffff:127.0.0.1/128"] }
                  http: { host: 127.0.0.1, port: 0 }
                  drain-timeout: 60s
                crms:
                  held: { type: http, url: "BASE/crm", allow-insecure: true, timeout: 60s }
                routes:
                  vip:
                    crm: held
                    field: status
                    timeout: 60s
                    rules: [ { name: gold, op: "=", value: GOLD, to: { queue: "103" } } ]
                    default: { to: { queue: "104" } }
                    failure: { to: { queue: "900" } }
                database: { url: "URL", user: "USER" }
                """.replace("BASE", "http://127.0.0.1:" + crm.getAddress().getPort())
                .replace("URL", url).replace("USER", db.user()));

        serve = ServeProcess.start(config, Map.of());
        Matcher ports = Calls.SERVING.matcher(serve.awaitLine(line -> Calls.SERVING.matcher(line).find(), WAIT));
        assertTrue(ports.find());
        int agiPort = Integer.parseInt(ports.group(1));
        int httpPort = Integer.parseInt(ports.group(2));
        String[] health = new String[1];
        Await.until(() -> "the database up in /health: " + health[0], WAIT, () -> {
            health[0] = Calls.get(httpPort, "/health");
            return Calls.healthCheck(health[0], "database").path("up").asBoolean();
        });
        assertTrue(health[0].contains("\"location\":\"127.0.0.1:"), health[0]);
        assertFalse(health[0].contains(password), health[0]);

        callers = Executors.newFixedThreadPool(CALLS);
        List<Future<FakeAsterisk.Call>> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            Map<String, String> environment = Map.of("network_script", "vip", "callerid", Long.toString(15550000000L + i));
            calls.add(callers.submit(() -> FakeAsterisk.call(agiPort, environment, Responder.asterisk(), WAIT)));
        }
        assertTrue(crmHolding.await(WAIT.toSeconds(), TimeUnit.SECONDS),
                () -> "all " + CALLS + " lookups at the CRM; the server said:\n" + String.join("\n", serve.lines()));

        serve.terminate();
        String draining = serve.awaitLine(line -> line.contains("crmroute stopping"), WAIT);
        assertTrue(draining.contains(CALLS + " calls in progress"), draining);
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", agiPort).close(), "a new call during the drain");
        assertTrue(calls.stream().noneMatch(Future::isDone), "the drain waits for the calls the CRM still holds");

        crmRelease.countDown();
        for (Future<FakeAsterisk.Call> call : calls) {
            Map<String, String> variables = call.get(WAIT.toSeconds(), TimeUnit.SECONDS).variables();
            assertEquals("MATCH", variables.get("CRMROUTE_STATUS"), variables.toString());
            assertEquals("103", variables.get("CRMROUTE_DEST"), variables.toString());
        }
        assertEquals(0, serve.awaitExit(WAIT), String.join("\n", serve.lines()));
        String stopped = serve.awaitLine(line -> line.contains("crmroute stopped"), WAIT);
        assertTrue(stopped.endsWith("crmroute stopped: " + CALLS + " calls finished, 0 calls cut; audit: "
                + CALLS + " rows written, 0 not written"), stopped);
        assertTrue(serve.lines().stream().anyMatch(line -> line.contains("127.0.0.1:" + agiPort)), "the log names the AGI port");
        List<String> leaks = serve.lines().stream().filter(line -> line.contains(password)).toList();
        assertEquals(List.of(), leaks);
    }

    /** Holds every lookup until the test releases them, then answers GOLD. */
    private void heldAnswer(HttpExchange exchange) throws IOException {
        crmHolding.countDown();
        try {
            crmRelease.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Calls.reply(exchange, 200, "application/json", "{\"value\": \"GOLD\"}");
    }
}
