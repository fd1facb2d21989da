package io.crmroute.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code crmroute serve --config FILE} as a real separate process, started the way an operator does
 * ({@code java -cp ... io.crmroute.cli.Main serve}) with this test run's classpath and the production
 * logging config, so its log is the one operators read. Every line it prints is kept for the test.
 */
final class ServeProcess implements AutoCloseable {

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private boolean ended;

    private ServeProcess(Process process) {
        this.process = process;
        Thread pump = new Thread(this::pump, "serve-process-output");
        pump.setDaemon(true);
        pump.start();
    }

    static ServeProcess start(Path config, Map<String, String> environment) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Dlogback.configurationFile=" + productionLogging(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "io.crmroute.cli.Main", "serve", "--config", config.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        return new ServeProcess(builder.start());
    }

    /** src/main/resources/logback.xml as built, not the quieter logback-test.xml of the test classpath. */
    private static Path productionLogging() {
        try {
            return Path.of(Objects.requireNonNull(ServeProcess.class.getResource("/logback.xml"), "logback.xml").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException closed) {
            // the process went away
        }
        synchronized (lines) {
            ended = true;
            lines.notifyAll();
        }
    }

    /** The first line that {@code matches}, waiting for it at most {@code timeout}. */
    String awaitLine(Predicate<String> matches, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                for (String line : lines) {
                    if (matches.test(line)) return line;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || ended) {
                    throw new AssertionError("no such line " + (ended ? "before the output ended" : "within " + timeout) + "; "
                            + state() + "; output:\n" + String.join("\n", lines));
                }
                TimeUnit.NANOSECONDS.timedWait(lines, left);
            }
        }
    }

    private String state() {
        return process.isAlive() ? "still running" : "exited " + process.exitValue();
    }

    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /**
     * SIGTERM on Linux, as docker stop and systemctl stop send. Through the process handle: {@code
     * Process.destroy()} would also close our end of its output, and the lines it logs while stopping
     * are what the tests read.
     */
    void terminate() {
        process.toHandle().destroy();
    }

    /** The exit status, waiting for it at most {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + timeout + "; output:\n" + String.join("\n", lines()));
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
