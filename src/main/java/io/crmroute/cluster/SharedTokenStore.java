package io.crmroute.cluster;

import io.crmroute.crm.TokenStore;
import io.crmroute.logging.LogText;
import io.crmroute.logging.RepeatedWarning;
import io.crmroute.store.Database;
import io.crmroute.store.DatabaseUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One CRM's credential in {@code cluster_token}, sealed by {@link SecretBox}. A node that needs a new one
 * takes the CRM's advisory lock ({@code pg_advisory_xact_lock}, one refresh at a time for the cluster),
 * reads the row again (another node may just have refreshed: then it uses that one), fetches only if it
 * is still unusable and writes the new one before the lock goes with the transaction. Nodes waiting for
 * the lock (at most {@code lockWait}) read the new token when they get it. While the database cannot be
 * reached the node fetches on its own, from the newest credential it has seen.
 */
final class SharedTokenStore implements TokenStore {

    private static final Logger log = LoggerFactory.getLogger(SharedTokenStore.class);
    private static final Duration FETCH_WAIT = Duration.ofMinutes(2);

    private final String crm;
    private final Database database;
    private final SecretBox box;
    private final String nodeId;
    private final Clock clock;
    private final Executor jdbc;
    private final Duration lockWait;
    private final RepeatedWarning unreadable;
    private volatile String newest; // what this node last saw, for when the database is down

    SharedTokenStore(String crm, Database database, SecretBox box, String nodeId, Clock clock, Executor jdbc, Duration lockWait) {
        this.crm = crm;
        this.database = database;
        this.box = box;
        this.nodeId = nodeId;
        this.clock = clock;
        this.jdbc = jdbc;
        this.lockWait = lockWait;
        this.unreadable = RepeatedWarning.every(Duration.ofMinutes(5), log);
    }

    @Override
    public CompletableFuture<String> newest(Predicate<String> usable, Function<Optional<String>, CompletableFuture<String>> fetch) {
        return CompletableFuture.supplyAsync(() -> {
            FetchOnce once = new FetchOnce(fetch);
            try {
                String token = database.callBlocking(connection -> inTransaction(connection, usable, once));
                newest = token;
                return token;
            } catch (SQLException | DatabaseUnavailableException e) {
                if (once.fetched != null) { // spent the old credential: keep the new one, at least here
                    newest = once.fetched;
                    log.warn("crm {}: new token not stored in the database ({}); this node keeps it", LogText.safe(crm),
                            e.getClass().getSimpleName());
                    return once.fetched;
                }
                if (!(e instanceof DatabaseUnavailableException)) throw new CompletionException(e); // e.g. the lock wait ran out
                String seen = newest;
                if (seen != null && usable.test(seen)) return seen;
                log.warn("crm {}: database unavailable, fetching a token on this node alone", LogText.safe(crm));
                newest = once.apply(Optional.ofNullable(seen));
                return newest;
            }
        }, jdbc);
    }

    private String inTransaction(Connection connection, Predicate<String> usable, FetchOnce fetch) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            try (PreparedStatement wait = connection.prepareStatement("SELECT set_config('lock_timeout', ?, true)")) {
                wait.setString(1, lockWait.toMillis() + "ms");
                wait.execute();
            }
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
                lock.setString(1, "crmroute.token/" + crm);
                lock.execute();
            }
            Optional<String> stored = read(connection);
            if (stored.isPresent() && usable.test(stored.get())) {
                connection.commit();
                return stored.get();
            }
            String fresh = fetch.apply(stored.isPresent() ? stored : Optional.ofNullable(newest));
            try (PreparedStatement write = connection.prepareStatement("""
                    INSERT INTO cluster_token (crm, sealed, updated_by, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (crm) DO UPDATE SET sealed = EXCLUDED.sealed, updated_by = EXCLUDED.updated_by,
                        updated_at = EXCLUDED.updated_at""")) {
                write.setString(1, crm);
                write.setBytes(2, box.seal(fresh, crm));
                write.setString(3, nodeId);
                write.setTimestamp(4, Timestamp.from(clock.instant()));
                write.executeUpdate();
            }
            connection.commit();
            return fresh;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private Optional<String> read(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT sealed FROM cluster_token WHERE crm = ?")) {
            select.setString(1, crm);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) return Optional.empty();
                Optional<String> opened = box.open(row.getBytes(1), crm);
                if (opened.isEmpty()) {
                    unreadable.warn("crm {}: the stored token does not open with {} (another key?); fetching a new one",
                            LogText.safe(crm), SecretBox.VARIABLE);
                }
                return opened;
            }
        }
    }

    /** The fetch, run at most once per {@link #newest} and waited for here (this thread may block). */
    private static final class FetchOnce {
        private final Function<Optional<String>, CompletableFuture<String>> fetch;
        String fetched;

        FetchOnce(Function<Optional<String>, CompletableFuture<String>> fetch) {
            this.fetch = fetch;
        }

        String apply(Optional<String> previous) {
            if (fetched != null) return fetched;
            try {
                fetched = fetch.apply(previous).get(FETCH_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                if (fetched == null) throw new IllegalStateException("token fetch answered nothing");
                return fetched;
            } catch (ExecutionException e) {
                throw new CompletionException(e.getCause());
            } catch (TimeoutException e) {
                throw new CompletionException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(e);
            }
        }
    }
}
