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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit of call decisions. {@link #record} puts a row in a bounded buffer and returns: it never
 * blocks and never throws, so no call waits on the database. One writer thread takes batches (up to
 * {@code batchSize} rows, or what came within {@code flushEvery}) and inserts them; when the database
 * fails it keeps the batch and retries with back-off, so rows wait in the buffer through an outage and
 * are written when it ends. Each row's id is made when it is recorded and the insert skips ids already
 * there, so a batch retried after a commit whose answer was lost is not written twice. A full buffer
 * refuses the newest row (the older ones are the start of the outage, and each call's decision is also
 * in the log); every refused row is counted and reported in the log.
 */
public final class DecisionLog implements DecisionHistory, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DecisionLog.class);
    private static final String INSERT = "INSERT INTO call_decision (id, time, uniqueid, channel, caller, route, digits, crm,"
            + " value, record_count, status, rule, dest_type, dest, voicemail, crm_ms, error)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING";

    /** Buffer size, batch size and wait, retry back-off, and how long {@link #close} may spend writing what is left. */
    public record Options(int capacity, int batchSize, Duration flushEvery, Duration retryMin, Duration retryMax, Duration closeTimeout) {

        public static Options defaults() {
            return new Options(100_000, 500, Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofSeconds(5));
        }
    }

    /** For /metrics: rows recorded, written, refused because the buffer was full, and waiting now. */
    public record Counters(long recorded, long written, long dropped, long pending) {}

    private final Database database;
    private final Options options;
    private final BlockingQueue<DecisionRow> buffer;
    private final AtomicLong recorded = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    /** Counted before a row enters the buffer and after it is written, so it is never low, even mid-batch. */
    private final AtomicLong pending = new AtomicLong();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread writer;
    private volatile boolean accepting = true;
    private long droppedReported;
    private long lastDropReportNanos;

    private DecisionLog(Database database, Options options) {
        this.database = database;
        this.options = options;
        this.buffer = new ArrayBlockingQueue<>(options.capacity());
        this.writer = new Thread(this::write, "crmroute-decision-writer");
        this.writer.setDaemon(true);
    }

    public static DecisionLog start(Database database, Options options) {
        DecisionLog decisions = new DecisionLog(database, options);
        database.publishAuditCounts(() -> {
            Counters counters = decisions.counters();
            return new Database.AuditCounts(counters.pending(), counters.dropped());
        });
        decisions.writer.start();
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

    private void write() {
        List<DecisionRow> batch = new ArrayList<>(options.batchSize());
        Duration backoff = options.retryMin();
        long closeDeadline = Long.MAX_VALUE;
        boolean failing = false;
        while (true) {
            reportDrops();
            if (closing.getCount() == 0 && closeDeadline == Long.MAX_VALUE) closeDeadline = System.nanoTime() + options.closeTimeout().toNanos();
            if (batch.isEmpty()) {
                if (closing.getCount() == 0 && buffer.isEmpty()) return;
                if (!fill(batch)) continue;
            }
            try {
                if (!database.migrated()) throw new DatabaseUnavailableException("database not reached yet");
                insert(batch);
                written.addAndGet(batch.size());
                pending.addAndGet(-batch.size());
                batch.clear();
                if (failing) log.info("decision log writing again; {} rows waiting", counters().pending());
                failing = false;
                backoff = options.retryMin();
            } catch (Exception | Error e) {
                // Anything at all (pgjdbc even throws AssertionError on a connection cut mid-batch): the
                // writer must outlive it, keep the batch and try again.
                database.markDown(e);
                if (!failing) log.warn("decision log cannot write, keeping {} rows to retry: {}", counters().pending(), database.describe(e));
                failing = true;
                if (System.nanoTime() > closeDeadline) {
                    long lost = batch.size() + buffer.size();
                    dropped.addAndGet(lost);
                    buffer.clear();
                    pending.addAndGet(-lost);
                    log.error("decision log closed with the database down: {} decision rows not written", lost);
                    return;
                }
                awaitClosing(backoff);
                Duration doubled = backoff.multipliedBy(2);
                backoff = doubled.compareTo(options.retryMax()) > 0 ? options.retryMax() : doubled;
            }
        }
    }

    /** Takes the next batch: waits for a first row, then up to {@code flushEvery} for a full batch. */
    private boolean fill(List<DecisionRow> batch) {
        try {
            DecisionRow first = buffer.poll(options.flushEvery().toMillis(), TimeUnit.MILLISECONDS);
            if (first == null) return false;
            batch.add(first);
            long deadline = System.nanoTime() + options.flushEvery().toNanos();
            while (batch.size() < options.batchSize() && closing.getCount() > 0) {
                buffer.drainTo(batch, options.batchSize() - batch.size());
                long left = deadline - System.nanoTime();
                if (batch.size() >= options.batchSize() || left <= 0) break;
                DecisionRow next = buffer.poll(left, TimeUnit.NANOSECONDS);
                if (next != null) batch.add(next);
            }
            buffer.drainTo(batch, options.batchSize() - batch.size());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closing.countDown();
            return !batch.isEmpty();
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
        long now = System.nanoTime();
        if (droppedReported != 0 && now - lastDropReportNanos < TimeUnit.SECONDS.toNanos(10)) return;
        log.error("decision log buffer full ({} rows): {} decision rows not recorded so far ({} since the last report)",
                options.capacity(), total, total - droppedReported);
        droppedReported = total;
        lastDropReportNanos = now;
    }

    private void awaitClosing(Duration delay) {
        try {
            closing.await(delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops taking rows and writes what is buffered, for up to {@code closeTimeout}; what cannot be written is counted as dropped. */
    @Override
    public void close() {
        accepting = false;
        closing.countDown();
        try {
            writer.join(options.closeTimeout().toMillis() + options.retryMax().toMillis() + 5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reportDrops();
    }
}
