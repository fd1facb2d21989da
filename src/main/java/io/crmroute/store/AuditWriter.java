package io.crmroute.store;

import io.crmroute.concurrent.DaemonThreads;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machinery of an audit table ({@link DecisionLog}, {@link ActionLog}). {@link #record} puts a row in a
 * bounded buffer and returns: it never blocks and never throws, so no call waits on the database. A writer
 * thread of its own inserts the rows in batches of up to {@code batchSize}: at once when a batch is full, else
 * every {@code flushEvery}. When the database fails it keeps the batch and retries after a back-off that
 * doubles up to {@code retryMax}, so rows wait in the buffer through an outage and are written when it ends.
 * When to flush and retry comes from an injected {@link StoreTime}. Each row's id is made when it is recorded
 * and the insert skips ids already there ({@code ON CONFLICT (id) DO NOTHING}), so a batch retried after a
 * commit whose answer was lost is not written twice. A full buffer refuses the newest row (the older ones are
 * the start of the outage, and each row is also in the log); every refused row is counted and reported.
 */
final class AuditWriter<R> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AuditWriter.class);
    /** How long {@link #close} waits on the real clock beyond {@code closeTimeout}, should the writer hang. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    /** Binds one row to the insert's parameters. */
    @FunctionalInterface
    interface Binder<R> {
        void bind(PreparedStatement insert, R row) throws SQLException;
    }

    private final String what;
    private final String insertSql;
    private final Binder<R> binder;
    private final Database database;
    private final DecisionLog.Options options;
    private final StoreTime time;
    private final BlockingQueue<R> buffer;
    private final AtomicLong recorded = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    /** Counted before a row enters the buffer and after it is written, so it is never low, even mid-batch. */
    private final AtomicLong pending = new AtomicLong();
    private final ExecutorService writer;
    private final AtomicBoolean drainQueued = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean accepting = true;
    private volatile ScheduledFuture<?> flusher;
    // Touched by the writer thread only:
    private final List<R> batch = new ArrayList<>();
    private Duration backoff;
    private boolean failing;
    private boolean retryScheduled;
    private long droppedReported;
    private long lastDropReportNanos;

    /** @param what the rows, in log lines ("decision rows", "action rows") */
    AuditWriter(String what, String insertSql, Binder<R> binder, Database database, DecisionLog.Options options, StoreTime time) {
        this.what = what;
        this.insertSql = insertSql;
        this.binder = binder;
        this.database = database;
        this.options = options;
        this.time = time;
        this.buffer = new ArrayBlockingQueue<>(options.capacity());
        this.backoff = options.retryMin();
        this.writer = Executors.newSingleThreadExecutor(DaemonThreads.named("crmroute-audit-writer"));
    }

    /** Starts flushing every {@code flushEvery}. */
    AuditWriter<R> start() {
        long every = options.flushEvery().toNanos();
        flusher = time.scheduler().scheduleWithFixedDelay(this::requestDrain, every, every, TimeUnit.NANOSECONDS);
        return this;
    }

    /** Queues the row for writing; returns at once, whatever the database's state. */
    void record(R row) {
        try {
            if (row == null) return;
            recorded.incrementAndGet();
            pending.incrementAndGet();
            if (!accepting || !buffer.offer(row)) {
                pending.decrementAndGet();
                dropped.incrementAndGet();
            } else if (buffer.size() >= options.batchSize()) {
                requestDrain();
            }
        } catch (RuntimeException e) {
            dropped.incrementAndGet();
        }
    }

    DecisionLog.Counters counters() {
        return new DecisionLog.Counters(recorded.get(), written.get(), dropped.get(), pending.get());
    }

    /** Asks the writer to write what is buffered; one request waits at a time. */
    private void requestDrain() {
        if (drainQueued.compareAndSet(false, true)) onWriter(() -> {
            drainQueued.set(false);
            drain();
        });
    }

    private void onWriter(Runnable work) {
        try {
            writer.execute(work);
        } catch (RejectedExecutionException closedAlready) {
            // closed: the final drain has written what it could
        }
    }

    /** Writes every buffered row, batch by batch, unless waiting to retry; on a failure sets the retry. */
    private void drain() {
        reportDrops();
        if (retryScheduled) return;
        while (nextBatch()) {
            if (!writeBatch()) {
                retryScheduled = true;
                Duration wait = nextBackoff();
                time.scheduler().schedule(() -> onWriter(() -> {
                    retryScheduled = false;
                    drain();
                }), wait.toNanos(), TimeUnit.NANOSECONDS);
                return;
            }
        }
    }

    /** The close's drain: retries until everything is written or {@code deadline} passes on the store's time. */
    private void drainBefore(long deadline) {
        while (nextBatch()) {
            if (writeBatch()) continue;
            long left = deadline - time.nanoTime();
            if (left <= 0) return;
            Duration wait = nextBackoff();
            try {
                time.after(wait.compareTo(Duration.ofNanos(left)) < 0 ? wait : Duration.ofNanos(left)).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                return;
            }
        }
    }

    /** True when there is a batch to write: the one kept from a failure, or up to batchSize new rows. */
    private boolean nextBatch() {
        if (batch.isEmpty()) buffer.drainTo(batch, options.batchSize());
        return !batch.isEmpty();
    }

    private Duration nextBackoff() {
        Duration wait = backoff;
        Duration doubled = backoff.multipliedBy(2);
        backoff = doubled.compareTo(options.retryMax()) > 0 ? options.retryMax() : doubled;
        return wait;
    }

    /** Inserts the batch; false, with the batch kept, when the database fails. */
    private boolean writeBatch() {
        try {
            if (!database.migrated()) throw new DatabaseUnavailableException("database not reached yet");
            insert(batch);
            written.addAndGet(batch.size());
            pending.addAndGet(-batch.size());
            batch.clear();
            if (failing) log.info("audit of {} writing again; {} rows waiting", what, counters().pending());
            failing = false;
            backoff = options.retryMin();
            return true;
        } catch (Exception | Error e) {
            // Anything at all (pgjdbc even throws AssertionError on a connection cut mid-batch): the
            // writer must outlive it, keep the batch and try again.
            database.markDown(e);
            if (!failing) log.warn("audit of {} cannot write, keeping {} rows to retry: {}", what, counters().pending(), database.describe(e));
            failing = true;
            return false;
        }
    }

    private void insert(List<R> batch) throws SQLException {
        database.callBlocking(connection -> RouteStore.inTransaction(connection, () -> {
            try (PreparedStatement insert = connection.prepareStatement(insertSql)) {
                for (R row : batch) {
                    binder.bind(insert, row);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        }));
    }

    /** Logs refused rows: the first at once, then at most one line every ten seconds with the total. */
    private void reportDrops() {
        long total = dropped.get();
        if (total == droppedReported) return;
        long now = time.nanoTime();
        if (droppedReported != 0 && now - lastDropReportNanos < TimeUnit.SECONDS.toNanos(10)) return;
        log.error("audit buffer full ({} rows): {} {} not recorded so far ({} since the last report)",
                options.capacity(), total, what, total - droppedReported);
        droppedReported = total;
        lastDropReportNanos = now;
    }

    /**
     * Stops taking rows and writes what is buffered, retrying for up to {@code closeTimeout} on the
     * store's time; {@link #counters()} then says how many were written and how many are left
     * ({@code pending}).
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        accepting = false;
        ScheduledFuture<?> flushing = flusher;
        if (flushing != null) flushing.cancel(false);
        long deadline = time.nanoTime() + options.closeTimeout().toNanos();
        CompletableFuture<Void> drained = new CompletableFuture<>();
        onWriter(() -> {
            try {
                drainBefore(deadline);
                reportDrops();
            } finally {
                drained.complete(null);
            }
        });
        writer.shutdown();
        try {
            drained.get(options.closeTimeout().plus(CLOSE_GRACE).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("audit writer of {} did not finish in time: {}", what, e.toString());
        }
        long left = pending.get();
        if (left > 0) log.error("audit closed with {} {} not written", left, what);
    }
}
