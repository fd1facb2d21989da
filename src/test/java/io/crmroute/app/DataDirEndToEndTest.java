package io.crmroute.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmroute.agi.FakeAsterisk;
import io.crmroute.config.ConfigLoader;
import io.crmroute.config.ConfigResult;
import io.crmroute.config.DatabaseSettings;
import io.crmroute.store.TestPostgres;
import io.crmroute.testing.Await;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container's and the Debian package's setup: the shipped config in a read-only folder, its
 * listening settings and {@code server.data-dir} from the environment. Everything crmroute writes (the
 * console's local route store; with a database, the last good routes) appears under the data directory
 * and nothing changes anywhere else. CI runs as root, which ignores the folder's mode, so the proof is
 * the listing of every file before and after, not a refused write.
 */
class DataDirEndToEndTest {

    private static final String TOKEN = "data-dir-test-token-7c2e";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path root;

    private Path configDir;
    private Path dataDir;
    private CrmrouteServer server;

    @BeforeEach
    void shippedConfigInAFolderOfItsOwn() throws IOException {
        configDir = Files.createDirectories(root.resolve("etc/crmroute"));
        dataDir = Files.createDirectories(root.resolve("var/lib")).resolve("crmroute"); // not there yet: crmroute makes it
        Files.copy(Path.of("config", "demo-crm.json"), configDir.resolve("demo-crm.json"));
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) server.close();
        Files.setPosixFilePermissions(configDir, PosixFilePermissions.fromString("rwxr-xr-x")); // so @TempDir can delete it
    }

    @Test
    void theConsolesRouteStoreIsWrittenUnderTheDataDirectoryOnly() throws Exception {
        start("admin: { token: \"${ADMIN_TOKEN}\" }\n", Map.of());
        Map<String, Long> before = filesOutsideTheDataDir();

        assertEquals(201, put("/api/routes/edited", route("777")).statusCode());
        assertEquals("777", call("edited"));

        assertEquals(before, filesOutsideTheDataDir());
        assertEquals(List.of("crmroute.yaml.routes.json"), names(dataDir));
        assertTrue(Files.readString(dataDir.resolve("crmroute.yaml.routes.json")).contains("\"edited\""));
    }

    @Test
    void theDatabasesRouteSnapshotIsWrittenUnderTheDataDirectoryOnly() throws Exception {
        DatabaseSettings db = TestPostgres.shared().createDatabase("data_dir");
        start("admin: { token: \"${ADMIN_TOKEN}\" }\ndatabase: { url: \"" + db.url() + "\", user: \"" + db.user()
                + "\", password: \"${DB_PASSWORD}\" }\n", Map.of("DB_PASSWORD", db.password()));
        Await.until("the YAML routes imported into the empty database", Duration.ofSeconds(30),
                () -> send("GET", "/api/routes/vip", null).statusCode() == 200);
        Map<String, Long> before = filesOutsideTheDataDir();

        assertEquals(201, put("/api/routes/edited", route("778")).statusCode()); // answered once the routes are reloaded
        assertEquals("778", call("edited"));

        assertEquals(before, filesOutsideTheDataDir());
        assertEquals(List.of("crmroute.yaml.routes-snapshot.json"), names(dataDir));
        assertTrue(Files.readString(dataDir.resolve("crmroute.yaml.routes-snapshot.json")).contains("\"edited\""));
    }

    /** The shipped config plus {@code extra}, read-only in a read-only folder, set up from the environment. */
    private void start(String extra, Map<String, String> moreEnv) throws IOException {
        Path file = configDir.resolve("crmroute.yaml");
        Files.writeString(file, Files.readString(Path.of("config", "crmroute.yaml")) + extra);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        Files.setPosixFilePermissions(configDir.resolve("demo-crm.json"), PosixFilePermissions.fromString("r--r--r--"));
        Files.setPosixFilePermissions(configDir, PosixFilePermissions.fromString("r-xr-xr-x"));
        Map<String, String> env = new TreeMap<>(Map.of("CRMROUTE_DATA_DIR", dataDir.toString(), "CRMROUTE_AGI_HOST", "127.0.0.1",
                "CRMROUTE_AGI_PORT", "0", "CRMROUTE_HTTP_PORT", "0", "ADMIN_TOKEN", TOKEN));
        env.putAll(moreEnv);
        ConfigResult config = ConfigLoader.load(file, env);
        assertEquals(List.of(), config.problems());
        assertEquals(dataDir, config.config().orElseThrow().dataDir());
        server = CrmrouteServer.start(config.config().orElseThrow());
    }

    /** Every file and folder under the test's root but outside the data directory, with its size. */
    private Map<String, Long> filesOutsideTheDataDir() throws IOException {
        Map<String, Long> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path path : all.filter(path -> !path.startsWith(dataDir)).toList()) {
                files.put(root.relativize(path).toString(), Files.isDirectory(path) ? -1 : Files.size(path));
            }
        }
        return files;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    private static String route(String goldQueue) {
        return "{\"crm\": \"demo\", \"object\": \"contacts\", \"field\": \"status\", \"rules\": [{\"name\": \"gold\", \"op\": \"=\","
                + " \"value\": \"GOLD\", \"to\": {\"queue\": \"" + goldQueue + "\"}}], \"default\": {\"to\": {\"extension\": \"100\"}}}";
    }

    private HttpResponse<String> put(String path, String body) {
        return send("PUT", path, body);
    }

    private HttpResponse<String> send(String method, String path, String body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                    .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + TOKEN)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                    .build();
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private String call(String route) throws Exception {
        Map<String, String> env = FakeAsterisk.defaultEnvironment();
        env.put("network_script", route);
        env.put("callerid", "15551230001");
        env.put("uniqueid", "data-dir." + route);
        return FakeAsterisk.call(server.agiPort(), env).variables().get("CRMROUTE_DEST");
    }
}
