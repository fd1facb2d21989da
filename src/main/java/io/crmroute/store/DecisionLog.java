package io.crmroute.store;

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
import java.util.concurrent.CompletableFuture;

/**
 * The audit of call decisions ({@code call_decision}), written by an {@link AuditWriter}: {@link #record}
 * never blocks nor throws, so no call waits on the database; rows wait in a bounded buffer through an outage
 * and are written in batches when it ends, never twice.
 */
public final class DecisionLog implements DecisionHistory, AutoCloseable {

    private static final String INSERT = "INSERT INTO call_decision (id, time, uniqueid, channel, caller, route, digits, crm,"
            + " value, record_count, status, rule, dest_type, dest, voicemail, crm_ms, error)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING";

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
    private final AuditWriter<DecisionRow> writer;

    private DecisionLog(Database database, AuditWriter<DecisionRow> writer) {
        this.database = database;
        this.writer = writer;
    }

    public static DecisionLog start(Database database, Options options) {
        return start(database, options, StoreTime.system());
    }

    /** As {@link #start(Database, Options)}, flushing and retrying on {@code time}. */
    public static DecisionLog start(Database database, Options options, StoreTime time) {
        DecisionLog decisions = new DecisionLog(database,
                new AuditWriter<>("decision rows", INSERT, DecisionLog::bind, database, options, time));
        database.publishAuditCounts(() -> {
            Counters counters = decisions.counters();
            return new Database.AuditCounts(counters.pending(), counters.dropped());
        });
        decisions.writer.start();
        return decisions;
    }

    /** Queues the row for writing; returns at once, whatever the database's state. */
    public void record(DecisionRow row) {
        writer.record(row);
    }

    public Counters counters() {
        return writer.counters();
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

    /**
     * Stops taking rows and writes what is buffered, retrying for up to {@code closeTimeout} on the
     * store's time; {@link #counters()} then says how many were written and how many are left
     * ({@code pending}).
     */
    @Override
    public void close() {
        writer.close();
    }
}
