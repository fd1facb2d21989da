package io.crmroute.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmroute.crm.CrmSpec;
import io.crmroute.http.BearerAuth;
import io.crmroute.http.HttpRequest;
import io.crmroute.http.HttpResponse;
import io.crmroute.http.HttpRouting;
import io.crmroute.http.HttpService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * What the console shows beside routes and decisions: {@code GET /api/crms} (the configured CRMs, for the
 * editor's choice) and {@code GET /api/status} (where routes and decisions are kept, and the calls per
 * status counted since start, from the same counters as {@code /metrics}). Health is {@code /health}.
 */
public final class ConsoleApi implements HttpService {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where routes and decisions live: {@code database}, or {@code local} with the file and how many decisions are kept. */
    public record StorageInfo(String kind, String routesAt, int decisionsKept) {}

    private final Guard guard;
    private final Map<String, CrmSpec> crms;
    private final StorageInfo storage;
    private final MeterRegistry registry;

    public ConsoleApi(BearerAuth auth, Map<String, CrmSpec> crms, StorageInfo storage, MeterRegistry registry) {
        this.guard = new Guard(auth);
        this.crms = Map.copyOf(crms);
        this.storage = storage;
        this.registry = registry;
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.get("/api/crms", guard.protect(this::crms))
                .get("/api/status", guard.protect(this::status));
    }

    private CompletableFuture<HttpResponse> crms(HttpRequest request) {
        ArrayNode list = JSON.createArrayNode();
        new TreeMap<>(crms).forEach((name, spec) -> list.addObject().put("name", name).put("type", spec.type().id()));
        return HttpResponse.json(200, list).completed();
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
        return HttpResponse.json(200, root).completed();
    }
}
