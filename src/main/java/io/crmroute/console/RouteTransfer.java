package io.crmroute.console;

import io.crmroute.admin.AdminGuard;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.crmroute.config.ConfigProblem;
import io.crmroute.http.BearerAuth;
import io.crmroute.http.HttpRequest;
import io.crmroute.http.HttpResponse;
import io.crmroute.http.HttpRouting;
import io.crmroute.http.HttpService;
import io.crmroute.store.RouteRepository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Routes as YAML, for the console's download and upload: {@code GET /api/export} answers a
 * {@code routes:} section (what {@code crmroute export} writes); {@code POST /api/import} takes one and
 * writes every route in it, all or none: any problem and nothing changes, the problems named from the
 * file's root ({@code routes.vip.rules[1].op}).
 */
public final class RouteTransfer implements HttpService {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private final AdminGuard guard;
    private final RouteRepository routes;
    private final Supplier<CompletableFuture<Void>> afterRouteChange;

    public RouteTransfer(BearerAuth auth, RouteRepository routes, Supplier<CompletableFuture<Void>> afterRouteChange) {
        this.guard = new AdminGuard(auth);
        this.routes = routes;
        this.afterRouteChange = afterRouteChange;
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.get("/api/export", guard.protect(this::export))
                .post("/api/import", guard.protect(this::importRoutes));
    }

    private CompletableFuture<HttpResponse> export(HttpRequest request) {
        return routes.exportAll().thenApply(documents -> {
            ObjectNode root = JsonNodeFactory.instance.objectNode();
            ObjectNode list = root.putObject("routes");
            documents.forEach(list::set);
            try {
                return HttpResponse.text(200, "application/yaml; charset=utf-8", YAML.writeValueAsString(root))
                        .withHeader("Content-Disposition", "attachment; filename=\"crmroute-routes.yaml\"");
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("routes are not writable as YAML", e);
            }
        });
    }

    private CompletableFuture<HttpResponse> importRoutes(HttpRequest request) {
        Map<String, JsonNode> documents = new LinkedHashMap<>();
        Optional<ConfigProblem> unreadable = read(request.body(), documents);
        if (unreadable.isPresent()) return SimulateService.problems(List.of(unreadable.get())).completed();
        return routes.importRoutes(documents).thenCompose(result -> {
            if (!result.problems().isEmpty()) return SimulateService.problems(result.problems()).completed();
            HttpResponse imported = HttpResponse.json(200, Map.of("imported", result.imported()));
            return afterRouteChange.get().handle((ignored, failure) -> imported);
        });
    }

    /** The routes of a {@code routes:} section into {@code documents}, or why the file cannot be read. */
    private static Optional<ConfigProblem> read(byte[] body, Map<String, JsonNode> documents) {
        JsonNode root;
        try {
            root = YAML.readTree(new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
            String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            return Optional.of(SimulateService.problem("", "not YAML: " + message));
        }
        JsonNode list = root == null ? null : root.get("routes");
        if (list == null || !list.isObject() || list.isEmpty()) {
            return Optional.of(SimulateService.problem("routes", "expected a YAML file with a routes: section naming at least one route"));
        }
        list.fields().forEachRemaining(entry -> documents.put(entry.getKey(), entry.getValue()));
        return Optional.empty();
    }
}
