package io.crmroute.cluster;

import io.crmroute.logging.LogText;
import io.crmroute.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's row in {@code cluster_node}, renewed every heartbeat, and what the last heartbeat read of
 * every node's. A node silent for {@value #MISSED_BEATS} of its own heartbeats is down; the live ones
 * share each CRM's rate budget. While the database cannot be reached the last view is kept, so a node
 * goes on with the node count it last knew.
 */
final class Membership implements AutoCloseable {

    static final int MISSED_BEATS = 3;
    // Rows of nodes silent this long, and rate windows this old, are removed by whichever node beats.
    private static final Duration FORGET_AFTER = Duration.ofDays(1);
    private static final Duration RATE_WINDOWS_KEPT = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(Membership.class);

    private final Database database;
    private final NodeIdentity self;
    private final Duration heartbeat;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Executor jdbc;
    private final Instant startedAt;
    private volatile List<NodeStatus> nodes;
    private volatile boolean lastBeatFailed;
    private volatile ScheduledFuture<?> beats;

    Membership(Database database, NodeIdentity self, Duration heartbeat, Clock clock, ScheduledExecutorService scheduler, Executor jdbc) {
        this.database = database;
        this.self = self;
        this.heartbeat = heartbeat;
        this.clock = clock;
        this.scheduler = scheduler;
        this.jdbc = jdbc;
        this.startedAt = clock.instant();
        this.nodes = List.of(new NodeStatus(self.id(), self.version(), startedAt, startedAt, heartbeat, true));
    }

    /** Beats now and every {@code heartbeat} after, on the JDBC executor (never on the scheduler's thread). */
    void start() {
        beats = scheduler.scheduleAtFixedRate(() -> {
            try {
                jdbc.execute(this::beat);
            } catch (RejectedExecutionException closed) {
                // stopping
            }
        }, 0, heartbeat.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Every node the last heartbeat read, with {@code up} judged now. */
    List<NodeStatus> nodes() {
        Instant now = clock.instant();
        return nodes.stream()
                .map(node -> NodeStatus.seen(node.id(), node.version(), node.startedAt(), node.lastHeartbeat(), node.heartbeat(), now))
                .toList();
    }

    /** The nodes up now, this one included: at least 1. */
    int liveNodes() {
        return (int) Math.max(1, nodes().stream().filter(node -> node.up() || node.id().equals(self.id())).count());
    }

    NodeIdentity self() {
        return self;
    }

    /** Writes this node's heartbeat and reads every node's; blocking, on the JDBC executor. */
    void beat() {
        Instant now = clock.instant();
        try {
            nodes = database.callBlocking(connection -> {
                try (PreparedStatement upsert = connection.prepareStatement("""
                        INSERT INTO cluster_node (id, version, started_at, last_heartbeat, heartbeat_ms) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, started_at = EXCLUDED.started_at,
                            last_heartbeat = EXCLUDED.last_heartbeat, heartbeat_ms = EXCLUDED.heartbeat_ms""")) {
                    upsert.setString(1, self.id());
                    upsert.setString(2, self.version());
                    upsert.setTimestamp(3, Timestamp.from(startedAt));
                    upsert.setTimestamp(4, Timestamp.from(now));
                    upsert.setLong(5, heartbeat.toMillis());
                    upsert.executeUpdate();
                }
                forget(connection, "DELETE FROM cluster_node WHERE last_heartbeat < ?", now.minus(FORGET_AFTER));
                forget(connection, "DELETE FROM cluster_rate WHERE ends_at < ?", now.minus(RATE_WINDOWS_KEPT));
                List<NodeStatus> read = new ArrayList<>();
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT id, version, started_at, last_heartbeat, heartbeat_ms FROM cluster_node ORDER BY id");
                     ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        read.add(NodeStatus.seen(rows.getString(1), rows.getString(2), rows.getTimestamp(3).toInstant(),
                                rows.getTimestamp(4).toInstant(), Duration.ofMillis(rows.getLong(5)), now));
                    }
                }
                return List.copyOf(read);
            });
            if (lastBeatFailed) log.info("node {}: heartbeat written again", LogText.safe(self.id()));
            lastBeatFailed = false;
        } catch (SQLException | RuntimeException e) {
            if (!lastBeatFailed) {
                log.warn("node {}: heartbeat not written ({}); sharing budgets as {} live nodes until it is",
                        LogText.safe(self.id()), e.getClass().getSimpleName(), liveNodes());
            }
            lastBeatFailed = true;
        }
    }

    private static void forget(java.sql.Connection connection, String sql, Instant before) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
            delete.setTimestamp(1, Timestamp.from(before));
            delete.executeUpdate();
        }
    }

    /** Schedules no more heartbeats (one already handed to the JDBC executor still runs). */
    void stopBeating() {
        ScheduledFuture<?> running = beats;
        if (running != null) running.cancel(false);
    }

    /** Stops beating and removes this node's row, so the others take its share at once. */
    @Override
    public void close() {
        stopBeating();
        try {
            database.callBlocking(connection -> {
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM cluster_node WHERE id = ?")) {
                    delete.setString(1, self.id());
                    return delete.executeUpdate();
                }
            });
        } catch (SQLException | RuntimeException e) {
            log.info("node {}: row not removed ({}); the others see it down after {} heartbeats",
                    LogText.safe(self.id()), e.getClass().getSimpleName(), MISSED_BEATS);
        }
    }
}
