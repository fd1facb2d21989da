package io.crmroute.crm;

import com.github.benmanes.caffeine.cache.Ticker;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What all connectors share: one HTTP client (two threads, however many lookups are in flight; it
 * follows no redirect, so secrets never go to a host the CRM names), the wall clock (token expiry,
 * Retry-After dates, health), one scheduler thread for delays and deadlines (nobody sleeps), and a
 * ticker for elapsed time and caches. Tests build their own with time they drive. {@code sharing} is
 * what several nodes share per CRM (rate budget, credentials): nothing, {@link CrmSharing#LOCAL}, unless
 * {@link #withSharing} says otherwise.
 */
public record CrmContext(
        HttpClient http,
        Clock clock,
        ScheduledExecutorService scheduler,
        Ticker ticker,
        CrmSharing sharing) implements AutoCloseable {

    public CrmContext {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(sharing, "sharing");
    }

    /** Sharing nothing with other nodes. */
    public CrmContext(HttpClient http, Clock clock, ScheduledExecutorService scheduler, Ticker ticker) {
        this(http, clock, scheduler, ticker, CrmSharing.LOCAL);
    }

    /** The same resources, with the rate budgets and credentials {@code shared} hands out. */
    public CrmContext withSharing(CrmSharing shared) {
        return new CrmContext(http, clock, scheduler, ticker, shared);
    }

    /** Production resources: system clock and ticker. */
    public static CrmContext create() {
        return create(Clock.systemUTC(), Ticker.systemTicker());
    }

    /** Real HTTP and scheduler, with the given time sources (tests). */
    public static CrmContext create(Clock clock, Ticker ticker) {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, daemonThreads("crm-scheduler-"));
        scheduler.setRemoveOnCancelPolicy(true); // every exchange's deadline is cancelled when it answers
        return create(clock, ticker, scheduler);
    }

    /** Real HTTP with the given time sources and scheduler (tests that drive time). */
    public static CrmContext create(Clock clock, Ticker ticker, ScheduledExecutorService scheduler) {
        if (java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() < 2) {
            // java.net.http completes every async response through CompletableFuture's default executor,
            // which without two common-pool threads starts one new thread per response.
            org.slf4j.LoggerFactory.getLogger(CrmContext.class).warn(
                    "the common pool has fewer than 2 threads: every CRM response will start a thread; "
                            + "run with -Djava.util.concurrent.ForkJoinPool.common.parallelism=2");
        }
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                // A redirect would re-send Authorization, API keys and client secrets to the host it names.
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newFixedThreadPool(2, daemonThreads("crm-http-")))
                .build();
        return new CrmContext(http, clock, scheduler, ticker);
    }

    /** Completes after {@code delay}, on the scheduler thread; no thread waits meanwhile. */
    public CompletableFuture<Void> delay(Duration delay) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            scheduler.schedule(() -> done.complete(null), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    /** Elapsed time since {@code startNanos}, a reading of {@link #ticker}. */
    public Duration since(long startNanos) {
        return Duration.ofNanos(ticker.read() - startNanos);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        http.executor().ifPresent(executor -> {
            if (executor instanceof ExecutorService service) service.shutdownNow();
        });
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
