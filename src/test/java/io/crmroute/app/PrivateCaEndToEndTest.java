package io.crmroute.app;

import static io.crmroute.app.Calls.reply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.crmroute.agi.FakeAsterisk.Responder;
import io.crmroute.config.ConfigLoader;
import io.crmroute.config.ConfigResult;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CRM whose certificate a private CA signed, called by a real FastAGI call through a real server: trusted
 * with the entry's {@code ca-file}, refused without it, the call taking the failure path with a one-line reason.
 */
class PrivateCaEndToEndTest {

    @TempDir
    Path dir;

    @Test
    void theCaFileIsWhatLetsTheCallReachAPrivatelySignedCrm() throws Exception {
        SelfSignedCertificate certificate = new SelfSignedCertificate("localhost");
        Files.copy(certificate.certificate().toPath(), dir.resolve("private-ca.pem"));
        ExecutorService threads = Executors.newCachedThreadPool();
        HttpsServer crm = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        crm.setHttpsConfigurator(new HttpsConfigurator(serverContext(certificate)));
        crm.setExecutor(threads);
        crm.createContext("/crm", exchange -> reply(exchange, 200, "application/json", "{\"value\": \"GOLD\"}"));
        crm.start();
        String yaml = """
                server:
                  agi: { host: 127.0.0.1, port: 0, allow: [127.0.0.1/32] }
                  http: { host: 127.0.0.1, port: 0 }
                crms:
                  trusted: { type: http, url: "https://localhost:PORT/crm", ca-file: private-ca.pem }
                  untrusted: { type: http, url: "https://localhost:PORT/crm" }
                routes:
                  trusted:
                    crm: trusted
                    field: status
                    rules: [ { name: gold, op: "=", value: GOLD, to: { queue: "103" } } ]
                    default: { to: { queue: "104" } }
                    failure: { to: { queue: "900" } }
                  untrusted: { crm: untrusted, field: status, default: { to: { queue: "104" } }, failure: { to: { queue: "900" } } }
                """.replace("PORT", Integer.toString(crm.getAddress().getPort()));
        Files.writeString(dir.resolve("crmroute.yaml"), yaml);
        ConfigResult config = ConfigLoader.load(dir.resolve("crmroute.yaml"), Map.of());
        assertEquals(List.of(), config.problems());
        try (CrmrouteServer server = CrmrouteServer.start(config.config().orElseThrow())) {
            Map<String, String> trusted = Calls.call(server.agiPort(), "trusted", "15551230001", Responder.asterisk()).variables();
            assertEquals("MATCH", trusted.get("CRMROUTE_STATUS"), trusted.toString());
            assertEquals("103", trusted.get("CRMROUTE_DEST"));

            Map<String, String> untrusted = Calls.call(server.agiPort(), "untrusted", "15551230001", Responder.asterisk()).variables();
            assertEquals("FAILED", untrusted.get("CRMROUTE_STATUS"));
            assertEquals("900", untrusted.get("CRMROUTE_DEST"));
            String error = untrusted.get("CRMROUTE_ERROR");
            assertTrue(error.startsWith("crm untrusted: TLS failed: PKIX path building failed") && !error.contains("\n"), error);
        } finally {
            crm.stop(0);
            threads.shutdownNow();
        }
    }

    private static SSLContext serverContext(SelfSignedCertificate certificate) throws Exception {
        char[] password = "test".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("crm", certificate.key(), password, new Certificate[] {certificate.cert()});
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(keys, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(managers.getKeyManagers(), null, null);
        return context;
    }
}
