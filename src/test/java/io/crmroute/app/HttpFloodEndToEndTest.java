package io.crmroute.app;

import io.crmroute.testing.Await;
import static io.crmroute.app.Calls.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmroute.agi.FakeAsterisk;
import io.crmroute.agi.FakeAsterisk.Responder;
import io.crmroute.config.ConfigLoader;
import io.crmroute.config.ConfigResult;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9: one local client pipelined GET /metrics on one connection and never read the answers, until
 * direct memory ran out and calls failed. Now the HTTP port reads that connection's next request only
 * once the last answer is written and closes it when more than 64 requests wait, so the flood holds
 * one answer's worth of memory, /health and calls go on beside it, and the memory is back when the
 * client leaves.
 */
class HttpFloodEndToEndTest {

    /** About 700 KB of requests; each answer is a few KB, so unbounded answering would need tens of MB. */
    private static final int PIPELINED = 20_000;
    private static final long MIB = 1024 * 1024;
    /** The pooled allocator takes memory in chunks of 4 MiB: room for a couple of them. */
    private static final long SLACK = 12 * MIB;

    @Test
    void aClientThatPipelinesMetricsAndNeverReadsHoldsNoMoreThanAFewAnswers(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("crm.json"), """
                {"contacts": [{"phone": "+15551230001", "name": "Alice", "status": "GOLD"}]}""");
        Path file = dir.resolve("crmroute.yaml");
        Files.writeString(file, """
                server:
                  agi: { host: 127.0.0.1, port: 0, allow: [127.0.0.1/32] }
                  http: { host: 127.0.0.1, port: 0 }
                crms:
                  demo: { type: file, path: crm.json, phone: { default-country: US } }
                routes:
                  vip:
                    crm: demo
                    object: contacts
                    retrieve: [name]
                    field: status
                    rules: [ { name: gold, op: "=", value: GOLD, to: { queue: "103" } } ]
                    default: { to: { queue: "104" } }
                """);
        ConfigResult config = ConfigLoader.load(file, Map.of());
        assertEquals(List.of(), config.problems());
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (CrmrouteServer server = CrmrouteServer.start(config.config().orElseThrow())) {
            assertGoldCall(server);
            assertEquals(200, health(client, server));
            long before = directMemory();
            long peak = before;

            Socket flood = new Socket("127.0.0.1", server.httpPort());
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> pipeline(flood));
            try {
                Await.until("answers waiting, unread, at the flooding client", Duration.ofSeconds(10), () -> unread(flood) > 0);
                for (int i = 0; i < 5; i++) {
                    assertEquals(200, health(client, server), "/health beside the flood");
                    assertGoldCall(server);
                    peak = Math.max(peak, directMemory());
                }
            } finally {
                flood.close();
            }
            sending.handle((ok, failure) -> null).get(10, TimeUnit.SECONDS);
            long peakSeen = peak;
            Await.until(() -> "direct memory back near " + before / MIB + " MiB, now " + directMemory() / MIB + " MiB",
                    Duration.ofSeconds(10), () -> directMemory() <= before + SLACK);
            long after = directMemory();
            System.out.printf("HTTP flood of %d pipelined GET /metrics: pooled direct memory before %.1f MiB, peak %.1f MiB,"
                    + " after %.1f MiB; JDK direct buffers now %.1f MiB%n",
                    PIPELINED, before / (double) MIB, peakSeen / (double) MIB, after / (double) MIB, jdkDirect() / (double) MIB);
            assertTrue(peakSeen <= before + SLACK, "peak " + peakSeen / MIB + " MiB, started at " + before / MIB + " MiB");
            assertEquals(200, health(client, server));
            assertGoldCall(server);
        }
    }

    private static void pipeline(Socket socket) {
        byte[] request = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] batch = new byte[request.length * 100];
        for (int i = 0; i < 100; i++) System.arraycopy(request, 0, batch, i * request.length, request.length);
        try {
            OutputStream out = socket.getOutputStream();
            for (int sent = 0; sent < PIPELINED; sent += 100) out.write(batch);
            out.flush();
        } catch (IOException closedByTheTest) {
            // the test hangs up while this may still be blocked writing: that is how it ends
        }
    }

    private static int unread(Socket socket) {
        try {
            return socket.getInputStream().available();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void assertGoldCall(CrmrouteServer server) throws IOException {
        FakeAsterisk.Call call = Calls.call(server.agiPort(), "vip", "15551230001", Responder.asterisk());
        assertEquals(vars("CRMROUTE_STATUS", "MATCH", "CRMROUTE_TYPE", "queue", "CRMROUTE_DEST", "103",
                "CRMROUTE_VOICEMAIL", "no", "CRMROUTE_RULE", "gold", "CRMROUTE_VALUE", "GOLD",
                "CRM_contacts_name", "Alice", "CRM_contacts_RECORD_COUNT", "1"), call.variables());
    }

    private static int health(HttpClient client, CrmrouteServer server) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/health"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** What Netty's pooled allocator holds in direct memory (where the answers to the flood would pile up). */
    private static long directMemory() {
        return PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
    }

    private static long jdkDirect() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    }
}
