package io.crmroute.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmroute.agi.FakeAsterisk;
import io.crmroute.config.ConfigLoader;
import io.crmroute.config.ConfigResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A config with a typo must not leave callers in silence: every call gets ERROR, /health says why. */
class BrokenConfigEndToEndTest {

    @Test
    void aBrokenConfigAnswersEveryCallWithErrorAndHealthSaysDown(@TempDir Path dir) throws Exception {
        ConfigResult broken = ConfigLoader.parse("""
                server:
                  agi: { host: 127.0.0.1, port: 0 }
                  http: { host: 127.0.0.1, port: 0 }
                routes:
                  vip: { crm: nowhere, field: status, default: { to: { queue: "1" } } }
                """, dir, Map.of());
        assertFalse(broken.ok());
        assertEquals(0, broken.server().agiPort(), "the listener settings are read even from a broken file");
        try (CrmrouteServer server = CrmrouteServer.startBroken(broken.server(), dir.resolve("crmroute.yaml"), broken.problems())) {
            FakeAsterisk.Call call = FakeAsterisk.call(server.agiPort(), Map.of("network_script", "vip"));
            assertEquals("ERROR", call.variables().get("CRMROUTE_STATUS"));
            assertTrue(call.variables().get("CRMROUTE_ERROR").startsWith("config invalid: "), call.variables().toString());
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.httpPort() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, health.statusCode());
            assertTrue(health.body().contains("routes.vip.crm"), health.body());
        }
    }
}
