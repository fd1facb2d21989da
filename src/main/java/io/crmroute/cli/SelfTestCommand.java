package io.crmroute.cli;

import com.sun.net.httpserver.HttpServer;
import io.crmroute.app.CrmrouteServer;
import io.crmroute.config.ConfigLoader;
import io.crmroute.config.ConfigResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Routes one call end to end on this machine: a crmroute server on free 127.0.0.1 ports with a built-in
 * route, a custom {@code http} CRM stand-in on 127.0.0.1, one FastAGI session over a real socket as
 * Asterisk would open it, and {@code /health}. It tells an operator that this Java and this jar work, and
 * it is the training run that makes the class-data-sharing archive the launcher starts with (the classes a
 * call needs are loaded here, so {@code -XX:ArchiveClassesAtExit} archives them).
 */
@Command(name = "selftest", description = "Route one call through a built-in route on 127.0.0.1 and exit 0 if it was routed as expected.")
final class SelfTestCommand implements Callable<Integer> {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);
    private static final Map<String, String> EXPECTED = Map.of(
            "CRMROUTE_STATUS", "MATCH", "CRMROUTE_TYPE", "queue", "CRMROUTE_DEST", "100", "CRMROUTE_VALUE", "GOLD");

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path dir = Files.createTempDirectory("crmroute-selftest-");
        HttpServer crm = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        crm.createContext("/crm", exchange -> {
            byte[] body = "{\"value\": \"GOLD\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream reply = exchange.getResponseBody()) {
                reply.write(body);
            }
        });
        crm.start();
        try {
            Path config = dir.resolve("selftest.yaml");
            Files.writeString(config, yaml(crm.getAddress().getPort()), StandardCharsets.UTF_8);
            ConfigResult loaded = ConfigLoader.load(config, Map.of());
            if (loaded.config().isEmpty()) {
                err.println("selftest: the built-in config is refused: " + loaded.problems());
                return 1;
            }
            long started = System.nanoTime();
            try (CrmrouteServer server = CrmrouteServer.start(loaded.config().get())) {
                Map<String, String> variables = call(server.agiPort());
                long routed = System.nanoTime();
                int health = health(server.httpPort());
                Map<String, String> wrong = new LinkedHashMap<>();
                EXPECTED.forEach((name, value) -> {
                    if (!value.equals(variables.get(name))) wrong.put(name, variables.get(name));
                });
                if (!wrong.isEmpty() || health != 200) {
                    err.println("selftest: FAILED: expected " + EXPECTED + ", got " + variables + "; /health " + health);
                    return 1;
                }
                out.printf("selftest: ok: one call routed to queue 100 in %d ms after start; /health 200%n",
                        Duration.ofNanos(routed - started).toMillis());
                return 0;
            }
        } finally {
            crm.stop(0);
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** The built-in config; a throwaway admin token keeps the console from printing a sign-in link nobody will use. */
    private static String yaml(int crmPort) {
        return """
                server:
                  agi: { host: 127.0.0.1, port: 0, allow: [127.0.0.1/32] }
                  http: { host: 127.0.0.1, port: 0 }
                admin: { token: "%s" }
                crms:
                  selftest: { type: http, url: "http://127.0.0.1:%d/crm", allow-insecure: true, timeout: 5s }
                routes:
                  selftest:
                    crm: selftest
                    object: contacts
                    match: { field: phone, from: callerid }
                    field: status
                    timeout: 5s
                    rules:
                      - { name: gold, op: "=", value: GOLD, to: { queue: "100" } }
                    default: { to: { extension: "200" } }
                """.formatted(UUID.randomUUID(), crmPort);
    }

    /** Asterisk's side of one FastAGI session: the environment, then "200 result=1" to each command until crmroute closes. */
    private static Map<String, String> call(int agiPort) throws IOException {
        Map<String, String> variables = new LinkedHashMap<>();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", agiPort), (int) CALL_TIMEOUT.toMillis());
            socket.setSoTimeout((int) CALL_TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("agi_network: yes\nagi_network_script: selftest\nagi_request: agi://127.0.0.1/selftest\n"
                    + "agi_channel: PJSIP/selftest-00000001\nagi_uniqueid: 0.1\nagi_callerid: +15550100001\n"
                    + "agi_dnid: 5000\n\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("SET VARIABLE ")) {
                    String[] nameAndValue = line.substring("SET VARIABLE ".length()).split(" ", 2);
                    variables.put(unquote(nameAndValue[0]), nameAndValue.length > 1 ? unquote(nameAndValue[1]) : "");
                }
                out.write("200 result=1\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        }
        return variables;
    }

    private static String unquote(String word) {
        return word.length() >= 2 && word.startsWith("\"") && word.endsWith("\"") ? word.substring(1, word.length() - 1) : word;
    }

    private static int health(int httpPort) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(CALL_TIMEOUT).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health")).timeout(CALL_TIMEOUT).build();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
