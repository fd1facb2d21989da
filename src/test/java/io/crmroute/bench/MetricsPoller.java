package io.crmroute.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Polls a system's Prometheus {@code /metrics} every 100 ms during a run and keeps the peaks of used heap
 * (sum of {@code jvm_memory_used_bytes{area="heap"}}) and {@code jvm_threads_live_threads}, and the last
 * {@code crmroute_agi_sessions_in_flight}. Every figure is -1 until seen.
 */
final class MetricsPoller implements AutoCloseable {

    /** One scrape. */
    record Sample(long heapBytes, long threads, long sessionsInFlight) {}

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final URI uri;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "metrics-poller");
        thread.setDaemon(true);
        return thread;
    });
    private volatile long peakHeapBytes = -1;
    private volatile long peakThreads = -1;
    private volatile long lastInFlight = -1;

    MetricsPoller(URI uri) {
        this.uri = uri;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::poll, 0, 100, TimeUnit.MILLISECONDS);
    }

    private void poll() {
        Sample sample = scrape();
        if (sample == null) return;
        if (sample.heapBytes() > peakHeapBytes) peakHeapBytes = sample.heapBytes();
        if (sample.threads() > peakThreads) peakThreads = sample.threads();
        lastInFlight = sample.sessionsInFlight();
    }

    /** One scrape now, or null if the system did not answer. */
    Sample scrape() {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? parse(response.body()) : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * Sessions the server still holds once the load generator saw every session end: scrapes until the
     * in-flight gauge reads 0 or {@code timeout} passes (a server may count down just after it closes).
     * -1 when the server does not export the gauge.
     */
    long awaitDrained(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long inFlight = -1;
        while (true) {
            Sample sample = scrape();
            if (sample != null) inFlight = sample.sessionsInFlight();
            if (inFlight == 0 || System.nanoTime() > deadline) return inFlight;
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    static Sample parse(String text) {
        long heap = -1;
        long threads = -1;
        long inFlight = -1;
        for (String line : text.split("\n")) {
            if (line.startsWith("#")) continue;
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                heap = Math.max(heap, 0) + value(line);
            } else if (line.startsWith("jvm_threads_live_threads")) {
                threads = value(line);
            } else if (line.startsWith("crmroute_agi_sessions_in_flight")) {
                inFlight = value(line);
            }
        }
        return new Sample(heap, threads, inFlight);
    }

    private static long value(String line) {
        String number = line.substring(line.lastIndexOf(' ') + 1);
        try {
            return (long) Double.parseDouble(number);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    long peakHeapBytes() {
        return peakHeapBytes;
    }

    long peakThreads() {
        return peakThreads;
    }

    long lastInFlight() {
        return lastInFlight;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
