package io.crmroute.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.sun.net.httpserver.HttpExchange;
import io.crmroute.agi.FakeAsterisk;
import io.crmroute.agi.FakeAsterisk.Responder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** What the end-to-end tests share: a call as Asterisk makes it, expected variables, a CRM's reply. */
final class Calls {

    /** The line a server logs once it serves: group 1 is the FastAGI port, group 2 the HTTP port. */
    static final Pattern SERVING = Pattern.compile("crmroute serving FastAGI on [^ ]+:(\\d+) and HTTP on [^ ]+:(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Calls() {}

    /** {@code GET path} on a server's HTTP port: the body, or the failure's text (for a message while awaiting). */
    static String get(int httpPort, String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).timeout(Duration.ofSeconds(5)).build();
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }

    /** The check named {@code name} of a {@code /health} body; missing when it has none or is not JSON. */
    static JsonNode healthCheck(String health, String name) {
        try {
            for (JsonNode check : JSON.readTree(health).path("checks")) {
                if (check.path("name").asText().equals(name)) return check;
            }
        } catch (IOException garbled) {
            // not (yet) an answer from the server
        }
        return MissingNode.getInstance();
    }

    /** A call to {@code route} on the server at {@code agiPort} from {@code callerId}. */
    static FakeAsterisk.Call call(int agiPort, String route, String callerId, Responder responder) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("network_script", route);
        env.put("callerid", callerId);
        return FakeAsterisk.call(agiPort, env, responder);
    }

    /** Channel variables in the order the server sets them: {@code vars("CRMROUTE_STATUS", "MATCH", ...)}. */
    static Map<String, String> vars(String... namesAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) map.put(namesAndValues[i], namesAndValues[i + 1]);
        return map;
    }

    /** A fake CRM's answer: {@code status} with {@code body} of {@code contentType} (an empty body sends none). */
    static void reply(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
