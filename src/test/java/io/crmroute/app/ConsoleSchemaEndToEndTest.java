package io.crmroute.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.crmroute.config.ConfigLoader;
import io.crmroute.config.ConfigResult;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/crms/{name}/objects} and {@code .../objects/{object}/fields} of a running server over real
 * HTTP: the file CRM, Salesforce's describe faked on 127.0.0.1 (counted, to see the cache and the refresh),
 * the custom http CRM without a schema and a CRM nobody answers for.
 */
class ConsoleSchemaEndToEndTest {

    private static final String TOKEN = "schema-test-token-77a1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final AtomicInteger describes = new AtomicInteger();

    @TempDir
    static Path dir;

    private static HttpServer salesforce;
    private static CrmrouteServer server;
    private static int closed; // a port nothing listens on

    @BeforeAll
    static void start() throws Exception {
        salesforce = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String sfUrl = "http://127.0.0.1:" + salesforce.getAddress().getPort();
        salesforce.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String body = path.equals("/services/oauth2/token")
                    ? "{\"access_token\": \"tok\", \"instance_url\": \"" + sfUrl + "\", \"token_type\": \"Bearer\"}"
                    : "{\"name\": \"Contact\", \"fields\": [{\"name\": \"Phone\", \"label\": \"Business Phone\", \"type\": \"phone\","
                            + " \"filterable\": true}]}";
            if (path.endsWith("/describe")) describes.incrementAndGet();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        salesforce.start();
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Files.writeString(dir.resolve("crm.json"), "{\"contacts\": [{\"phone\": \"+15551230001\", \"status\": \"GOLD\"}], \"leads\": []}");
        Files.writeString(dir.resolve("crmroute.yaml"), """
                server:
                  agi: { host: 127.0.0.1, port: 0, allow: [127.0.0.1/32] }
                  http: { host: 127.0.0.1, port: 0 }
                crms:
                  demo: { type: file, path: crm.json }
                  sf: { type: salesforce, base-url: "SF", allow-insecure: true, auth: { client-id: abc, client-secret: def } }
                  billing: { type: http, url: "http://127.0.0.1:CLOSED/crm", allow-insecure: true }
                  down: { type: hubspot, base-url: "http://127.0.0.1:CLOSED", allow-insecure: true, auth: { api-token: t } }
                admin: { token: TOKEN }
                routes:
                  vip: { crm: demo, object: contacts, field: status, default: { to: { queue: "100" } } }
                """.replace("TOKEN", TOKEN).replace("SF", sfUrl).replace("CLOSED", Integer.toString(closed)));
        ConfigResult config = ConfigLoader.load(dir.resolve("crmroute.yaml"), Map.of());
        assertEquals(List.of(), config.problems());
        server = CrmrouteServer.start(config.config().orElseThrow());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (salesforce != null) salesforce.stop(0);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void listsTheFileCrmsObjectsAndFields() throws Exception {
        HttpResponse<String> objects = get("/api/crms/demo/objects");
        assertEquals(200, objects.statusCode());
        assertEquals(JSON.readTree("[{\"name\": \"contacts\", \"label\": \"contacts\"}, {\"name\": \"leads\", \"label\": \"leads\"}]"), json(objects));
        HttpResponse<String> fields = get("/api/crms/demo/objects/contacts/fields");
        assertEquals(200, fields.statusCode());
        assertEquals(JSON.readTree("""
                [{"name": "phone", "label": "phone", "type": "text", "filterable": true, "readable": true},
                 {"name": "status", "label": "status", "type": "text", "filterable": true, "readable": true}]"""), json(fields));
    }

    @Test
    void aVendorsFieldsAreKeptUntilRefreshIsAsked() throws Exception {
        int before = describes.get();
        HttpResponse<String> first = get("/api/crms/sf/objects/Contact/fields");
        assertEquals(200, first.statusCode(), first.body());
        assertEquals("Business Phone", json(first).get(0).get("label").asText());
        assertEquals(200, get("/api/crms/sf/objects/Contact/fields").statusCode());
        assertEquals(before + 1, describes.get(), "the second answer was kept");
        assertEquals(200, get("/api/crms/sf/objects/Contact/fields?refresh=true").statusCode());
        assertEquals(before + 2, describes.get(), "refresh asked Salesforce again");
    }

    @Test
    void unknownCrmsAndObjectsAre404ACrmWithoutSchema422AFailedCrm502() throws Exception {
        HttpResponse<String> unknown = get("/api/crms/nope/objects");
        assertEquals(404, unknown.statusCode());
        assertEquals("no crm named nope", json(unknown).get("error").asText());

        HttpResponse<String> noObject = get("/api/crms/demo/objects/tickets/fields");
        assertEquals(404, noObject.statusCode());
        assertEquals("crm demo: no object \"tickets\" in crm.json (it has contacts, leads)", json(noObject).get("error").asText());

        HttpResponse<String> noSchema = get("/api/crms/billing/objects");
        assertEquals(422, noSchema.statusCode());
        assertEquals("crm billing: has no schema to list", json(noSchema).get("error").asText());

        HttpResponse<String> down = get("/api/crms/down/objects");
        assertEquals(502, down.statusCode());
        assertEquals("crm down: connection refused by 127.0.0.1:" + closed, json(down).get("error").asText());
    }

    @Test
    void theSchemaNeedsTheAdminToken() throws Exception {
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
                + "/api/crms/demo/objects")).timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());
    }
}
