package io.crmroute.action;

import io.crmroute.concurrent.Futures;
import io.crmroute.crm.CrmConnector;
import io.crmroute.crm.CrmException;
import io.crmroute.crm.CrmWrite;
import io.crmroute.crm.WriteKind;
import io.crmroute.crm.WriteRequest;
import io.crmroute.crm.WriteResult;
import io.crmroute.logging.LogText;
import io.crmroute.logging.RepeatedWarning;
import io.crmroute.store.OutboxTable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's share of the outbox: every {@code poll} it renews the lease of the rows it holds, claims due rows of
 * its CRMs up to {@code maxHeld} for a {@code lease}, and counts the rows not ended (now and then it removes
 * those that ended a day ago). Each claimed row is written
 * through the CRM's connector (breaker, rate limit, timeout), at most {@code concurrency} at a time per CRM, and
 * its end recorded in the row and told to the listener: written, failed, or gave_up at its deadline. A failure
 * worth retrying puts the row back, due after the back-off, for any node to take. An attempt is recorded as
 * begun before it is sent: a row claimed with an attempt begun and never ended was being written by a node that
 * died; it is redone only when the connector says the write is {@linkplain CrmConnector#retrySafe retry-safe}
 * (the call key finds what the first attempt made), else it fails. Time (clock, scheduler, jitter) is injected.
 */
public final class OutboxWorker implements AutoCloseable {

    /** How long a claim lasts unless renewed, how often to poll, how many rows to hold, and the back-off's bounds. */
    public record Options(Duration lease, Duration poll, int maxHeld, int concurrency, Duration backoffMin, Duration backoffMax) {
        public static final Duration LEASE = Duration.ofSeconds(30);
        public static final Duration POLL = Duration.ofSeconds(1);

        public static Options defaults() {
            return new Options(LEASE, POLL, 200, 4, Duration.ofSeconds(1), Duration.ofMinutes(1));
        }

        public Options withLease(Duration newLease, Duration newPoll) {
            return new Options(newLease, newPoll, maxHeld, concurrency, backoffMin, backoffMax);
        }
    }

    static final String DIED_MID_WRITE = "node died mid-write; not retry-safe";
    private static final Logger log = LoggerFactory.getLogger(OutboxWorker.class);
    private static final Duration RELEASE_WAIT = Duration.ofSeconds(5);
    /** Ended rows are kept this long (the audit keeps every end), removed by a poll at most every {@link #SWEEP_EVERY}. */
    static final Duration FORGET_AFTER = Duration.ofDays(1);
    private static final Duration SWEEP_EVERY = Duration.ofMinutes(10);

    private final OutboxTable table;
    private final String node;
    private final Map<String, CrmConnector> crms;
    private final Options options;
    private final ActionQueue.Time time;
    private final ActionListener listener;
    private final Map<UUID, Held> held = new ConcurrentHashMap<>();
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final AtomicBoolean polling = new AtomicBoolean();
    private final AtomicLong polls = new AtomicLong();
    private final AtomicInteger busy = new AtomicInteger();
    private final CompletableFuture<Void> idle = new CompletableFuture<>();
    private final RepeatedWarning pollFailures;
    private volatile long pending;
    private volatile boolean stopped;
    private volatile ScheduledFuture<?> poller;
    private volatile Instant nextSweep = Instant.MIN;
    private volatile CompletableFuture<?> lastPoll = CompletableFuture.completedFuture(null);

    public OutboxWorker(OutboxTable table, String node, Map<String, CrmConnector> crms, Options options, ActionQueue.Time time,
                        ActionListener listener) {
        this.table = table;
        this.node = node;
        this.crms = Map.copyOf(crms);
        this.options = options;
        this.time = time;
        this.listener = listener;
        this.pollFailures = new RepeatedWarning(log, Duration.ofMinutes(1), time.nanoTime());
    }

    /** Polls now and every {@code poll} after. */
    public OutboxWorker start() {
        poller = time.scheduler().scheduleWithFixedDelay(this::poll, 0, options.poll().toNanos(), TimeUnit.NANOSECONDS);
        return this;
    }

    /** Rows not ended yet, on any node, as the last poll counted them. */
    public long pending() {
        return pending;
    }

    /** Rows this node holds now: claimed, waiting their turn or being written. */
    public int held() {
        return held.size();
    }

    /** Polls ended (whether they reached the database or not): a test waits for the next one. */
    long polls() {
        return polls.get();
    }

    /** Whether a poll is running: the next one due now would be skipped. */
    boolean polling() {
        return polling.get();
    }

    /** One poll, unless the last one is still running: renew, claim, count. */
    void poll() {
        if (stopped || !polling.compareAndSet(false, true)) return;
        Instant now = time.clock().instant();
        Instant until = now.plus(options.lease());
        lastPoll = table.renew(node, List.copyOf(held.keySet()), until)
                .thenCompose(renewed -> table.claim(node, crms.keySet(), now, until, options.maxHeld() - held.size()))
                .thenCompose(claimed -> {
                    claimed.forEach(this::take);
                    return sweep(now);
                })
                .thenCompose(swept -> table.pending())
                .whenComplete((count, failure) -> {
                    if (failure == null) pending = count;
                    else pollFailures.warn("outbox of node {}: poll failed ({}); trying again every {} ms", LogText.safe(node),
                            Futures.unwrap(failure).getClass().getSimpleName(), options.poll().toMillis());
                    polls.incrementAndGet();
                    polling.set(false);
                });
    }

    private CompletableFuture<Integer> sweep(Instant now) {
        if (now.isBefore(nextSweep)) return CompletableFuture.completedFuture(0);
        nextSweep = now.plus(SWEEP_EVERY);
        return table.forgetEnded(now.minus(FORGET_AFTER));
    }

    private void take(OutboxTable.Claimed row) {
        CrmConnector crm = crms.get(row.crm());
        CrmWrite write;
        try {
            write = WriteJson.read(row.write());
        } catch (RuntimeException unreadable) {
            log.warn("outbox row {} of crm {}: write unreadable ({}); failed", row.id(), LogText.safe(row.crm()), LogText.safe(unreadable.getMessage()));
            table.end(row.id(), node, time.clock().instant(), OutboxTable.End.FAILED, Optional.empty(), Optional.of("unreadable write"));
            return;
        }
        Held action = new Held(row, write, crm);
        if (held.putIfAbsent(row.id(), action) != null) return; // claimed again after our own lease lapsed: already here
        lanes.computeIfAbsent(row.crm(), name -> new Lane()).add(action);
    }

    private void attempt(Lane lane, Held action) {
        OutboxTable.Claimed row = action.row();
        Instant now = time.clock().instant();
        if (!now.isBefore(row.deadline())) {
            finish(lane, action, ActionRecord.Result.GAVE_UP, Optional.empty(), row.lastError().orElse("not written within its retry-for"),
                    row.attempts());
            return;
        }
        if (row.interrupted() && !action.crm().retrySafe(action.write())) {
            finish(lane, action, ActionRecord.Result.FAILED, Optional.empty(), DIED_MID_WRITE, row.attempts());
            return;
        }
        table.begin(row.id(), node, now).whenComplete((began, failure) -> {
            // Not begun (the claim went to another node, or the database is away): the row waits for its next claim.
            if (failure != null || !began) forget(lane, action);
            else write(lane, action);
        });
    }

    private void write(Lane lane, Held action) {
        int attempts = action.row().attempts() + 1;
        Duration left = Duration.between(time.clock().instant(), action.row().deadline());
        CompletableFuture<WriteResult> write;
        try {
            write = action.crm().write(new WriteRequest(action.write(), left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left));
        } catch (RuntimeException bug) {
            write = CompletableFuture.failedFuture(bug);
        }
        write.whenComplete((result, error) -> {
            if (error == null) finish(lane, action, ActionRecord.Result.WRITTEN, Optional.of(result.id()), null, attempts);
            else failed(lane, action, Futures.unwrap(error), attempts);
        });
    }

    private void failed(Lane lane, Held action, Throwable error, int attempts) {
        if (!(error instanceof CrmException failure)) {
            finish(lane, action, ActionRecord.Result.FAILED, Optional.empty(), "unexpected failure: " + error.getClass().getSimpleName(), attempts);
            return;
        }
        String reason = failure.getMessage();
        Optional<String> notRetried = ActionQueue.whyNotRetried(failure, action.crm(), action.write());
        if (notRetried.isPresent()) {
            finish(lane, action, ActionRecord.Result.FAILED, Optional.empty(), notRetried.get(), attempts);
            return;
        }
        Instant now = time.clock().instant();
        Instant next = now.plus(ActionQueue.backoff(attempts, options.backoffMin(), options.backoffMax(), time.jitter().getAsDouble()));
        if (!next.isBefore(action.row().deadline())) {
            finish(lane, action, ActionRecord.Result.GAVE_UP, Optional.empty(), reason, attempts);
            return;
        }
        table.retryAt(action.row().id(), node, now, next, reason).whenComplete((ignored, failure2) -> forget(lane, action));
    }

    private void finish(Lane lane, Held action, ActionRecord.Result result, Optional<String> recordId, String error, int attempts) {
        OutboxTable.End end = result == ActionRecord.Result.WRITTEN ? OutboxTable.End.DONE
                : result == ActionRecord.Result.FAILED ? OutboxTable.End.FAILED : OutboxTable.End.GAVE_UP;
        OutboxTable.Claimed row = action.row();
        Instant now = time.clock().instant();
        table.end(row.id(), node, now, end, recordId, Optional.ofNullable(error)).whenComplete((ended, failure) -> {
            if (failure == null && ended) {
                listener.onAction(new ActionRecord(now, row.uniqueid(), row.route(), row.crm(), WriteKind.of(action.write()),
                        action.write().object(), recordId, result, attempts, Optional.ofNullable(error)));
            } else if (failure != null) {
                // The row stays claimed with its attempt begun: the next claim decides by retrySafe, as after a crash.
                log.warn("outbox row {} of crm {}: {} not recorded ({})", row.id(), LogText.safe(row.crm()), result.label(),
                        Futures.unwrap(failure).getClass().getSimpleName());
            }
            forget(lane, action);
        });
    }

    private void forget(Lane lane, Held action) {
        held.remove(action.row().id());
        lane.done();
    }

    /**
     * Stops claiming, lets the writes under way end within {@code drain} (real time), then lets go of every row
     * this node holds so the other nodes take them at once.
     */
    public void close(Duration drain) {
        halt();
        if (busy.get() == 0) idle.complete(null);
        try {
            idle.get(drain.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception outOfTime) {
            // what is still being written is released with the rest: its next claim decides by retrySafe
        }
        try {
            // A claim still running would otherwise take rows after the release, left to wait for the lease.
            lastPoll.handle((ignored, failure) -> null).get(RELEASE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            int released = table.release(node).get(RELEASE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (released > 0) log.info("outbox: node {} released {} actions to the other nodes", LogText.safe(node), released);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("outbox: node {} could not release its actions ({}); the others take them when its lease of {} s ends",
                    LogText.safe(node), Futures.unwrap(e).getClass().getSimpleName(), options.lease().toSeconds());
        }
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }

    /** Stops polling and starting writes, releasing nothing: what a node that dies leaves behind (and the first step of close). */
    void halt() {
        stopped = true;
        ScheduledFuture<?> running = poller;
        if (running != null) running.cancel(false);
    }

    private final class Lane {
        private final ArrayDeque<Held> queue = new ArrayDeque<>(); // guarded by this
        private int inFlight; // guarded by this
        // An attempt can end inside pump (a failed future): a pass in progress takes the next instead of recursing.
        private final AtomicInteger passes = new AtomicInteger();

        void add(Held action) {
            synchronized (this) {
                queue.addLast(action);
            }
            pump();
        }

        void pump() {
            if (passes.getAndIncrement() != 0) return;
            do {
                Held next;
                while ((next = take()) != null) attempt(this, next);
            } while (passes.decrementAndGet() != 0);
        }

        private synchronized Held take() {
            if (stopped || inFlight >= options.concurrency() || queue.isEmpty()) return null;
            inFlight++;
            busy.incrementAndGet();
            return queue.pollFirst();
        }

        void done() {
            synchronized (this) {
                inFlight--;
            }
            if (busy.decrementAndGet() == 0 && stopped) idle.complete(null);
            pump();
        }
    }

    /** A claimed row, its write and the CRM it goes to. */
    private record Held(OutboxTable.Claimed row, CrmWrite write, CrmConnector crm) {}
}
