package io.crmroute.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmroute.config.ConfigProblem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * The routes in PostgreSQL: list, search, read, write with optimistic concurrency, delete, import and
 * export. Every write is validated with the {@link RouteCompiler} first; an invalid route is never stored.
 */
public final class RouteStore implements RouteRepository {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_QUERY = 200;
    private static final String SEEDED = "routes_seeded";

    /** The routes as loaded at one revision of the table. */
    record Snapshot(long revision, List<StoredRoute> routes) {}

    /** What an import came to: how many routes were written, or why none were. */
    public record ImportResult(int imported, List<ConfigProblem> problems) {

        public ImportResult {
            problems = List.copyOf(problems);
        }
    }

    private final Database database;
    private final RouteCompiler compiler;

    public RouteStore(Database database, RouteCompiler compiler) {
        this.database = database;
        this.compiler = compiler;
    }

    /** Every route, by name; with a query, those whose name or document contains it (any case). */
    @Override
    public CompletableFuture<List<StoredRoute>> list(Optional<String> query) {
        String text = query.map(String::trim).filter(q -> !q.isEmpty()).orElse(null);
        if (text != null && text.length() > MAX_QUERY) text = text.substring(0, MAX_QUERY);
        String pattern = text == null ? null : "%" + escapeLike(text) + "%";
        return database.call(connection -> {
            String sql = "SELECT name, document, version, updated_at FROM route"
                    + (pattern == null ? "" : " WHERE name ILIKE ? ESCAPE '\\' OR document::text ILIKE ? ESCAPE '\\'")
                    + " ORDER BY name";
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                if (pattern != null) {
                    select.setString(1, pattern);
                    select.setString(2, pattern);
                }
                return readRoutes(select);
            }
        });
    }

    @Override
    public CompletableFuture<Optional<StoredRoute>> get(String name) {
        if (!validName(name)) return CompletableFuture.completedFuture(Optional.empty());
        return database.call(connection -> find(connection, name));
    }

    /**
     * Creates or replaces the route. With {@code expectedVersion} the write happens only if the route is
     * still at that version (otherwise {@link PutOutcome.Stale}); without it, it always happens.
     */
    @Override
    public CompletableFuture<PutOutcome> put(String name, JsonNode document, OptionalLong expectedVersion) {
        List<ConfigProblem> problems;
        try {
            problems = validate(name, document);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (!problems.isEmpty()) return CompletableFuture.completedFuture(new PutOutcome.Invalid(problems));
        ObjectNode copy = ((ObjectNode) document).deepCopy();
        return database.call(connection -> inTransaction(connection, () -> write(connection, name, copy, expectedVersion)));
    }

    @Override
    public CompletableFuture<DeleteOutcome> delete(String name, OptionalLong expectedVersion) {
        if (!validName(name)) return CompletableFuture.completedFuture(DeleteOutcome.NOT_FOUND);
        return database.call(connection -> {
            String sql = "DELETE FROM route WHERE name = ?" + (expectedVersion.isPresent() ? " AND version = ?" : "");
            try (PreparedStatement delete = connection.prepareStatement(sql)) {
                delete.setString(1, name);
                if (expectedVersion.isPresent()) delete.setLong(2, expectedVersion.getAsLong());
                if (delete.executeUpdate() == 1) return DeleteOutcome.DELETED;
            }
            return find(connection, name).isPresent() ? DeleteOutcome.STALE : DeleteOutcome.NOT_FOUND;
        });
    }

    /**
     * Writes every given route (replacing those of the same names, keeping the others), all or none:
     * if any does not validate, nothing is written and every problem is returned, named {@code routes.NAME...}.
     */
    @Override
    public CompletableFuture<ImportResult> importRoutes(Map<String, ? extends JsonNode> routes) {
        List<ConfigProblem> problems = new ArrayList<>();
        try {
            routes.forEach((name, document) -> {
                for (ConfigProblem problem : validate(name, document)) {
                    problems.add(new ConfigProblem("routes." + name + (problem.path().isEmpty() ? "" : "." + problem.path()),
                            problem.line(), problem.message()));
                }
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (!problems.isEmpty()) return CompletableFuture.completedFuture(new ImportResult(0, problems));
        Map<String, ObjectNode> copies = new LinkedHashMap<>();
        routes.forEach((name, document) -> copies.put(name, ((ObjectNode) document).deepCopy()));
        return database.call(connection -> inTransaction(connection, () -> {
            for (Map.Entry<String, ObjectNode> route : copies.entrySet()) {
                write(connection, route.getKey(), route.getValue(), OptionalLong.empty());
            }
            markSeeded(connection, "import");
            return new ImportResult(copies.size(), List.of());
        }));
    }

    /** Every route's document, by name: what {@code crmroute export} writes under {@code routes:}. */
    @Override
    public CompletableFuture<Map<String, ObjectNode>> exportAll() {
        return database.call(connection -> {
            Map<String, ObjectNode> documents = new LinkedHashMap<>();
            for (StoredRoute route : loadAll(connection).routes()) documents.put(route.name(), route.document());
            return documents;
        });
    }

    /**
     * Imports {@code routes} (the YAML's) if no routes were ever imported and the table is empty: once
     * per database, so routes an admin deleted do not come back at the next start. Returns how many.
     */
    static int seedIfNeverSeeded(Connection connection, Map<String, ? extends JsonNode> routes) throws SQLException {
        return inTransaction(connection, () -> {
            try (Statement lock = connection.createStatement()) {
                // Servers starting together: one seeds, the others then see it done.
                lock.execute("LOCK TABLE store_fact IN EXCLUSIVE MODE");
            }
            try (PreparedStatement seeded = connection.prepareStatement(
                    "SELECT (SELECT count(*) FROM store_fact WHERE key = ?) + (SELECT count(*) FROM route)")) {
                seeded.setString(1, SEEDED);
                try (ResultSet result = seeded.executeQuery()) {
                    result.next();
                    if (result.getLong(1) > 0) return 0;
                }
            }
            int written = 0;
            for (Map.Entry<String, ? extends JsonNode> route : routes.entrySet()) {
                if (validName(route.getKey()) && route.getValue() instanceof ObjectNode) {
                    write(connection, route.getKey(), (ObjectNode) route.getValue(), OptionalLong.empty());
                    written++;
                }
            }
            markSeeded(connection, "config");
            return written;
        });
    }

    static long revision(Connection connection) throws SQLException {
        try (Statement select = connection.createStatement();
             ResultSet result = select.executeQuery("SELECT revision FROM route_revision")) {
            result.next();
            return result.getLong(1);
        }
    }

    /** Every route with the revision it was read at, in one consistent read. */
    static Snapshot loadAll(Connection connection) throws SQLException {
        return inTransaction(connection, () -> {
            try (Statement isolation = connection.createStatement()) {
                isolation.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
            }
            long revision = revision(connection);
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT name, document, version, updated_at FROM route ORDER BY name")) {
                return new Snapshot(revision, readRoutes(select));
            }
        });
    }

    private List<ConfigProblem> validate(String name, JsonNode document) {
        return RouteValidation.problems(compiler, name, document);
    }

    private static PutOutcome write(Connection connection, String name, ObjectNode document, OptionalLong expectedVersion)
            throws SQLException {
        String json = toJson(document);
        StoredRoute stored;
        boolean created;
        if (expectedVersion.isPresent()) {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE route SET document = ?::json, version = nextval('route_version'), updated_at = now()"
                            + " WHERE name = ? AND version = ? RETURNING name, document, version, updated_at")) {
                update.setString(1, json);
                update.setString(2, name);
                update.setLong(3, expectedVersion.getAsLong());
                List<StoredRoute> rows = readRoutes(update);
                if (rows.isEmpty()) return new PutOutcome.Stale(find(connection, name).map(StoredRoute::version));
                stored = rows.get(0);
                created = false;
            }
        } else {
            try (PreparedStatement upsert = connection.prepareStatement(
                    "INSERT INTO route (name, document) VALUES (?, ?::json) ON CONFLICT (name) DO UPDATE"
                            + " SET document = EXCLUDED.document, version = nextval('route_version'), updated_at = now()"
                            + " RETURNING name, document, version, updated_at, xmax = 0 AS inserted")) {
                upsert.setString(1, name);
                upsert.setString(2, json);
                try (ResultSet result = upsert.executeQuery()) {
                    result.next();
                    stored = route(result);
                    created = result.getBoolean("inserted");
                }
            }
        }
        RuleRows.replace(connection, name, document);
        return new PutOutcome.Saved(stored, created);
    }

    private static void markSeeded(Connection connection, String source) throws SQLException {
        try (PreparedStatement mark = connection.prepareStatement(
                "INSERT INTO store_fact (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING")) {
            mark.setString(1, SEEDED);
            mark.setString(2, source);
            mark.executeUpdate();
        }
    }

    private static Optional<StoredRoute> find(Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT name, document, version, updated_at FROM route WHERE name = ?")) {
            select.setString(1, name);
            List<StoredRoute> rows = readRoutes(select);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
        }
    }

    private static List<StoredRoute> readRoutes(PreparedStatement statement) throws SQLException {
        List<StoredRoute> routes = new ArrayList<>();
        try (ResultSet result = statement.executeQuery()) {
            while (result.next()) routes.add(route(result));
        }
        return routes;
    }

    private static StoredRoute route(ResultSet result) throws SQLException {
        return new StoredRoute(result.getString("name"), parseDocument(result.getString("document")),
                result.getLong("version"), result.getTimestamp("updated_at").toInstant());
    }

    interface Transaction<T> {
        T run() throws SQLException;
    }

    static <T> T inTransaction(Connection connection, Transaction<T> work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            T result = work.run();
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException rollbackFailed) {
                e.addSuppressed(rollbackFailed);
            }
            throw e;
        } finally {
            try {
                connection.setAutoCommit(autoCommit);
            } catch (SQLException ignored) {
                // The connection is broken; the pool will discard it.
            }
        }
    }

    static boolean validName(String name) {
        return RouteValidation.validName(name);
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static String toJson(JsonNode document) {
        try {
            return JSON.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("route document is not serialisable", e);
        }
    }

    private static ObjectNode parseDocument(String json) throws SQLException {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new SQLException("stored route document is not a JSON object", e);
        }
    }
}
