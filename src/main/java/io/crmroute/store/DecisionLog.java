package io.crmroute.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
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
 * The audit of call decisions. {@link #record} puts a row in a bounded buffer and returns: it never
 * blocks and never throws, so no call waits on the database. A writer thread of its own inserts the
 * rows in batches of up to {@code batchSize}: at once when a batch is full, else every {@code
 * flushEvery}. When the database fails it keeps the batch and retries after a back-off that doubles up
 * to {@code retryMax}, so rows wait in the buffer through an outage and are written when it ends. When
 * to flush and retry comes from an injected {@link StoreTime}. Each row's id is made when it is
 * recorded and the insert skips ids already there, so a batch retried after a commit whose answer was
 * lost is not written twice. A full buffer refuses the newest row (the older ones are the start of the
 * outage, and each call's decision is also in the log); every refused row is counted and reported.
 */
public final class DecisionLog implements DecisionHistory, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DecisionLog.class);
    private static final String INSERT = "INSERT INTO call_decision (id, time, uniqueid, channel, caller, route, digits, crm,"
            + " value, record_count, status, rule, dest_type, dest, voicemail, crm_ms, error)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING";
    /** How long {@link #close} waits on the real clock beyond {@code closeTimeout}, should the writer hang. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    /** Buffer size, batch size and wait, retry back-off, and how long {@link #close} may spend writing what is left. */
    public record Options(int capacity, int batchSize, Duration flushEvery, Duration retryMin, Duration retryMax, Duration closeTimeout) {

        public static Options defaults() {
            return new Options(100_000, 500, Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofSeconds(5));
        }
    }

    /**
     * For /metrics and the shutdown drain: rows recorded, written, refused because the buffer was full,
     * and waiting now (after {@link #close}: the rows left unwritten).
     */
    public record Counters(long recorded, long written, long dropped, long pending) {}

    private final Database database;
    private final Options options;
    private final StoreTime time;
    private final BlockingQueue<DecisionRow> buffer;
    private final AtomicLong recorded = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    /** Counted before a row enters the buffer and after it is written, so it is never low, even mid-batch. */
    private final AtomicLong pending = new AtomicLong();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(Database.daemonThreads("crmroute-decision-writer"));
    private final AtomicBoolean drainQueued = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean accepting = true;
    private volatile ScheduledFuture<?> flusher;
    // Touched by the writer thread only:
    private final List<DecisionRow> batch = new ArrayList<>();
    private Duration backoff;
    private boolean failing;
    private boolean retryScheduled;
    private long droppedReported;
    private long lastDropReportNanos;

    private DecisionLog(Database database, Options options, StoreTime time) {
        this.database = database;
        this.options = options;
        this.time = time;
        this.buffer = new ArrayBlockingQueue<>(options.capacity());
        this.backoff = options.retryMin();
    }

    public static DecisionLog start(Database database, Options options) {
        return start(database, options, StoreTime.system());
    }

    /** As {@link #start(Database, Options)}, flushing and retrying on {@code time}. */
    public static DecisionLog start(Database database, Options options, StoreTime time) {
        DecisionLog decisions = new DecisionLog(database, options, time);
        database.publishAuditCounts(() -> {
            Counters counters = decisions.counters();
            return new Database.AuditCounts(counters.pending(), counters.dropped());
        });
        long every = options.flushEvery().toNanos();
        decisions.flusher = time.scheduler().scheduleWithFixedDelay(decisions::requestDrain, every, every, TimeUnit.NANOSECONDS);
        return decisions;
    }

    /** Queues the row for writing; returns at once, whatever the database's state. */
    public void record(DecisionRow row) {
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

    public Counters counters() {
        return new Counters(recorded.get(), written.get(), dropped.get(), pending.get());
    }

    @Override
    public CompletableFuture<List<DecisionRow>> query(DecisionFilter filter) {
        StringBuilder sql = new StringBuilder("SELECT * FROM call_decision WHERE true");
        List<Object> parameters = new ArrayList<>();
        filter.caller().ifPresent(caller -> condition(sql, parameters, " AND caller = ?", caller));
        filter.route().ifPresent(route -> condition(sql, parameters, " AND route = ?", route));
        filter.status().ifPresent(status -> condition(sql, parameters, " AND status = ?", status));
        filter.from().ifPresent(from -> condition(sql, parameters, " AND time >= ?", Timestamp.from(from)));
        filter.to().ifPresent(to -> condition(sql, parameters, " AND time < ?", Timestamp.from(to)));
        sql.append(" ORDER BY time DESC, id LIMIT ").append(filter.limit());
        return database.call(connection -> {
            try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
                for (int i = 0; i < parameters.size(); i++) select.setObject(i + 1, parameters.get(i));
                List<DecisionRow> rows = new ArrayList<>();
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) rows.add(read(result));
                }
                return rows;
            }
        });
    }

    private static void condition(StringBuilder sql, List<Object> parameters, String clause, Object value) {
        sql.append(clause);
        parameters.add(value);
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
            if (failing) log.info("decision log writing again; {} rows waiting", counters().pending());
            failing = false;
            backoff = options.retryMin();
            return true;
        } catch (Exception | Error e) {
            // Anything at all (pgjdbc even throws AssertionError on a connection cut mid-batch): the
            // writer must outlive it, keep the batch and try again.
            database.markDown(e);
            if (!failing) log.warn("decision log cannot write, keeping {} rows to retry: {}", counters().pending(), database.describe(e));
            failing = true;
            return false;
        }
    }

    private void insert(List<DecisionRow> batch) throws SQLException {
        database.callBlocking(connection -> RouteStore.inTransaction(connection, () -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                for (DecisionRow row : batch) {
                    bind(insert, row);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        }));
    }

    private static void bind(PreparedStatement insert, DecisionRow row) throws SQLException {
        insert.setObject(1, row.id());
        insert.setTimestamp(2, Timestamp.from(row.time()));
        insert.setString(3, row.uniqueid());
        insert.setString(4, row.channel());
        insert.setString(5, row.caller());
        insert.setString(6, row.route());
        insert.setString(7, row.digits());
        insert.setString(8, row.crm());
        insert.setString(9, row.value().orElse(null));
        if (row.recordCount().isPresent()) insert.setInt(10, row.recordCount().get()); else insert.setNull(10, Types.INTEGER);
        insert.setString(11, row.status());
        insert.setString(12, row.rule());
        insert.setString(13, row.destType().orElse(null));
        insert.setString(14, row.dest().orElse(null));
        insert.setBoolean(15, row.voicemail());
        if (row.crmMillis().isPresent()) insert.setLong(16, row.crmMillis().get()); else insert.setNull(16, Types.BIGINT);
        insert.setString(17, row.error().orElse(null));
    }

    private static DecisionRow read(ResultSet result) throws SQLException {
        int records = result.getInt("record_count");
        Optional<Integer> recordCount = result.wasNull() ? Optional.empty() : Optional.of(records);
        long millis = result.getLong("crm_ms");
        Optional<Long> crmMillis = result.wasNull() ? Optional.empty() : Optional.of(millis);
        return new DecisionRow(result.getObject("id", UUID.class), result.getTimestamp("time").toInstant(),
                result.getString("uniqueid"), result.getString("channel"), result.getString("caller"), result.getString("route"),
                result.getString("digits"), result.getString("crm"), Optional.ofNullable(result.getString("value")), recordCount,
                result.getString("status"), result.getString("rule"), Optional.ofNullable(result.getString("dest_type")),
                Optional.ofNullable(result.getString("dest")), result.getBoolean("voicemail"), crmMillis,
                Optional.ofNullable(result.getString("error")));
    }

    /** Logs refused rows: the first at once, then at most one line every ten seconds with the total. */
    private void reportDrops() {
        long total = dropped.get();
        if (total == droppedReported) return;
        long now = time.nanoTime();
        if (droppedReported != 0 && now - lastDropReportNanos < TimeUnit.SECONDS.toNanos(10)) return;
        log.error("decision log buffer full ({} rows): {} decision rows not recorded so far ({} since the last report)",
                options.capacity(), total, total - droppedReported);
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
            log.warn("decision log writer did not finish in time: {}", e.toString());
        }
        long left = pending.get();
        if (left > 0) log.error("decision log closed with {} decision rows not written", left);
    }
}
