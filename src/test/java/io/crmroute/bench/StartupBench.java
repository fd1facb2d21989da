package io.crmroute.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Time from {@code java ... -jar crmroute.jar serve} to the first answered call, for each set of JVM flags,
 * runs interleaved (flag set A, B, C, A, B, C...) so a busy moment of the machine falls on all of them.
 * A call is answered when crmroute has set CRMROUTE_STATUS and closed the session; the caller is a plain
 * socket that tries to connect every millisecond from the moment the process is started. Also builds an
 * AppCDS archive the way the build and the launcher do ({@code crmroute selftest} with
 * {@code -XX:ArchiveClassesAtExit}) to measure what it buys. Run by {@code bench/run --startup}.
 */
public final class StartupBench {

    private StartupBench() {}

    /** One way of starting the JVM, named for the report. */
    record FlagSet(String name, List<String> flags) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        Path jar = Path.of(options.getOrDefault("--jar", "target/crmroute.jar")).toAbsolutePath();
        int runs = Integer.parseInt(options.getOrDefault("--runs", "7"));
        Path workDir = Files.createTempDirectory("crmroute-startup-");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        System.out.printf("crmroute start-up: %d cores, %s %s; %d runs per flag set, interleaved; load average at start %.1f%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"), System.getProperty("java.version"),
                runs, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

        try (FakeCrm crm = FakeCrm.start()) {
            Path archive = workDir.resolve("crmroute.jsa");
            // The shipped training run, as `mvn package` and the launcher make it.
            Process training = new ProcessBuilder(java, "-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=error", "-jar", jar.toString(),
                    "selftest").redirectErrorStream(true).redirectOutput(workDir.resolve("selftest.log").toFile()).start();
            int trained = training.waitFor();
            System.out.printf("AppCDS archive from `crmroute selftest` (exit %d): %s, %,d KB%n", trained,
                    Files.exists(archive) ? "made" : "NOT made", Files.exists(archive) ? Files.size(archive) / 1024 : 0);

            List<FlagSet> sets = new ArrayList<>(List.of(
                    new FlagSet("default (no flags)", List.of()),
                    new FlagSet("G1, -Xmx1g (README until now)", List.of("-Xmx1g", "-XX:+UseG1GC")),
                    new FlagSet("Serial GC", List.of("-Xmx1g", "-XX:+UseSerialGC")),
                    new FlagSet("G1 + AlwaysPreTouch -Xms1g", List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC", "-XX:+AlwaysPreTouch")),
                    new FlagSet("G1, C1 only (TieredStopAtLevel=1)", List.of("-Xmx1g", "-XX:+UseG1GC", "-XX:TieredStopAtLevel=1")),
                    new FlagSet("G1, -Xshare:off (no CDS at all)", List.of("-Xmx1g", "-XX:+UseG1GC", "-Xshare:off"))));
            if (Files.exists(archive)) {
                sets.add(new FlagSet("G1 + AppCDS archive", List.of("-Xmx1g", "-XX:+UseG1GC", "-XX:SharedArchiveFile=" + archive)));
            }
            Map<FlagSet, List<Long>> times = new LinkedHashMap<>();
            for (FlagSet set : sets) times.put(set, new ArrayList<>());
            for (int run = 0; run < runs; run++) {
                for (FlagSet set : sets) {
                    times.get(set).add(startAndCall(java, set.flags(), jar, crm, workDir).toMillis());
                }
            }
            System.out.printf("%n| JVM flags | first answered call: median | min | max |%n| --- | --- | --- | --- |%n");
            for (Map.Entry<FlagSet, List<Long>> entry : times.entrySet()) {
                long[] sorted = entry.getValue().stream().mapToLong(Long::longValue).sorted().toArray();
                System.out.printf("| %s | %d ms | %d ms | %d ms |%n", entry.getKey().name(), sorted[sorted.length / 2], sorted[0],
                        sorted[sorted.length - 1]);
            }
        }
        System.exit(0);
    }

    /** Starts crmroute with {@code flags}, places one call as soon as it accepts, and answers the time to the call's end. */
    private static Duration startAndCall(String java, List<String> flags, Path jar, FakeCrm crm, Path workDir)
            throws Exception {
        int agiPort = Ports.free();
        int httpPort = Ports.free();
        Path config = workDir.resolve("crmroute-" + agiPort + ".yaml");
        Files.writeString(config, BenchRoutes.yaml(agiPort, httpPort, crm.port(), FakeCrm.unusedPort()), StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(flags);
        command.addAll(List.of("-jar", jar.toString(), "serve", "--config", config.toString()));
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("crmroute-" + agiPort + ".log").toFile()).start();
        try {
            Map<String, String> variables = call(agiPort, process, Duration.ofSeconds(30));
            long answered = System.nanoTime();
            if (!"MATCH".equals(variables.get("CRMROUTE_STATUS"))) throw new IOException("first call not routed: " + variables);
            return Duration.ofNanos(answered - started);
        } finally {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        }
    }

    /** Asterisk's side of one session on route {@code direct}, connecting every millisecond until crmroute listens. */
    private static Map<String, String> call(int port, Process process, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) throw new IOException("crmroute exited " + process.exitValue());
            if (System.nanoTime() > deadline) throw new IOException("crmroute not answering after " + timeout);
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                socket.setSoTimeout((int) timeout.toMillis());
                return session(socket);
            } catch (ConnectException notYet) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // a starting process gives no other signal
            }
        }
    }

    private static Map<String, String> session(Socket socket) throws IOException {
        String callerId = Callers.callerId(1);
        OutputStream out = socket.getOutputStream();
        String environment = "agi_network: yes\nagi_network_script: " + BenchRoutes.DIRECT + "\nagi_request: agi://127.0.0.1/"
                + BenchRoutes.DIRECT + "\nagi_channel: SIP/startup-00000001\nagi_uniqueid: 1733110000.1\nagi_callerid: "
                + callerId + "\nagi_dnid: 5000\n\n";
        out.write(environment.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Map<String, String> variables = new HashMap<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String reply = "200 result=1\n";
            if (line.startsWith("GET DATA")) reply = "200 result=" + Callers.digits(callerId) + "\n";
            else if (line.startsWith("SET VARIABLE ")) {
                String[] words = Arrays.stream(line.substring("SET VARIABLE ".length()).split(" ", 2))
                        .map(word -> word.replace("\"", "")).toArray(String[]::new);
                variables.put(words[0], words.length > 1 ? words[1] : "");
            }
            out.write(reply.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        return variables;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            boolean valued = i + 1 < args.length && !args[i + 1].startsWith("--");
            options.put(args[i], valued ? args[++i] : "");
        }
        return options;
    }
}
