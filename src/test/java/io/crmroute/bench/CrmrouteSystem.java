package io.crmroute.bench;

import io.crmroute.app.CrmrouteServer;
import io.crmroute.config.ConfigLoader;
import io.crmroute.config.ConfigResult;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * crmroute as users run it: {@code java -jar target/crmroute.jar serve --config FILE.yaml} in a child JVM,
 * with {@link BenchRoutes#yaml} as its config, ready when {@code /health} answers 200; or, for tests, the
 * same server started in this JVM from the same config.
 */
final class CrmrouteSystem implements SystemUnderTest {

    private final Path jar;

    private CrmrouteSystem(Path jar) {
        this.jar = jar;
    }

    /** The jar in a child JVM, measured apart from the load generator. */
    static CrmrouteSystem jar(Path jar) {
        return new CrmrouteSystem(jar);
    }

    /** In this JVM (for tests): no jar needed, heap and threads are the test JVM's. */
    static CrmrouteSystem inProcess() {
        return new CrmrouteSystem(null);
    }

    @Override
    public String name() {
        return "crmroute";
    }

    @Override
    public Running start(Environment environment, int offeredConcurrency) throws Exception {
        int agiPort = Ports.free();
        int httpPort = Ports.free();
        Path config = environment.workDir().resolve("crmroute-" + agiPort + ".yaml");
        Files.writeString(config, BenchRoutes.yaml(agiPort, httpPort, environment.crmPort(), environment.downPort()),
                StandardCharsets.UTF_8);
        if (jar == null) {
            ConfigResult loaded = ConfigLoader.load(config, Map.of());
            if (!loaded.ok()) throw new IllegalStateException("bench config invalid: " + loaded.problems());
            CrmrouteServer server = CrmrouteServer.start(loaded.config().orElseThrow());
            return SystemUnderTest.running(server.agiPort(), server.httpPort(), server);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(environment.jvmFlags());
        command.addAll(List.of("-jar", jar.toString(), "serve", "--config", config.toString()));
        ChildJvm child = ChildJvm.start(name(), command, environment.workDir().resolve("crmroute-" + agiPort + ".log"), null);
        try {
            child.awaitHttpOk(URI.create("http://127.0.0.1:" + httpPort + "/health"), Duration.ofSeconds(30));
        } catch (Exception e) {
            child.close();
            throw e;
        }
        return SystemUnderTest.inChildJvm(agiPort, httpPort, child);
    }
}
