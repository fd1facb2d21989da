package io.crmroute.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A system under test in its own JVM, so its heap and threads are its own. Its output goes to a log file
 * (the last lines are kept for error messages); it is killed on {@link #close} and, whatever happens,
 * by a shutdown hook of the harness.
 */
final class ChildJvm implements AutoCloseable {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "kill-children"));
    }

    private final String name;
    private final Process process;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Deque<String> tail = new ArrayDeque<>();

    private ChildJvm(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    /** Starts {@code command}; a line of output starting with {@code readyPrefix} marks it ready. */
    static ChildJvm start(String name, List<String> command, Path log, String readyPrefix) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        LIVE.add(process);
        ChildJvm child = new ChildJvm(name, process);
        Thread pump = new Thread(() -> child.pump(log, readyPrefix), name + "-output");
        pump.setDaemon(true);
        pump.start();
        return child;
    }

    private void pump(Path log, String readyPrefix) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                out.write(line);
                out.write('\n');
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > 5) tail.removeFirst();
                }
                if (readyPrefix != null && line.startsWith(readyPrefix)) {
                    out.flush();
                    ready.countDown();
                }
            }
        } catch (IOException e) {
            // the child went away; awaitReady reports it
        }
    }

    /** Waits for the ready line. */
    void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.await(100, TimeUnit.MILLISECONDS)) {
            if (!process.isAlive()) throw new IOException(name + " exited " + process.exitValue() + ": " + tail());
            if (System.nanoTime() > deadline) throw new IOException(name + " not ready after " + timeout + ": " + tail());
        }
    }

    /** Waits until {@code uri} answers 200 (a child that prints no ready line, e.g. crmroute). */
    void awaitHttpOk(URI uri, Duration timeout) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) throw new IOException(name + " exited " + process.exitValue() + ": " + tail());
            try {
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(1)).build();
                if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) throw new IOException(name + ": " + uri + " not 200 after " + timeout + ": " + tail());
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));   // a child process gives no other signal
        }
    }

    /** The child's process id (for its CPU counters). */
    long pid() {
        return process.pid();
    }

    String tail() {
        synchronized (tail) {
            return String.join(" | ", tail);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            LIVE.remove(process);
        }
    }
}
