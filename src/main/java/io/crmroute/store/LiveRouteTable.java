package io.crmroute.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmroute.config.RouteParseResult;
import io.crmroute.route.Route;
import io.crmroute.route.RouteTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes calls are served from, kept in step with the database. Calls read an immutable snapshot
 * (one volatile read), so a call keeps the route it started with. A listener thread of its own holds a
 * connection that LISTENs on {@code crmroute_routes}; in case a notification is lost, the route
 * revision is also polled every {@code pollInterval} of the injected {@link StoreTime}, which also
 * times the listener's reconnects. On a change it loads every route and compiles the ones
 * whose version changed. A route that does not compile is skipped with an error logged, and its last
 * good version stays. While the database is down the last snapshot is served; before it was ever
 * reached, the last snapshot file written (if any), else the config's routes.
 */
public final class LiveRouteTable implements RouteTable, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LiveRouteTable.class);
    static final String CHANNEL = "crmroute_routes";
    /** How long the listener waits for a notification before checking whether it was closed. */
    private static final int WAKE_MILLIS = 1000;

    /** How often to poll without a notification, and where to keep the last good routes across restarts. */
    public record Options(Duration pollInterval, Optional<Path> snapshotFile) {

        public static Options defaults() {
            return new Options(Duration.ofSeconds(2), Optional.empty());
        }
    }

    private record Good(long version, Route route, Optional<ObjectNode> document) {}

    private final Database database;
    private final RouteCompiler compiler;
    private final Map<String, ? extends JsonNode> seed;
    private final Options options;
    private final StoreTime time;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Thread listener;
    private volatile ScheduledFuture<?> poller;
    private final Map<String, Good> good = new HashMap<>();
    private final Map<String, Long> seen = new HashMap<>();
    private volatile Map<String, Route> routes;
    private volatile long revision = -1;
    private boolean seeded;
    private volatile Connection listening;

    private LiveRouteTable(Database database, RouteCompiler compiler, Map<String, Route> initial,
                           Map<String, ? extends JsonNode> seed, Options options, StoreTime time) {
        this.database = database;
        this.time = time;
        this.compiler = compiler;
        this.seed = Map.copyOf(seed);
        this.options = options;
        initial.forEach((name, route) -> good.put(name, new Good(-1, route, Optional.empty())));
        this.routes = Map.copyOf(initial);
        this.listener = new Thread(this::listen, "crmroute-routes-listener");
        this.listener.setDaemon(true);
    }

    /**
     * Starts serving {@code configRoutes} (or the snapshot file's routes, when there is one) and following
     * the database. {@code seed}, the config's route documents, is imported once into an empty database.
     */
    public static LiveRouteTable start(Database database, RouteCompiler compiler, Map<String, Route> configRoutes,
                                       Map<String, ? extends JsonNode> seed, Options options) {
        return start(database, compiler, configRoutes, seed, options, StoreTime.system());
    }

    /** As above, polling and reconnecting on {@code time}. */
    public static LiveRouteTable start(Database database, RouteCompiler compiler, Map<String, Route> configRoutes,
                                       Map<String, ? extends JsonNode> seed, Options options, StoreTime time) {
        Map<String, Route> initial = options.snapshotFile().flatMap(file -> readSnapshot(file, compiler)).orElse(configRoutes);
        LiveRouteTable table = new LiveRouteTable(database, compiler, initial, seed, options, time);
        table.listener.start();
        long every = options.pollInterval().toNanos();
        table.poller = time.scheduler().scheduleWithFixedDelay(table::poll, every, every, TimeUnit.NANOSECONDS);
        return table;
    }

    @Override
    public Optional<Route> route(String name) {
        return Optional.ofNullable(routes.get(name));
    }

    /** The routes being served now. */
    public Map<String, Route> routes() {
        return routes;
    }

    /** The route table revision last loaded from the database; -1 before the first load. */
    public long revision() {
        return revision;
    }

    /** Loads the routes now (the admin API calls it after a write, so its next call sees the change). */
    public CompletableFuture<Void> reload() {
        return database.call(connection -> {
            apply(RouteStore.loadAll(connection));
            return null;
        });
    }

    /** The fallback for a lost notification: loads the routes when the revision moved. Never blocks the timer. */
    private void poll() {
        if (!database.migrated() || closed.isDone()) return;
        database.call(connection -> {
            if (RouteStore.revision(connection) != revision) apply(RouteStore.loadAll(connection));
            return null;
        }).exceptionally(failure -> {
            log.debug("route poll failed: {}", failure.toString());
            return null;
        });
    }

    private void listen() {
        Duration firstRetry = shorter(options.pollInterval(), Duration.ofMillis(500));
        Duration backoff = firstRetry;
        boolean failing = false;
        // Nothing to listen to before the schema is there.
        CompletableFuture.anyOf(database.whenReady(), closed).join();
        while (!closed.isDone()) {
            try (Connection connection = DriverManager.getConnection(database.settings().url(), listenerProperties())) {
                listening = connection;
                try (Statement listen = connection.createStatement()) {
                    listen.execute("LISTEN " + CHANNEL);
                }
                PGConnection notifications = connection.unwrap(PGConnection.class);
                if (!seeded) seedOnce(connection);
                if (failing) log.info("route listener reconnected");
                failing = false;
                backoff = firstRetry;
                // LISTEN came first, so a change committed from here on is either read now or notified.
                if (RouteStore.revision(connection) != revision) apply(RouteStore.loadAll(connection));
                while (!closed.isDone()) {
                    // Wakes now and then only to see whether it was closed; close() also cuts the wait short.
                    var received = notifications.getNotifications(WAKE_MILLIS);
                    if (received != null && received.length > 0 && RouteStore.revision(connection) != revision) {
                        apply(RouteStore.loadAll(connection));
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed.isDone()) return;
                if (!failing) log.warn("route listener lost the database, serving the last routes: {}", database.describe(e));
                failing = true;
                CompletableFuture.anyOf(time.after(backoff), closed).join();
                backoff = shorter(backoff.multipliedBy(2), Duration.ofSeconds(30));
            }
        }
    }

    private static Duration shorter(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }

    private void seedOnce(Connection connection) throws SQLException {
        int imported = RouteStore.seedIfNeverSeeded(connection, seed);
        if (imported > 0) log.info("imported {} routes from the config into the empty database", imported);
        seeded = true;
    }

    synchronized void apply(RouteStore.Snapshot snapshot) {
        if (snapshot.revision() <= revision) return;
        Map<String, Route> next = new LinkedHashMap<>();
        boolean changed = false;
        for (StoredRoute stored : snapshot.routes()) {
            String name = stored.name();
            Long seenVersion = seen.get(name);
            if (seenVersion == null || seenVersion != stored.version()) {
                seen.put(name, stored.version());
                changed |= compile(stored);
            }
            Good route = good.get(name);
            if (route != null) next.put(name, route.route());
        }
        // Routes gone from the table are gone from calls too.
        changed |= good.keySet().retainAll(next.keySet());
        seen.keySet().retainAll(storedNames(snapshot));
        routes = Map.copyOf(next);
        revision = snapshot.revision();
        if (changed) {
            log.info("routes loaded at revision {}: {}", revision, next.keySet());
            options.snapshotFile().ifPresent(this::writeSnapshot);
        }
    }

    private static Set<String> storedNames(RouteStore.Snapshot snapshot) {
        Set<String> names = new HashSet<>();
        for (StoredRoute stored : snapshot.routes()) names.add(stored.name());
        return names;
    }

    /** Compiles a changed row; true when the served route changed. */
    private boolean compile(StoredRoute stored) {
        RouteParseResult result;
        try {
            result = compiler.compile(stored.name(), stored.document());
        } catch (RuntimeException e) {
            log.error("route {} version {} cannot be compiled, keeping its last good version: {}", stored.name(), stored.version(), e.toString());
            return false;
        }
        if (result.route().isPresent()) {
            good.put(stored.name(), new Good(stored.version(), result.route().get(), Optional.of(stored.document())));
            return true;
        }
        log.error("route {} version {} does not validate, keeping its last good version ({}): {}", stored.name(), stored.version(),
                good.containsKey(stored.name()) ? "version " + good.get(stored.name()).version() : "none", result.problems());
        return false;
    }

    private void writeSnapshot(Path file) {
        ObjectNode all = RouteStore.JSON.createObjectNode();
        good.forEach((name, route) -> route.document().ifPresent(document -> all.set(name, document)));
        try {
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.createDirectories(temp.toAbsolutePath().getParent());
            Files.write(temp, RouteStore.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(all));
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warn("cannot write the route snapshot {}: {}", file, e.toString());
        }
    }

    private static Optional<Map<String, Route>> readSnapshot(Path file, RouteCompiler compiler) {
        if (!Files.isReadable(file)) return Optional.empty();
        try {
            JsonNode all = RouteStore.JSON.readTree(file.toFile());
            Map<String, Route> routes = new LinkedHashMap<>();
            all.fields().forEachRemaining(entry -> {
                RouteParseResult result = compiler.compile(entry.getKey(), entry.getValue());
                result.route().ifPresentOrElse(route -> routes.put(entry.getKey(), route),
                        () -> log.warn("route {} in snapshot {} does not validate: {}", entry.getKey(), file, result.problems()));
            });
            log.info("serving {} routes from the snapshot {} until the database answers", routes.size(), file);
            return Optional.of(routes);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot read the route snapshot {}, serving the config's routes: {}", file, e.toString());
            return Optional.empty();
        }
    }

    private Properties listenerProperties() {
        Properties properties = new Properties();
        properties.setProperty("user", database.settings().user());
        if (database.settings().password() != null) properties.setProperty("password", database.settings().password());
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("socketTimeout", Long.toString(Math.max(10, options.pollInterval().toSeconds() * 3)));
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("ApplicationName", "crmroute-routes-listener");
        return properties;
    }

    @Override
    public void close() {
        closed.complete(null);
        ScheduledFuture<?> polling = poller;
        if (polling != null) polling.cancel(false);
        Connection connection = listening;
        try {
            // Cuts the wait for a notification short.
            if (connection != null) connection.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            log.debug("route listener connection abort: {}", e.toString());
        }
        try {
            listener.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
