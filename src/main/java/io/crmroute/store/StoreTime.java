package io.crmroute.store;

import io.crmroute.concurrent.DaemonThreads;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The time the store waits on: a scheduler that decides when to flush, retry and poll (its tasks
 * only hand blocking work to the store's own threads, so one thread serves every store), and a
 * monotonic nanosecond ticker for deadlines. Tests pass a scheduler and ticker they move themselves.
 */
public record StoreTime(ScheduledExecutorService scheduler, LongSupplier nanoTicker) {

    private static final ScheduledExecutorService SYSTEM_SCHEDULER = systemScheduler();

    /** The JVM's monotonic clock and one shared daemon timer thread. */
    public static StoreTime system() {
        return new StoreTime(SYSTEM_SCHEDULER, System::nanoTime);
    }

    long nanoTime() {
        return nanoTicker.getAsLong();
    }

    /** A future completed once {@code delay} has passed on this time. */
    CompletableFuture<Void> after(Duration delay) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        scheduler.schedule(() -> done.complete(null), delay.toNanos(), TimeUnit.NANOSECONDS);
        return done;
    }

    private static ScheduledExecutorService systemScheduler() {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("crmroute-store-timer"));
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }
}
