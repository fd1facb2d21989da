package io.crmroute.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;

/**
 * The audit of write actions ({@code crm_action}), written as the decisions are ({@link AuditWriter}):
 * {@link #record} never blocks nor throws; rows wait through an outage and are written once.
 */
public final class ActionLog implements AutoCloseable {

    private static final String INSERT = "INSERT INTO crm_action (id, time, uniqueid, route, crm, kind, object, record_id, result,"
            + " attempts, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING";

    private final AuditWriter<ActionRow> writer;

    private ActionLog(AuditWriter<ActionRow> writer) {
        this.writer = writer;
    }

    public static ActionLog start(Database database, DecisionLog.Options options) {
        return start(database, options, StoreTime.system());
    }

    public static ActionLog start(Database database, DecisionLog.Options options, StoreTime time) {
        return new ActionLog(new AuditWriter<>("action rows", INSERT, ActionLog::bind, database, options, time).start());
    }

    /** Queues the row for writing; returns at once, whatever the database's state. */
    public void record(ActionRow row) {
        writer.record(row);
    }

    public DecisionLog.Counters counters() {
        return writer.counters();
    }

    private static void bind(PreparedStatement insert, ActionRow row) throws SQLException {
        insert.setObject(1, row.id());
        insert.setTimestamp(2, Timestamp.from(row.time()));
        insert.setString(3, row.uniqueid());
        insert.setString(4, row.route());
        insert.setString(5, row.crm());
        insert.setString(6, row.kind());
        insert.setString(7, row.object());
        insert.setString(8, row.recordId().orElse(null));
        insert.setString(9, row.result());
        insert.setInt(10, row.attempts());
        insert.setString(11, row.error().orElse(null));
    }

    /** Writes what is buffered, for up to {@code closeTimeout}. */
    @Override
    public void close() {
        writer.close();
    }
}
