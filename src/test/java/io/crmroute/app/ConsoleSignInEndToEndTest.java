package io.crmroute.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmroute.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** First run without admin.token on 127.0.0.1: a token made at start, handed out once through the logged link. */
class ConsoleSignInEndToEndTest {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> send(int port, String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) request.header("Authorization", "Bearer " + token);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theOneTimeLinkSignsInOnceAndItsTokenOpensTheApi() throws Exception {
        Files.writeString(dir.resolve("crm.json"), "{\"contacts\": []}");
        Files.writeString(dir.resolve("crmroute.yaml"), """
                server:
                  agi: { host: 127.0.0.1, port: 0, allow: [127.0.0.1/32] }
                  http: { host: 127.0.0.1, port: 0 }
                crms:
                  demo: { type: file, path: crm.json }
                routes:
                  vip: { crm: demo, object: contacts, field: status, default: { to: { queue: "1" } } }
                """);
        try (CrmrouteServer server = CrmrouteServer.start(ConfigLoader.load(dir.resolve("crmroute.yaml"), Map.of()).config().orElseThrow())) {
            int port = server.httpPort();
            String link = server.signInLink().orElseThrow().toString();
            Matcher code = Pattern.compile("http://127\\.0\\.0\\.1:" + port + "/#signin=([A-Za-z0-9_-]{20,})").matcher(link);
            assertTrue(code.matches(), link);
            String signIn = "{\"code\": \"" + code.group(1) + "\"}";

            assertEquals(401, send(port, "POST", "/api/signin", "{\"code\": \"guess\"}", null).statusCode());
            HttpResponse<String> first = send(port, "POST", "/api/signin", signIn, null);
            assertEquals(200, first.statusCode());
            String token = new ObjectMapper().readTree(first.body()).get("token").asText();
            assertEquals(401, send(port, "POST", "/api/signin", signIn, null).statusCode(), "the link works once");

            assertEquals(200, send(port, "GET", "/api/routes", null, token).statusCode());
            assertEquals(401, send(port, "GET", "/api/routes", null, "wrong").statusCode());
            assertEquals(401, send(port, "GET", "/api/routes", null, null).statusCode());
            assertTrue(send(port, "GET", "/", null, null).body().contains("/console/app.js"));
        }
    }
}
