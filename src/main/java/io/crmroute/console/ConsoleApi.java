package io.crmroute.console;

import io.crmroute.admin.AdminGuard;
import io.crmroute.cluster.NodeStatus;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmroute.concurrent.Futures;
import io.crmroute.crm.CrmConnector;
import io.crmroute.crm.CrmException;
import io.crmroute.crm.CrmField;
import io.crmroute.crm.CrmObject;
import io.crmroute.crm.CrmSpec;
import io.crmroute.http.BearerAuth;
import io.crmroute.http.HttpRequest;
import io.crmroute.http.HttpResponse;
import io.crmroute.http.HttpRouting;
import io.crmroute.http.HttpService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the console shows beside routes and decisions: {@code GET /api/crms} (the configured CRMs, for the
 * editor's choice), {@code GET /api/crms/{name}/objects} and {@code GET /api/crms/{name}/objects/{object}/fields}
 * (the CRM's own schema, for the editor's suggestions; kept a few minutes, {@code ?refresh=true} asks the CRM
 * again) and {@code GET /api/status} (where routes and decisions are kept, the calls per status counted
 * since start, from the same counters as {@code /metrics}, and the nodes sharing the database with their
 * versions and last heartbeats). Health is {@code /health}.
 *
 * <p>Schema answers: 404 for a CRM or object that does not exist, 422 for a CRM without a schema (the custom
 * {@code http} CRM), 502 when the CRM failed, each with {@code {"error": "..."}} saying why.
 */
public final class ConsoleApi implements HttpService {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where routes and decisions live: {@code database}, or {@code local} with the file and how many decisions are kept. */
    public record StorageInfo(String kind, String routesAt, int decisionsKept) {}

    private final AdminGuard guard;
    private final Map<String, CrmSpec> crms;
    private final Map<String, CrmConnector> connectors;
    private final StorageInfo storage;
    private final MeterRegistry registry;
    private final Supplier<List<NodeStatus>> nodes;

    public ConsoleApi(BearerAuth auth, Map<String, CrmSpec> crms, Map<String, CrmConnector> connectors, StorageInfo storage,
                      MeterRegistry registry) {
        this(auth, crms, connectors, storage, registry, List::of);
    }

    /** With {@code nodes}: the nodes sharing the database (none without one). */
    public ConsoleApi(BearerAuth auth, Map<String, CrmSpec> crms, Map<String, CrmConnector> connectors, StorageInfo storage,
                      MeterRegistry registry, Supplier<List<NodeStatus>> nodes) {
        this.nodes = nodes;
        this.guard = new AdminGuard(auth);
        this.crms = Map.copyOf(crms);
        this.connectors = Map.copyOf(connectors);
        this.storage = storage;
        this.registry = registry;
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.get("/api/crms", guard.protect(this::crms))
                .get("/api/crms/{name}/objects", guard.protect(this::objects))
                .get("/api/crms/{name}/objects/{object}/fields", guard.protect(this::fields))
                .get("/api/status", guard.protect(this::status));
    }

    private CompletableFuture<HttpResponse> crms(HttpRequest request) {
        ArrayNode list = JSON.createArrayNode();
        new TreeMap<>(crms).forEach((name, spec) -> list.addObject().put("name", name).put("type", spec.type().id()));
        return HttpResponse.json(200, list).completed();
    }

    private CompletableFuture<HttpResponse> objects(HttpRequest request) {
        return withConnector(request, connector -> connector.objects().thenApply(objects -> {
            ArrayNode list = JSON.createArrayNode();
            for (CrmObject object : objects) list.addObject().put("name", object.name()).put("label", object.label());
            return HttpResponse.json(200, list);
        }));
    }

    private CompletableFuture<HttpResponse> fields(HttpRequest request) {
        String object = request.pathParam("object");
        return withConnector(request, connector -> connector.fields(object).thenApply(fields -> {
            ArrayNode list = JSON.createArrayNode();
            for (CrmField field : fields) {
                list.addObject().put("name", field.name()).put("label", field.label()).put("type", field.type())
                        .put("filterable", field.filterable()).put("readable", field.readable());
            }
            return HttpResponse.json(200, list);
        }));
    }

    /** Runs {@code ask} on the named CRM's connector (after forgetting its schema on {@code ?refresh=true}); failures as statuses. */
    private CompletableFuture<HttpResponse> withConnector(HttpRequest request,
                                                          Function<CrmConnector, CompletableFuture<HttpResponse>> ask) {
        String name = request.pathParam("name");
        CrmConnector connector = connectors.get(name);
        if (connector == null) return HttpResponse.error(404, "no crm named " + name).completed();
        if (request.queryParam("refresh").filter("true"::equals).isPresent()) connector.forgetSchema();
        return ask.apply(connector).exceptionally(error -> {
            Throwable cause = Futures.unwrap(error);
            if (!(cause instanceof CrmException failure)) return HttpResponse.error(502, "crm " + name + ": unexpected failure");
            if (failure.kind() == CrmException.Kind.UNSUPPORTED) return HttpResponse.error(422, failure.getMessage());
            if (failure.kind() == CrmException.Kind.CONFIG) return HttpResponse.error(404, failure.getMessage());
            return HttpResponse.error(502, failure.getMessage());
        });
    }

    private CompletableFuture<HttpResponse> status(HttpRequest request) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("storage").put("kind", storage.kind()).put("routes_at", storage.routesAt())
                .put("decisions_kept", storage.decisionsKept());
        Map<String, Long> calls = new TreeMap<>();
        for (Counter counter : registry.find("crmroute.calls").counters()) {
            String status = counter.getId().getTag("status");
            if (status != null) calls.merge(status, (long) counter.count(), Long::sum);
        }
        ObjectNode counts = root.putObject("calls");
        calls.forEach(counts::put);
        ArrayNode nodeList = root.putArray("nodes");
        for (NodeStatus node : nodes.get()) {
            nodeList.addObject().put("id", node.id()).put("version", node.version()).put("started_at", node.startedAt().toString())
                    .put("last_heartbeat", node.lastHeartbeat().toString()).put("up", node.up());
        }
        return HttpResponse.json(200, root).completed();
    }
}
