package io.crmroute.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.crmroute.config.ConfigLoader;
import io.crmroute.config.ConfigResult;
import io.crmroute.config.CrmrouteConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container as it is run, read from its files (no Docker engine here): the image runs as a non-root
 * user with the config read from /etc/crmroute and a volume for everything it writes, its environment
 * makes the shipped config listen where a container network needs, and compose.yaml's crmroute and
 * PostgreSQL check each other's health and load a valid config.
 */
class ContainerFilesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path etc;

    @Test
    void theImageRunsAsANonRootUserWithAReadOnlyConfigAndAVolumeForItsData() throws IOException {
        List<String> runtime = finalStage();
        assertEquals(List.of("USER crmroute"), instructions(runtime, "USER"));
        assertEquals(List.of("VOLUME /var/lib/crmroute"), instructions(runtime, "VOLUME"));
        assertEquals("/var/lib/crmroute", imageEnvironment().get("CRMROUTE_DATA_DIR"));
        assertEquals(List.of("COPY config/crmroute.yaml config/demo-crm.json /etc/crmroute/"),
                instructions(runtime, "COPY").stream().filter(line -> line.contains("/etc/crmroute")).toList());
        String run = String.join("\n", instructions(runtime, "RUN"));
        assertTrue(run.contains("useradd --system --uid 10001"), run);
        assertTrue(run.contains("install -d -o crmroute -g crmroute -m 0750 /var/lib/crmroute"), run);
        assertFalse(run.contains("/etc/crmroute"), "the config stays root's: " + run);
        assertTrue(String.join("\n", instructions(runtime, "HEALTHCHECK")).contains("GET /health"));
        assertEquals(List.of("CMD [\"serve\", \"--config\", \"/etc/crmroute/crmroute.yaml\"]"), instructions(runtime, "CMD"));
    }

    @Test
    void theImagesEnvironmentMakesTheShippedConfigWriteToTheVolumeAndAcceptTheAllowlistItIsGiven() {
        Map<String, String> env = imageEnvironment();
        CrmrouteConfig image = load(Path.of("config", "crmroute.yaml"), env);
        assertEquals(Path.of("/var/lib/crmroute"), image.dataDir());
        assertEquals("0.0.0.0", image.server().agiHost());
        assertEquals(4573, image.server().agiPort());
        assertEquals(List.of("127.0.0.1/32", "::1/128"), image.server().agiAllow());
        assertEquals("127.0.0.1", image.server().httpHost());

        env.put("CRMROUTE_AGI_ALLOW", "172.28.0.10/32 172.28.0.11/32");
        env.put("CRMROUTE_AGI_PORT", "4600");
        env.put("CRMROUTE_HTTP_HOST", "0.0.0.0");
        CrmrouteConfig networked = load(Path.of("config", "crmroute.yaml"), env);
        assertEquals(List.of("172.28.0.10/32", "172.28.0.11/32"), networked.server().agiAllow());
        assertEquals(4600, networked.server().agiPort());
        assertEquals("0.0.0.0", networked.server().httpHost());
    }

    @Test
    void composeRunsCrmrouteAfterAHealthyPostgresWithTheConfigReadOnlyAndAValidConfig() throws IOException {
        JsonNode compose = YAML.readTree(Path.of("compose.yaml").toFile());
        JsonNode crmroute = compose.path("services").path("crmroute");
        JsonNode postgres = compose.path("services").path("postgres");
        assertEquals("service_healthy", crmroute.path("depends_on").path("postgres").path("condition").asText());
        assertTrue(crmroute.path("healthcheck").path("test").toString().contains("GET /health"), crmroute.toString());
        assertTrue(postgres.path("healthcheck").path("test").toString().contains("pg_isready"), postgres.toString());
        List<String> volumes = new ArrayList<>();
        crmroute.path("volumes").forEach(volume -> volumes.add(volume.asText()));
        assertTrue(volumes.contains("crmroute-data:/var/lib/crmroute"), volumes.toString());
        assertEquals(List.of(), volumes.stream().filter(v -> v.contains(":/etc/crmroute") && !v.endsWith(":ro")).toList());

        Map<String, String> env = imageEnvironment();
        crmroute.path("environment").fields().forEachRemaining(entry -> env.put(entry.getKey(),
                entry.getValue().asText().startsWith("${") ? "secret-from-the-shell" : entry.getValue().asText()));
        // /etc/crmroute as compose mounts it: each ./file:/etc/crmroute/name volume.
        for (String volume : volumes) {
            String[] parts = volume.split(":");
            if (parts[1].startsWith("/etc/crmroute/")) Files.copy(Path.of(parts[0]), etc.resolve(parts[1].substring("/etc/crmroute/".length())));
        }
        CrmrouteConfig composed = load(etc.resolve("crmroute.yaml"), env);
        assertEquals(Path.of("/var/lib/crmroute"), composed.dataDir());
        assertEquals(List.of(crmroute.path("environment").path("CRMROUTE_AGI_ALLOW").asText()), composed.server().agiAllow());
        assertTrue(composed.database().orElseThrow().url().startsWith("jdbc:postgresql://postgres:5432/"));
        String subnet = compose.path("networks").path("voice").path("ipam").path("config").get(0).path("subnet").asText();
        assertEquals("172.28.0.0/24", subnet);
        assertTrue(composed.server().agiAllow().get(0).startsWith("172.28.0."), "the Asterisk address is on compose's network");
    }

    /** The Dockerfile's lines from the last FROM on, continuation lines joined, comments dropped. */
    static List<String> finalStage() throws IOException {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(Path.of("Dockerfile"))) {
            if (line.strip().startsWith("#")) continue;
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            String instruction = current.toString().strip().replaceAll("\\s+", " ");
            current.setLength(0);
            if (instruction.isEmpty()) continue;
            if (instruction.startsWith("FROM ")) instructions.clear();
            instructions.add(instruction);
        }
        return instructions;
    }

    private static List<String> instructions(List<String> stage, String keyword) {
        return stage.stream().filter(line -> line.startsWith(keyword + " ")).toList();
    }

    /** The runtime stage's ENV settings. */
    static Map<String, String> imageEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        Pattern setting = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)");
        try {
            for (String line : instructions(finalStage(), "ENV")) {
                Matcher matcher = setting.matcher(line);
                while (matcher.find()) env.put(matcher.group(1), matcher.group(2).replaceAll("^\"|\"$", ""));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return env;
    }

    private static CrmrouteConfig load(Path file, Map<String, String> env) {
        ConfigResult result = ConfigLoader.load(file, env);
        assertEquals(List.of(), result.problems());
        return result.config().orElseThrow();
    }
}
