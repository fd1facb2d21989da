package io.crmroute.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The outbox of async write actions ({@code action_outbox}, migration V5): rows added in batches on the
 * store's executor ({@link #add} never blocks; a row the database does not take is handed back), claimed by
 * one node at a time for a lease ({@code FOR UPDATE SKIP LOCKED}: two nodes never claim the same row), and
 * ended by the node that holds the claim. Every time is a parameter, from the caller's clock, not the
 * database's {@code now()}. Each method runs its SQL on the store's executor and never blocks its caller.
 */
public final class OutboxTable {

    /** A row's end: {@code done} (written), {@code failed} or {@code gave_up}. */
    public enum End {
        DONE("done"), FAILED("failed"), GAVE_UP("gave_up");

        private final String state;

        End(String state) {
            this.state = state;
        }
    }

    /** A new row: one async action, its write as JSON, due at once, given up at {@code deadline}. */
    public record NewRow(UUID id, String crm, String route, String uniqueid, String callKey, String write, Instant createdAt,
                         Instant deadline) {
        public NewRow {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(crm, "crm");
            Objects.requireNonNull(write, "write");
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(deadline, "deadline");
            route = DecisionRow.bound(route == null ? "" : route, DecisionRow.MAX_TEXT);
            uniqueid = DecisionRow.bound(uniqueid == null ? "" : uniqueid, DecisionRow.MAX_TEXT);
        }
    }

    /**
     * A row claimed: when it fell due, {@code attempts} made so far, and {@code interrupted} when the last of them began and its end was
     * never recorded (the node writing it died or stopped mid-write).
     */
    public record Claimed(UUID id, String crm, String route, String uniqueid, String write, Instant due, Instant deadline, int attempts,
                          boolean interrupted, Optional<String> lastError) {}

    private static final int BATCH = 500;
    private static final String CLAIM = """
            UPDATE action_outbox SET claimed_by = ?, claimed_until = ?, updated_at = ?
            WHERE id IN (SELECT id FROM action_outbox
                         WHERE state = 'queued' AND next_attempt_at <= ? AND crm = ANY(?)
                           AND (claimed_until IS NULL OR claimed_until < ?)
                         ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED)
            RETURNING id, crm, route, uniqueid, write::text, next_attempt_at, deadline, attempts, in_flight, last_error""";

    private final Database database;
    private final Queue<Pending> toInsert = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean inserting = new AtomicBoolean();
    private volatile CompletableFuture<Void> lastInsert = CompletableFuture.completedFuture(null);

    private record Pending(NewRow row, Consumer<NewRow> notStored) {}

    public OutboxTable(Database database) {
        this.database = database;
    }

    /**
     * Queues {@code row} for the next batch insert; returns at once. If the database does not take it (down, closed),
     * {@code notStored} gets it back, on a store thread or this one.
     */
    public void add(NewRow row, Consumer<NewRow> notStored) {
        toInsert.add(new Pending(Objects.requireNonNull(row, "row"), Objects.requireNonNull(notStored, "notStored")));
        startInserting();
    }

    private void startInserting() {
        if (!inserting.compareAndSet(false, true)) return; // the running drain takes what was added
        lastInsert = database.call(connection -> {
            drain(connection);
            return null;
        }).handle((ignored, failure) -> {
            // No connection (down, not migrated yet, closed): nothing was inserted, every row waiting goes back.
            if (failure != null) handBack();
            inserting.set(false);
            if (!toInsert.isEmpty()) startInserting();
            return null;
        });
    }

    /** Waits up to {@code timeout} (real time) for the rows added so far to be inserted or handed back. */
    public void flush(Duration timeout) {
        try {
            lastInsert.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // handed back, or out of time
        }
    }

    private void drain(Connection connection) {
        while (true) {
            List<Pending> batch = new ArrayList<>();
            for (Pending next; batch.size() < BATCH && (next = toInsert.poll()) != null; ) batch.add(next);
            if (batch.isEmpty()) return;
            try {
                insert(connection, batch);
            } catch (SQLException | RuntimeException e) {
                if (Database.isConnectionFailure(e)) database.markDown(e);
                for (Pending pending : batch) pending.notStored().accept(pending.row());
            }
        }
    }

    private void handBack() {
        for (Pending pending; (pending = toInsert.poll()) != null; ) pending.notStored().accept(pending.row());
    }

    private static void insert(Connection connection, List<Pending> batch) throws SQLException {
        RouteStore.inTransaction(connection, () -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO action_outbox (id, crm, route, uniqueid, call_key, write, created_at, deadline, next_attempt_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING""")) {
                for (Pending pending : batch) {
                    NewRow row = pending.row();
                    Timestamp created = Timestamp.from(row.createdAt());
                    insert.setObject(1, row.id());
                    insert.setString(2, row.crm());
                    insert.setString(3, row.route());
                    insert.setString(4, row.uniqueid());
                    insert.setString(5, row.callKey());
                    insert.setString(6, row.write());
                    insert.setTimestamp(7, created);
                    insert.setTimestamp(8, Timestamp.from(row.deadline()));
                    insert.setTimestamp(9, created);
                    insert.setTimestamp(10, created);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    /**
     * Claims for {@code node} until {@code until} up to {@code limit} queued rows of {@code crms} due at {@code now}
     * whose last claim (if any) has ended; rows another node is claiming at the same moment are skipped, not waited for.
     */
    public CompletableFuture<List<Claimed>> claim(String node, Collection<String> crms, Instant now, Instant until, int limit) {
        if (limit <= 0 || crms.isEmpty()) return CompletableFuture.completedFuture(List.of());
        return database.call(connection -> {
            try (PreparedStatement claim = connection.prepareStatement(CLAIM)) {
                Timestamp at = Timestamp.from(now);
                Array names = connection.createArrayOf("text", crms.toArray());
                claim.setString(1, node);
                claim.setTimestamp(2, Timestamp.from(until));
                claim.setTimestamp(3, at);
                claim.setTimestamp(4, at);
                claim.setArray(5, names);
                claim.setTimestamp(6, at);
                claim.setInt(7, limit);
                List<Claimed> claimed = new ArrayList<>();
                try (ResultSet rows = claim.executeQuery()) {
                    while (rows.next()) {
                        claimed.add(new Claimed(rows.getObject(1, UUID.class), rows.getString(2), rows.getString(3), rows.getString(4),
                                rows.getString(5), rows.getTimestamp(6).toInstant(), rows.getTimestamp(7).toInstant(), rows.getInt(8),
                                rows.getBoolean(9), Optional.ofNullable(rows.getString(10))));
                    }
                }
                // RETURNING keeps no order: the oldest due first, as claimed.
                claimed.sort(Comparator.comparing(Claimed::due));
                return claimed;
            }
        });
    }

    /** Extends {@code node}'s claim of the rows {@code ids} it still holds to {@code until}; answers how many it holds. */
    public CompletableFuture<Integer> renew(String node, Collection<UUID> ids, Instant until) {
        if (ids.isEmpty()) return CompletableFuture.completedFuture(0);
        return database.call(connection -> {
            try (PreparedStatement renew = connection.prepareStatement(
                    "UPDATE action_outbox SET claimed_until = ? WHERE claimed_by = ? AND state = 'queued' AND id = ANY(?)")) {
                renew.setTimestamp(1, Timestamp.from(until));
                renew.setString(2, node);
                renew.setArray(3, connection.createArrayOf("uuid", ids.toArray()));
                return renew.executeUpdate();
            }
        });
    }

    /** Records that {@code node} begins an attempt of row {@code id}; false when it no longer holds the claim. */
    public CompletableFuture<Boolean> begin(UUID id, String node, Instant now) {
        return update(id, node, now, "attempts = attempts + 1, in_flight = true", statement -> {});
    }

    /**
     * Puts row {@code id} back in the queue, due at {@code at}, unclaimed (any node may take it then); false when
     * {@code node} no longer held it.
     */
    public CompletableFuture<Boolean> retryAt(UUID id, String node, Instant now, Instant at, String error) {
        return update(id, node, now, "in_flight = false, claimed_by = NULL, claimed_until = NULL, next_attempt_at = ?, last_error = ?",
                statement -> {
                    statement.setTimestamp(1, Timestamp.from(at));
                    statement.setString(2, bounded(error));
                });
    }

    /** Ends row {@code id} as {@code end}, with the record written or the error; false when {@code node} no longer held it. */
    public CompletableFuture<Boolean> end(UUID id, String node, Instant now, End end, Optional<String> recordId, Optional<String> error) {
        return update(id, node, now, "state = ?, in_flight = false, claimed_by = NULL, claimed_until = NULL, record_id = ?, last_error = ?",
                statement -> {
                    statement.setString(1, end.state);
                    statement.setString(2, recordId.map(OutboxTable::bounded).orElse(null));
                    statement.setString(3, error.map(OutboxTable::bounded).orElse(null));
                });
    }

    /** Lets go of every row {@code node} holds, so the other nodes take them at once; answers how many. */
    public CompletableFuture<Integer> release(String node) {
        return database.call(connection -> {
            try (PreparedStatement release = connection.prepareStatement(
                    "UPDATE action_outbox SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ? AND state = 'queued'")) {
                release.setString(1, node);
                return release.executeUpdate();
            }
        });
    }

    /** Removes the rows that ended before {@code before}; answers how many. */
    public CompletableFuture<Integer> forgetEnded(Instant before) {
        return database.call(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM action_outbox WHERE state <> 'queued' AND updated_at < ?")) {
                delete.setTimestamp(1, Timestamp.from(before));
                return delete.executeUpdate();
            }
        });
    }

    /** Rows not ended yet, whoever holds them. */
    public CompletableFuture<Long> pending() {
        return database.call(connection -> {
            try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM action_outbox WHERE state = 'queued'");
                 ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private CompletableFuture<Boolean> update(UUID id, String node, Instant now, String set, Binder binder) {
        return database.call(connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE action_outbox SET " + set
                    + ", updated_at = ? WHERE id = ? AND claimed_by = ? AND state = 'queued'")) {
                binder.bind(update);
                int next = (int) set.chars().filter(c -> c == '?').count() + 1;
                update.setTimestamp(next, Timestamp.from(now));
                update.setObject(next + 1, id);
                update.setString(next + 2, node);
                return update.executeUpdate() == 1;
            }
        });
    }

    private static String bounded(String text) {
        return text == null ? null : DecisionRow.bound(text, DecisionRow.MAX_ERROR);
    }
}
