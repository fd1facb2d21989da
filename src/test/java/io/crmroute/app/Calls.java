package io.crmroute.app;

import com.sun.net.httpserver.HttpExchange;
import io.crmroute.agi.FakeAsterisk;
import io.crmroute.agi.FakeAsterisk.Responder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the end-to-end tests share: a call as Asterisk makes it, expected variables, a CRM's reply. */
final class Calls {

    private Calls() {}

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
