package io.crmroute.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * asterisk-java's DefaultAgiServer running {@link BaselineScript}: as shipped (pool max 500) or tuned (pool
 * max raised to the offered concurrency), in a child JVM for the report or in-process for the smoke test.
 */
final class BaselineSystem implements SystemUnderTest {

    private final boolean tuned;
    private final boolean inProcess;

    private BaselineSystem(boolean tuned, boolean inProcess) {
        this.tuned = tuned;
        this.inProcess = inProcess;
    }

    static BaselineSystem shipped() {
        return new BaselineSystem(false, false);
    }

    static BaselineSystem tuned() {
        return new BaselineSystem(true, false);
    }

    /** In this JVM (for tests): no process to start, heap and threads are the test JVM's. */
    static BaselineSystem inProcess() {
        return new BaselineSystem(false, true);
    }

    @Override
    public String name() {
        return tuned ? "baseline tuned" : "baseline shipped";
    }

    @Override
    public Running start(Environment environment, int offeredConcurrency) throws Exception {
        int agiPort = Ports.free();
        int httpPort = Ports.free();
        int maxPool = tuned ? Math.max(BaselineAgiServer.SHIPPED_MAX_POOL, offeredConcurrency) : 0;
        if (inProcess) {
            BaselineAgiServer server = BaselineAgiServer.start(
                    new BaselineAgiServer.Options(agiPort, httpPort, environment.crmPort(), environment.downPort(), maxPool));
            return SystemUnderTest.running(agiPort, httpPort, server);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(environment.jvmFlags());
        command.add("-cp");
        command.add(environment.classpath());
        command.add(BaselineAgiServer.class.getName());
        command.addAll(List.of("--agi-port", Integer.toString(agiPort), "--http-port", Integer.toString(httpPort),
                "--crm-port", Integer.toString(environment.crmPort()), "--down-port", Integer.toString(environment.downPort()),
                "--max-pool", Integer.toString(maxPool)));
        Path log = environment.workDir().resolve(name().replace(' ', '-') + "-" + agiPort + ".log");
        ChildJvm child = ChildJvm.start(name(), command, log, "READY");
        try {
            child.awaitReady(Duration.ofSeconds(30));
        } catch (Exception e) {
            child.close();
            throw e;
        }
        return SystemUnderTest.inChildJvm(agiPort, httpPort, child);
    }
}
