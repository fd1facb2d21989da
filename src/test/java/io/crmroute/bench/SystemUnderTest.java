package io.crmroute.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A FastAGI server the bench can drive: started fresh per scenario, it tells where its AGI port is and
 * where its Prometheus metrics are. Implementations: {@link BaselineSystem} (asterisk-java, child JVM or
 * in-process), {@link CrmrouteSystem} (the crmroute jar in a child JVM) and {@link CeilingSystem} (the
 * harness ceiling: a trivial responder, the most the load generator and the machine allow).
 */
interface SystemUnderTest {

    /** What every system is started against: the fake CRM, a dead port, a scratch directory, JVM flags. */
    record Environment(int crmPort, int downPort, Path workDir, List<String> jvmFlags, String classpath) {

        public Environment {
            jvmFlags = List.copyOf(jvmFlags);
        }
    }

    /** A started system; {@link #close} stops it (kills its JVM). */
    interface Running extends AutoCloseable {

        int agiPort();

        URI metrics();

        /**
         * The server's own CPU counters: present for a child JVM, empty in-process (the process is then the
         * test JVM, load generator and fake CRM included, so its CPU is not the server's).
         */
        Optional<ProcessCpu> cpu();

        @Override
        void close();
    }

    String name();

    /** Starts a fresh instance for a scenario that offers up to {@code offeredConcurrency} calls at once. */
    Running start(Environment environment, int offeredConcurrency) throws Exception;

    /** A running system in this JVM whose metrics are at {@code http://127.0.0.1:httpPort/metrics}. */
    static Running running(int agiPort, int httpPort, AutoCloseable stop) {
        return running(agiPort, httpPort, stop, Optional.empty());
    }

    /** A running system in its own JVM, {@code child}, whose CPU the report measures. */
    static Running inChildJvm(int agiPort, int httpPort, ChildJvm child) {
        return running(agiPort, httpPort, child, Optional.of(ProcessCpu.of(child.pid())));
    }

    private static Running running(int agiPort, int httpPort, AutoCloseable stop, Optional<ProcessCpu> cpu) {
        URI metrics = URI.create("http://127.0.0.1:" + httpPort + "/metrics");
        return new Running() {
            @Override
            public int agiPort() {
                return agiPort;
            }

            @Override
            public URI metrics() {
                return metrics;
            }

            @Override
            public Optional<ProcessCpu> cpu() {
                return cpu;
            }

            @Override
            public void close() {
                try {
                    stop.close();
                } catch (Exception e) {
                    throw new IllegalStateException("stopping system on AGI port " + agiPort, e);
                }
            }
        };
    }
}
