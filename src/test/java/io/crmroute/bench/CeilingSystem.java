package io.crmroute.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The harness ceiling, {@link CeilingResponder}, in a child JVM with the same flags as the other systems, or
 * in-process for tests. Not a competitor: the report shows it as the most this machine and load generator allow.
 */
final class CeilingSystem implements SystemUnderTest {

    static final String NAME = "ceiling (trivial responder)";

    private final boolean inProcess;

    private CeilingSystem(boolean inProcess) {
        this.inProcess = inProcess;
    }

    static CeilingSystem childJvm() {
        return new CeilingSystem(false);
    }

    /** In this JVM (for tests). */
    static CeilingSystem inProcess() {
        return new CeilingSystem(true);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Running start(Environment environment, int offeredConcurrency) throws Exception {
        int agiPort = Ports.free();
        int httpPort = Ports.free();
        if (inProcess) {
            return SystemUnderTest.running(agiPort, httpPort, CeilingResponder.start(agiPort, httpPort));
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(environment.jvmFlags());
        command.add("-cp");
        command.add(environment.classpath());
        command.add(CeilingResponder.class.getName());
        command.addAll(List.of("--agi-port", Integer.toString(agiPort), "--http-port", Integer.toString(httpPort)));
        ChildJvm child = ChildJvm.start("ceiling", command, environment.workDir().resolve("ceiling-" + agiPort + ".log"), "READY");
        try {
            child.awaitReady(Duration.ofSeconds(30));
        } catch (Exception e) {
            child.close();
            throw e;
        }
        return SystemUnderTest.inChildJvm(agiPort, httpPort, child);
    }

    @Override
    public String toString() {
        return name();
    }
}
