package io.crmroute.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Where the admin API reads and writes routes: PostgreSQL ({@link RouteStore}) with a database, a file
 * in the data directory ({@link LocalRouteStore}) without one. Both validate every write, version every
 * route (the ETag), refuse a stale {@code expectedVersion} and import all or nothing.
 */
public interface RouteRepository {

    /** Every route, by name; with a query, those whose name or document contains it (any case). */
    CompletableFuture<List<StoredRoute>> list(Optional<String> query);

    CompletableFuture<Optional<StoredRoute>> get(String name);

    /** Creates or replaces; with {@code expectedVersion} only if the route is still at that version. */
    CompletableFuture<PutOutcome> put(String name, JsonNode document, OptionalLong expectedVersion);

    CompletableFuture<DeleteOutcome> delete(String name, OptionalLong expectedVersion);

    /** Writes every given route (others are kept), all or none: any problem and nothing is written. */
    CompletableFuture<RouteStore.ImportResult> importRoutes(Map<String, ? extends JsonNode> routes);

    /** Every route's document, by name. */
    CompletableFuture<Map<String, ObjectNode>> exportAll();
}
