package io.crmroute.store;

import io.crmroute.concurrent.DaemonThreads;
import io.crmroute.crm.Secrets;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.crmroute.config.DatabaseSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL connection: a HikariCP pool, the schema migrated by Flyway, and a small executor of its
 * own on which every blocking JDBC call runs. The database may be down when crmroute starts: {@link
 * #connect} returns at once and keeps trying in the background; {@link #state()} says how it is going.
 */
public final class Database implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Database.class);

    /** What /health shows: whether the database answers, its last error, and the audit buffer. */
    public record State(boolean up, Optional<String> lastError, long pendingAuditRows, long droppedAuditRows) {}

    /** Pool size, store threads, how long to wait for a connection, and the back-off between start attempts. */
    public record Options(int poolSize, int threads, Duration connectTimeout, Duration retryMin, Duration retryMax) {

        public static Options defaults() {
            return new Options(4, 2, Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofSeconds(30));
        }
    }

    /** The audit counters the decision log publishes here for {@link #state()}. */
    record AuditCounts(long pending, long dropped) {}

    private final DatabaseSettings settings;
    private final Options options;
    private final StoreTime time;
    private final HikariDataSource pool;
    private final ExecutorService executor;
    private final CompletableFuture<Database> ready = new CompletableFuture<>();
    private volatile boolean migrated;
    private volatile boolean up;
    private volatile String lastError;
    private volatile boolean closed;
    private volatile Supplier<AuditCounts> audit = () -> new AuditCounts(0, 0);

    private Database(DatabaseSettings settings, Options options, StoreTime time) {
        this.settings = settings;
        this.options = options;
        this.time = time;
        this.pool = new HikariDataSource(poolConfig(settings, options));
        this.executor = Executors.newFixedThreadPool(options.threads(), DaemonThreads.named("crmroute-db"));
    }

    public static Database connect(DatabaseSettings settings) {
        return connect(settings, Options.defaults());
    }

    /** Starts the pool and the first migration attempt; never fails for an unreachable database. */
    public static Database connect(DatabaseSettings settings, Options options) {
        return connect(settings, options, StoreTime.system());
    }

    /** As above, retrying the first connection after back-offs on {@code time}. */
    public static Database connect(DatabaseSettings settings, Options options, StoreTime time) {
        Database database = new Database(settings, options, time);
        database.migrateLater(Duration.ZERO, options.retryMin());
        return database;
    }

    public State state() {
        AuditCounts counts = audit.get();
        return new State(up, Optional.ofNullable(lastError), counts.pending(), counts.dropped());
    }

    /** Completes once the schema is migrated, i.e. the first time the database was reachable. */
    public CompletableFuture<Database> whenReady() {
        return ready.thenApply(database -> database);
    }

    public DatabaseSettings settings() {
        return settings;
    }

    /** Runs {@code work} on the store's executor; fails with {@link DatabaseUnavailableException} when down. */
    <T> CompletableFuture<T> call(SqlWork<T> work) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return callBlocking(work);
                } catch (SQLException e) {
                    throw new CompletionException(e);
                }
            }, executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new DatabaseUnavailableException("database is closed"));
        }
    }

    /**
     * Runs {@code work} on the calling thread, which must be one of the store's own or another that may
     * block (the cluster package's); fails with {@link DatabaseUnavailableException} when down.
     */
    public <T> T callBlocking(SqlWork<T> work) throws SQLException {
        if (!migrated) {
            throw new DatabaseUnavailableException("database unavailable" + (lastError == null ? "" : ": " + lastError));
        }
        try (Connection connection = pool.getConnection()) {
            T result = work.apply(connection);
            markUp();
            return result;
        } catch (SQLException e) {
            if (isConnectionFailure(e)) {
                markDown(e);
                throw new DatabaseUnavailableException("database unavailable: " + describe(e));
            }
            throw e;
        }
    }

    boolean migrated() {
        return migrated;
    }

    void publishAuditCounts(Supplier<AuditCounts> counts) {
        this.audit = counts;
    }

    void markUp() {
        if (!up && migrated) log.info("database {} is up", settings.shownUrl());
        up = migrated;
    }

    void markDown(Throwable failure) {
        String reason = describe(failure);
        if (up || lastError == null) log.warn("database {} is down: {}", settings.shownUrl(), reason);
        up = false;
        lastError = reason;
    }

    /** The failure's message with the password masked: it goes to logs and /health. */
    String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getMessage() == null) root = root.getCause();
        // One line for logs and /health: Flyway's messages come as framed blocks.
        String message = (root.getClass().getSimpleName() + ": " + root.getMessage()).replaceAll("-{5,}", " ").replaceAll("\\s+", " ");
        String password = settings.password();
        return password == null ? message : Secrets.mask(message, java.util.Set.of(password));
    }

    static boolean isConnectionFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof DatabaseUnavailableException) return true;
            if (t instanceof SQLException) {
                String state = ((SQLException) t).getSQLState();
                // 08: connection exception; 57P01-03: server shutting down or starting up.
                if (state != null && (state.startsWith("08") || state.startsWith("57P"))) return true;
            }
            if (t instanceof java.io.IOException) return true;
        }
        return false;
    }

    private void migrateLater(Duration delay, Duration nextDelay) {
        if (closed) return;
        Runnable attempt = () -> {
            try {
                executor.execute(() -> migrate(nextDelay));
            } catch (RejectedExecutionException e) {
                // Closed while waiting: nothing left to migrate for.
            }
        };
        if (delay.isZero()) attempt.run();
        else time.scheduler().schedule(attempt, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void migrate(Duration nextDelay) {
        if (closed) return;
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration").placeholderReplacement(false).load().migrate();
            migrated = true;
            markUp();
            log.info("database {} migrated", settings.shownUrl());
            ready.complete(this);
        } catch (RuntimeException e) {
            markDown(e);
            Duration following = nextDelay.multipliedBy(2);
            migrateLater(nextDelay, following.compareTo(options.retryMax()) > 0 ? options.retryMax() : following);
        }
    }

    @Override
    public void close() {
        closed = true;
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.close();
        up = false;
    }

    private static HikariConfig poolConfig(DatabaseSettings settings, Options options) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("crmroute-db");
        config.setJdbcUrl(settings.url()); // the real one: the shown one has secret-looking parameters masked
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(options.poolSize());
        config.setMinimumIdle(1);
        // Start without the database: connections are made when first needed and retried after.
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(Math.max(250, options.connectTimeout().toMillis()));
        config.setValidationTimeout(Math.max(250, Math.min(1000, options.connectTimeout().toMillis())));
        config.addDataSourceProperty("connectTimeout", Math.max(1, options.connectTimeout().toSeconds()));
        config.addDataSourceProperty("socketTimeout", 30);
        config.addDataSourceProperty("tcpKeepAlive", true);
        config.addDataSourceProperty("reWriteBatchedInserts", true);
        config.addDataSourceProperty("ApplicationName", "crmroute");
        return config;
    }
}
