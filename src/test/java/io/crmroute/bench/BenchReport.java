package io.crmroute.bench;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The benchmark report: for each scenario, a fresh crmroute, a fresh baseline as shipped, a fresh tuned
 * baseline and a fresh harness ceiling ({@link CeilingResponder}), each in its own JVM with the same flags,
 * driven by one load generator against one fake CRM in this JVM; then one table per scenario. Run by
 * {@code bench/run}.
 *
 * <p>Flags: {@code --jar target/crmroute.jar} (crmroute is skipped, shown n/a, if it does not start),
 * {@code --only abcde}, {@code --quick} (a couple of seconds per scenario), {@code --xmx 1g}, {@code --warmup 12}
 * (seconds of warm-up per system and scenario; on 2 busy cores C2 is still compiling crmroute's Netty and
 * java.net.http paths after 5 s: measured 3,376/s in (a) after 5 s, 7,184/s after 15 s).
 */
public final class BenchReport {

    /** crmroute's JIT needs it on 2 busy cores; see the class comment. */
    static final int DEFAULT_WARMUP_SECONDS = 12;

    private final SystemUnderTest.Environment environment;
    private final LoadGenerator generator;
    private final PrintStream log;
    /** Long enough for the JIT to compile every server's call path (5 s is not for crmroute on 2 busy cores). */
    private final Duration warmup;

    private BenchReport(SystemUnderTest.Environment environment, LoadGenerator generator, PrintStream log, Duration warmup) {
        this.environment = environment;
        this.generator = generator;
        this.log = log;
        this.warmup = warmup;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> flags = flags(args);
        boolean quick = flags.containsKey("--quick");
        String only = flags.getOrDefault("--only", "abcde");
        Path jar = Path.of(flags.getOrDefault("--jar", "target/crmroute.jar"));
        String heap = flags.getOrDefault("--xmx", "1g");
        int warmupSeconds = Integer.parseInt(flags.getOrDefault("--warmup", quick ? "1" : Integer.toString(DEFAULT_WARMUP_SECONDS)));
        long maxFds = maxFileDescriptors();
        int inFlightLimit = Scenario.maxInFlight(maxFds);
        List<String> jvmFlags = new java.util.ArrayList<>(List.of("-Xmx" + heap, "-XX:+UseG1GC"));
        // Extra flags for the systems under test, e.g. a profiler: BENCH_CHILD_JVM_FLAGS="-XX:StartFlightRecording=..."
        String extra = System.getenv().getOrDefault("BENCH_CHILD_JVM_FLAGS", "").trim();
        if (!extra.isEmpty()) {
            List<String> more = List.of(extra.split("\\s+"));
            // Another collector replaces G1 (the JVM refuses two).
            if (more.stream().anyMatch(flag -> flag.matches("-XX:\\+Use\\w+GC"))) jvmFlags.remove("-XX:+UseG1GC");
            jvmFlags.addAll(more);
        }
        Path workDir = Files.createTempDirectory("crmroute-bench-");
        PrintStream out = System.out;
        long began = System.nanoTime();

        out.printf("crmroute benchmark: %d cores, %s %s; children: %s; fd limit %,d%s; logs in %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), String.join(" ", jvmFlags), maxFds,
                inFlightLimit < 10_000 ? String.format(" (scenario (c) scaled to %,d calls: each holds 2 sockets per process)", inFlightLimit) : "",
                workDir);
        out.println("latency: connect to server close, correct sessions only, as seen by the load generator "
                + "(1 Netty thread in this JVM, with the fake CRM); errors include wrong answers; heap = used heap, "
                + "threads = live JVM threads, both peaks polled every 100 ms from each system's /metrics.");
        out.printf("CPU: each server process's user + system time from /proc/<pid>/stat (all its threads, JIT and GC "
                + "included, and its /metrics scraped every 100 ms), over the measured window only (not warm-up), divided "
                + "by the sessions started in it; ticks of %.0f ms, so each window's total is good to +-%.0f ms. "
                + "The headline of each scenario is crmroute's CPU per session over the baseline's.%n",
                1000.0 / ProcessCpu.TICKS_PER_SECOND, new CpuWindow(0, ProcessCpu.TICKS_PER_SECOND).resolutionMicros() / 1000);
        out.printf("warm-up: %d s per system and scenario (closed loop x16 on the route's warm-up route)%n", warmupSeconds);
        out.println("ceiling (trivial responder): one Netty thread in a child JVM that sends crmroute's exact commands "
                + "(GET DATA, then the expected SET VARIABLEs) with no CRM call, only the route's CRM latency waited on its "
                + "event loop: what the load generator and this machine allow: no server can beat it here. "
                + "The targets (PASS/FAIL) are relative to it.");
        out.printf("load average at start: %.1f (other processes on this machine skew every figure)%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

        try (FakeCrm crm = FakeCrm.start(); LoadGenerator generator = new LoadGenerator()) {
            SystemUnderTest.Environment environment = new SystemUnderTest.Environment(crm.port(), FakeCrm.unusedPort(),
                    workDir, jvmFlags, System.getProperty("java.class.path"));
            BenchReport report = new BenchReport(environment, generator, System.err,
                    Duration.ofSeconds(warmupSeconds));
            List<SystemUnderTest> systems = List.of(CrmrouteSystem.jar(jar), BaselineSystem.shipped(), BaselineSystem.tuned(),
                    CeilingSystem.childJvm());
            for (Scenario scenario : Scenario.all(inFlightLimit, quick)) {
                if (only.indexOf(scenario.id()) < 0) continue;
                List<Measurement> row = new ArrayList<>();
                for (SystemUnderTest system : systems) row.add(report.measure(system, scenario));
                ReportTable.print(out, scenario, new ReportTable.Row(row.get(0), row.get(1), row.get(2), row.get(3)));
                out.flush();
            }
            out.printf("%nfake CRM: %,d requests, %,d failures; total time %ds%n", crm.requests(), crm.failures(),
                    Duration.ofNanos(System.nanoTime() - began).toSeconds());
        }
        System.exit(0);   // child JVMs are killed by their shutdown hook
    }

    private Measurement measure(SystemUnderTest system, Scenario scenario) {
        log.printf("[bench] (%s) %s: starting%n", scenario.id(), system.name());
        try (SystemUnderTest.Running running = system.start(environment, scenario.offeredConcurrency())) {
            LoadResult warm = generator.run(running.agiPort(),
                    LoadPlan.closedLoop(scenario.warmupRoute(), 16, 10_000_000, warmup).withSessionTimeout(Duration.ofSeconds(5)));
            log.printf("[bench] (%s) %s warm-up: %s%n", scenario.id(), system.name(), warm.summary());
            try (MetricsPoller metrics = new MetricsPoller(running.metrics())) {
                metrics.start();
                Optional<ProcessCpu> cpu = running.cpu();
                long cpuAtStart = cpu.isPresent() ? cpu.get().ticks() : 0;
                LoadResult result = generator.run(running.agiPort(), scenario.plan());
                // read before awaitDrained, whose scrapes are not the scenario's work
                CpuWindow used = cpu.isPresent() ? cpu.get().since(cpuAtStart) : null;
                long left = metrics.awaitDrained(Duration.ofSeconds(3));
                log.printf("[bench] (%s) %s: %s%s%n", scenario.id(), system.name(), result.summary(),
                        used == null ? "" : String.format(", server CPU %,.0f ms", used.micros() / 1000));
                return new Measurement(system.name(), result, metrics.peakHeapBytes(), metrics.peakThreads(), left, used, null);
            }
        } catch (Exception e) {
            log.printf("[bench] (%s) %s: not measured: %s%n", scenario.id(), system.name(), e);
            return Measurement.failed(system.name(), String.valueOf(e.getMessage()));
        }
    }

    private static long maxFileDescriptors() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean ? ((UnixOperatingSystemMXBean) os).getMaxFileDescriptorCount() : 20_000;
    }

    private static Map<String, String> flags(String[] args) {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            boolean valued = i + 1 < args.length && !args[i + 1].startsWith("--");
            flags.put(args[i], valued ? args[++i] : "");
        }
        return flags;
    }
}
