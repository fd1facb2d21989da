package io.crmroute.action;

import io.crmroute.concurrent.Futures;
import io.crmroute.crm.CrmConnector;
import io.crmroute.crm.CrmException;
import io.crmroute.crm.CrmWrite;
import io.crmroute.crm.WriteKind;
import io.crmroute.crm.WriteRequest;
import io.crmroute.crm.WriteResult;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The async actions: one bounded queue per CRM, {@link #offer} never blocks (when a queue is full its
 * oldest action is dropped, counted and logged), at most {@code concurrency} writes in flight per CRM, each
 * through the CRM's connector (breaker, rate limit, each attempt within the CRM's timeout). A failure is
 * retried after an exponential back-off with jitter ({@code backoffMin} doubling to {@code backoffMax}, times
 * 0.5 to 1) while the action's deadline ({@code retry-for} after it was queued) allows, and only when the CRM
 * may answer differently ({@link CrmException#worthRetrying}) and the write cannot make a second record
 * ({@link CrmConnector#retrySafe}). Every action ends once, told to the listener: written, failed, gave_up or
 * dropped. Time (clock, ticker, scheduler, jitter) is injected.
 */
public final class ActionQueue implements AutoCloseable {

    /** Per CRM: queue capacity and writes in flight; the back-off's bounds. */
    public record Options(int capacity, int concurrency, Duration backoffMin, Duration backoffMax) {
        public static Options defaults() {
            return new Options(10_000, 4, Duration.ofSeconds(1), Duration.ofMinutes(1));
        }
    }

    /** Where time comes from; {@code jitter} answers a number from 0 to 1. */
    public record Time(Clock clock, LongSupplier nanoTime, ScheduledExecutorService scheduler, DoubleSupplier jitter) {
        public static Time system(ScheduledExecutorService scheduler) {
            return new Time(Clock.systemUTC(), System::nanoTime, scheduler, () -> ThreadLocalRandom.current().nextDouble());
        }
    }

    /** An action to write: the call and route it is for, its CRM, the write, and how long it may be retried. */
    public record Queued(String uniqueid, String route, String crm, CrmWrite write, Duration retryFor) {
        public Queued {
            Objects.requireNonNull(crm, "crm");
            Objects.requireNonNull(write, "write");
            Objects.requireNonNull(retryFor, "retryFor");
        }
    }

    /** Actions not yet ended (queued, waiting to retry or being written), and of those the ones waiting to retry. */
    public record Counters(long open, long retrying) {}

    private final Map<String, CrmConnector> crms;
    private final Options options;
    private final Time time;
    private final ActionListener listener;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final Map<Job, Boolean> open = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> idle = new CompletableFuture<>();
    private final AtomicInteger retrying = new AtomicInteger();
    private volatile boolean closing;

    public ActionQueue(Map<String, CrmConnector> crms, Options options, Time time, ActionListener listener) {
        this.crms = Map.copyOf(crms);
        this.options = options;
        this.time = time;
        this.listener = listener;
    }

    /** Queues {@code action}; returns at once, whatever the CRM's state. */
    public void offer(Queued action) {
        Job job = new Job(action, time.nanoTime().getAsLong() + action.retryFor().toNanos());
        CrmConnector crm = crms.get(action.crm());
        if (crm == null) {
            end(job, ActionRecord.Result.FAILED, Optional.empty(), "crm " + action.crm() + " is not defined");
            return;
        }
        if (closing) {
            end(job, ActionRecord.Result.GAVE_UP, Optional.empty(), "server stopping");
            return;
        }
        open.put(job, Boolean.TRUE);
        Lane lane = lanes.computeIfAbsent(action.crm(), name -> new Lane(crm));
        Job dropped = null;
        synchronized (lane) {
            if (lane.queue.size() >= options.capacity()) dropped = lane.queue.pollFirst();
            lane.queue.addLast(job);
        }
        if (dropped != null) end(dropped, ActionRecord.Result.DROPPED, Optional.empty(), "action queue full");
        // At its deadline an action still queued or waiting to retry gives up; one being written ends with its attempt.
        job.expiry = time.scheduler().schedule(() -> expire(lane, job), action.retryFor().toNanos(), TimeUnit.NANOSECONDS);
        if (job.ended.get()) job.expiry.cancel(false); // it ended while the timer was being set
        lane.pump();
    }

    public Counters counters() {
        return new Counters(open.size(), retrying.get());
    }

    /**
     * Stops taking actions, lets those queued and under way finish within {@code drain} (real time), then
     * ends every one left as gave_up.
     */
    public void close(Duration drain) {
        closing = true;
        if (open.isEmpty()) idle.complete(null);
        try {
            idle.get(drain.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // out of time: what is left gives up below
        }
        for (Job job : open.keySet()) end(job, ActionRecord.Result.GAVE_UP, Optional.empty(), "server stopped before the action was done");
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }

    private final class Lane {
        final CrmConnector crm;
        final ArrayDeque<Job> queue = new ArrayDeque<>(); // guarded by this
        int inFlight; // guarded by this
        // Writes that fail at once (an open circuit) end inside write(): a pass in progress picks up the
        // next job instead of recursing.
        private final AtomicInteger passes = new AtomicInteger();

        Lane(CrmConnector crm) {
            this.crm = crm;
        }

        void pump() {
            if (passes.getAndIncrement() != 0) return;
            do {
                Job next;
                while ((next = take()) != null) attempt(this, next);
            } while (passes.decrementAndGet() != 0);
        }

        private synchronized Job take() {
            if (inFlight >= options.concurrency() || queue.isEmpty()) return null;
            inFlight++;
            Job job = queue.pollFirst();
            job.writing = true;
            return job;
        }

        synchronized void done(Job job) {
            job.writing = false;
            inFlight--;
        }

        synchronized void retry(Job job) {
            queue.addFirst(job); // it is older than anything queued since
        }
    }

    private void expire(Lane lane, Job job) {
        synchronized (lane) {
            if (job.writing) return;
            lane.queue.remove(job);
        }
        end(job, ActionRecord.Result.GAVE_UP, Optional.empty(), job.lastError.orElse("not written within its retry-for"));
    }

    private void attempt(Lane lane, Job job) {
        long left = job.deadline - time.nanoTime().getAsLong();
        if (job.ended.get() || left <= 0) {
            lane.done(job);
            end(job, ActionRecord.Result.GAVE_UP, Optional.empty(), job.lastError.orElse("no time left"));
            return;
        }
        job.attempts++;
        CompletableFuture<WriteResult> write;
        try {
            write = lane.crm.write(new WriteRequest(job.action.write(), Duration.ofNanos(left)));
        } catch (RuntimeException bug) {
            write = CompletableFuture.failedFuture(bug);
        }
        write.whenComplete((result, error) -> {
            lane.done(job);
            if (error == null) end(job, ActionRecord.Result.WRITTEN, Optional.of(result.id()), null);
            else failed(lane, job, Futures.unwrap(error));
            lane.pump();
        });
    }

    private void failed(Lane lane, Job job, Throwable error) {
        if (!(error instanceof CrmException failure)) {
            end(job, ActionRecord.Result.FAILED, Optional.empty(), "unexpected failure: " + error.getClass().getSimpleName());
            return;
        }
        String reason = failure.getMessage();
        Optional<String> notRetried = whyNotRetried(failure, lane.crm, job.action.write());
        if (notRetried.isPresent()) {
            end(job, ActionRecord.Result.FAILED, Optional.empty(), notRetried.get());
            return;
        }
        Duration wait = backoff(job.attempts);
        if (closing || time.nanoTime().getAsLong() + wait.toNanos() >= job.deadline) {
            end(job, ActionRecord.Result.GAVE_UP, Optional.empty(), reason);
            return;
        }
        job.lastError = Optional.of(reason);
        retrying.incrementAndGet();
        time.scheduler().schedule(() -> {
            retrying.decrementAndGet();
            if (job.ended.get()) return;
            lane.retry(job);
            lane.pump();
        }, wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The wait before attempt {@code attempts + 1}: min doubling to max, times 0.5 to 1. */
    Duration backoff(int attempts) {
        return backoff(attempts, options.backoffMin(), options.backoffMax(), time.jitter().getAsDouble());
    }

    /** The wait before attempt {@code attempts + 1}: {@code min} doubling to {@code max}, times 0.5 to 1 by {@code jitter} (0 to 1). */
    static Duration backoff(int attempts, Duration min, Duration max, double jitter) {
        long base = min.toNanos();
        for (int i = 1; i < attempts && base < max.toNanos(); i++) base *= 2;
        base = Math.min(base, max.toNanos());
        double share = Math.max(0, Math.min(1, jitter));
        return Duration.ofNanos((long) (base * (0.5 + 0.5 * share)));
    }

    /**
     * The one retry rule of both queues (this one and the outbox): why {@code failure} ends {@code write} as failed, or
     * empty when it is to be sent again. Not when the same request would be refused again; nor when the CRM may have
     * done it already (a timeout, a 5xx) and a second attempt could make a second record (the write is not
     * retry-safe). A write refused before it reached the CRM (circuit open, rate limit, DNS, credentials) did nothing
     * and is always sent again.
     */
    static Optional<String> whyNotRetried(CrmException failure, CrmConnector crm, CrmWrite write) {
        String reason = failure.getMessage();
        if (!failure.worthRetrying()) return Optional.of(reason);
        if (failure.mayHaveBeenDone() && !crm.retrySafe(write)) {
            return Optional.of(reason + " (not retried: the CRM may have made the record, and a "
                    + WriteKind.of(write).name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                    + " without a key-field could make a second one)");
        }
        return Optional.empty();
    }

    private void end(Job job, ActionRecord.Result result, Optional<String> recordId, String error) {
        if (!job.ended.compareAndSet(false, true)) return;
        open.remove(job);
        ScheduledFuture<?> expiry = job.expiry;
        if (expiry != null) expiry.cancel(false);
        Queued action = job.action;
        listener.onAction(new ActionRecord(time.clock().instant(), action.uniqueid(), action.route(), action.crm(),
                WriteKind.of(action.write()), action.write().object(), recordId, result, job.attempts, Optional.ofNullable(error)));
        if (closing && open.isEmpty()) idle.complete(null);
    }

    /** One queued action: attempts and the last error are touched by one attempt at a time. */
    private static final class Job {
        final Queued action;
        final long deadline;
        final AtomicBoolean ended = new AtomicBoolean();
        volatile int attempts;
        boolean writing; // guarded by its lane
        volatile Optional<String> lastError = Optional.empty();
        volatile ScheduledFuture<?> expiry;

        Job(Queued action, long deadline) {
            this.action = action;
            this.deadline = deadline;
        }
    }
}
