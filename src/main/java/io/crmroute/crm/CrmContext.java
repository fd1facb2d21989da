package io.crmroute.crm;

import io.crmroute.concurrent.DaemonThreads;
import com.github.benmanes.caffeine.cache.Ticker;

import io.crmroute.crmhttp.CrmTransport;
import io.netty.channel.EventLoopGroup;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * What all connectors share: one HTTP client on Netty ({@link CrmTransport}: in the server it runs on the
 * FastAGI workers' event loops, so a call's CRM request is written and read on that call's loop; it follows
 * no redirect, so secrets never go to a host the CRM names), the wall clock (token expiry, Retry-After
 * dates, health), one scheduler thread for delays and deadlines (nobody sleeps), and a ticker for elapsed
 * time and caches. Tests build their own with time they drive. {@code sharing} is what several nodes share
 * per CRM (rate budget, credentials): nothing, {@link CrmSharing#LOCAL}, unless {@link #withSharing} says otherwise.
 */
public record CrmContext(
        CrmTransport transport,
        Clock clock,
        ScheduledExecutorService scheduler,
        Ticker ticker,
        CrmSharing sharing) implements AutoCloseable {

    public CrmContext {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(sharing, "sharing");
    }

    /** Sharing nothing with other nodes. */
    public CrmContext(CrmTransport transport, Clock clock, ScheduledExecutorService scheduler, Ticker ticker) {
        this(transport, clock, scheduler, ticker, CrmSharing.LOCAL);
    }

    /** The same resources, with the rate budgets and credentials {@code shared} hands out. */
    public CrmContext withSharing(CrmSharing shared) {
        return new CrmContext(transport, clock, scheduler, ticker, shared);
    }

    /** The server's: CRM requests on {@code loops} (the FastAGI workers'), system clock and ticker. */
    public static CrmContext on(EventLoopGroup loops) {
        return new CrmContext(CrmTransport.on(loops), Clock.systemUTC(), newScheduler(), Ticker.systemTicker());
    }

    /** For the CLI: system clock and ticker, requests on the client loop shared in this JVM. */
    public static CrmContext create() {
        return create(Clock.systemUTC(), Ticker.systemTicker());
    }

    /** Real HTTP (on the shared client loop) and scheduler, with the given time sources (tests). */
    public static CrmContext create(Clock clock, Ticker ticker) {
        return create(clock, ticker, newScheduler());
    }

    /** Real HTTP (on the shared client loop) with the given time sources and scheduler (tests that drive time). */
    public static CrmContext create(Clock clock, Ticker ticker, ScheduledExecutorService scheduler) {
        return new CrmContext(CrmTransport.onClientLoop(), clock, scheduler, ticker);
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

    /** Stops the scheduler and closes every CRM connection; event loops are their owner's to stop. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        transport.close();
    }

    private static ScheduledExecutorService newScheduler() {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("crm-scheduler"));
        scheduler.setRemoveOnCancelPolicy(true); // every exchange's deadline is cancelled when it answers
        return scheduler;
    }

}
