package io.crmroute.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmroute.config.ConfigProblem;
import io.crmroute.http.BearerAuth;
import io.crmroute.http.HttpHandler;
import io.crmroute.http.HttpRequest;
import io.crmroute.http.HttpResponse;
import io.crmroute.http.HttpRouting;
import io.crmroute.http.HttpService;
import io.crmroute.store.DecisionHistory;
import io.crmroute.store.DeleteOutcome;
import io.crmroute.store.PutOutcome;
import io.crmroute.store.RouteRepository;
import io.crmroute.store.StoredRoute;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The admin API on the HTTP port (DESIGN.md "Database and admin API"): routes read and written as JSON
 * in the shape of a YAML route, with ETags and If-Match, and the audited call decisions. Every request
 * needs {@code Authorization: Bearer <admin.token>}. Handlers only chain on the store's futures: no
 * JDBC runs on the event loop.
 *
 * <p>Beyond DESIGN.md: {@code POST /api/routes/{name}/rules:reorder} with {@code {"order": [3, 1, 2]}}
 * (the current 1-based positions in their new order) reorders a route's rules in one step; adding,
 * changing and removing rules is a PUT of the whole route.
 */
public final class AdminService implements HttpService {

    static final ObjectMapper JSON = new ObjectMapper();

    private final RouteRepository routes;
    private final DecisionHistory decisions;
    private final AdminGuard guard;
    private final Supplier<CompletableFuture<Void>> afterRouteChange;

    /**
     * {@code afterRouteChange} runs after every successful write before the answer goes out (the app
     * passes {@code liveRouteTable::reload}, so the caller's next call is routed by what was written).
     */
    public AdminService(RouteRepository routes, DecisionHistory decisions, String token, Supplier<CompletableFuture<Void>> afterRouteChange) {
        this(routes, decisions, checked(token), afterRouteChange);
    }

    /** With the guard the console's endpoints share, so wrong tokens count once whichever endpoint they try. */
    public AdminService(RouteRepository routes, DecisionHistory decisions, BearerAuth auth, Supplier<CompletableFuture<Void>> afterRouteChange) {
        this.routes = routes;
        this.decisions = decisions;
        this.guard = new AdminGuard(auth);
        this.afterRouteChange = afterRouteChange;
    }

    private static BearerAuth checked(String token) {
        if (token == null || token.isBlank()) throw new IllegalArgumentException("admin.token is empty: the admin API needs a token");
        return BearerAuth.token(token);
    }

    public AdminService(RouteRepository routes, DecisionHistory decisions, String token) {
        this(routes, decisions, token, () -> CompletableFuture.completedFuture(null));
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.get("/api/routes", authorized(this::listRoutes))
                .get("/api/routes/{name}", authorized(this::getRoute))
                .put("/api/routes/{name}", authorized(this::putRoute))
                .delete("/api/routes/{name}", authorized(this::deleteRoute))
                .post("/api/routes/{name}/rules:reorder", authorized(this::reorderRules))
                .get("/api/decisions", authorized(new DecisionQuery(decisions)::handle));
    }

    private CompletableFuture<HttpResponse> listRoutes(HttpRequest request) {
        return routes.list(request.queryParam("q")).thenApply(found -> {
            ArrayNode list = JSON.createArrayNode();
            for (StoredRoute route : found) {
                list.addObject().put("name", route.name()).put("version", route.version()).put("etag", route.etag())
                        .put("updated", route.updatedAt().toString()).set("route", route.document());
            }
            return HttpResponse.json(200, list);
        });
    }

    private CompletableFuture<HttpResponse> getRoute(HttpRequest request) {
        String name = request.pathParam("name");
        return routes.get(name).thenApply(found -> found.map(AdminService::routeResponse).orElseGet(() -> notFound(name)));
    }

    private CompletableFuture<HttpResponse> putRoute(HttpRequest request) {
        String name = request.pathParam("name");
        Optional<OptionalLong> expected = ifMatch(request);
        if (expected.isEmpty()) return badIfMatch();
        JsonNode document;
        try {
            document = JSON.readTree(request.body());
        } catch (IOException e) {
            return problems(List.of(problem("", "body is not JSON: " + firstLine(e.getMessage())))).completed();
        }
        if (document == null || !document.isObject()) {
            return problems(List.of(problem("", "body must be a JSON object: a route in the shape of a YAML route"))).completed();
        }
        return routes.put(name, document, expected.get()).thenCompose(outcome -> answer(name, outcome));
    }

    private CompletableFuture<HttpResponse> deleteRoute(HttpRequest request) {
        String name = request.pathParam("name");
        Optional<OptionalLong> expected = ifMatch(request);
        if (expected.isEmpty()) return badIfMatch();
        return routes.delete(name, expected.get()).thenCompose(outcome -> {
            if (outcome == DeleteOutcome.NOT_FOUND) return notFound(name).completed();
            if (outcome == DeleteOutcome.STALE) return stale(name).completed();
            return afterRouteChange.get().handle((ignored, failure) -> HttpResponse.empty(204));
        });
    }

    private CompletableFuture<HttpResponse> reorderRules(HttpRequest request) {
        String name = request.pathParam("name");
        Optional<OptionalLong> expected = ifMatch(request);
        if (expected.isEmpty()) return badIfMatch();
        JsonNode body;
        try {
            body = JSON.readTree(request.body());
        } catch (IOException e) {
            return problems(List.of(problem("", "body is not JSON: " + firstLine(e.getMessage())))).completed();
        }
        return routes.get(name).thenCompose(found -> {
            if (found.isEmpty()) return notFound(name).completed();
            StoredRoute current = found.get();
            if (expected.get().isPresent() && expected.get().getAsLong() != current.version()) return stale(name).completed();
            RuleOrder.Result reordered = RuleOrder.apply(current.document(), body);
            if (!reordered.problems().isEmpty()) return problems(reordered.problems()).completed();
            // Written only if nobody changed the route since it was read here.
            return routes.put(name, reordered.document(), OptionalLong.of(current.version()))
                    .thenCompose(outcome -> answer(name, outcome));
        });
    }

    private CompletableFuture<HttpResponse> answer(String name, PutOutcome outcome) {
        if (outcome instanceof PutOutcome.Invalid) return problems(((PutOutcome.Invalid) outcome).problems()).completed();
        if (outcome instanceof PutOutcome.Stale) return stale(name).completed();
        PutOutcome.Saved saved = (PutOutcome.Saved) outcome;
        HttpResponse response = routeResponse(saved.route());
        HttpResponse answer = saved.created()
                ? new HttpResponse(201, response.contentType(), response.headers(), response.body()).withHeader("Location", "/api/routes/" + name)
                : response;
        // A failed reload is not the writer's failure: the listener will pick the change up.
        return afterRouteChange.get().handle((ignored, failure) -> answer);
    }

    private static HttpResponse routeResponse(StoredRoute route) {
        return HttpResponse.json(200, route.document()).withHeader("ETag", route.etag());
    }

    /** Empty: the header is malformed. Present and empty: no header (write unconditionally). */
    private static Optional<OptionalLong> ifMatch(HttpRequest request) {
        Optional<String> header = request.header("If-Match");
        if (header.isEmpty()) return Optional.of(OptionalLong.empty());
        String value = header.get().trim();
        if (value.startsWith("W/")) value = value.substring(2);
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) value = value.substring(1, value.length() - 1);
        try {
            return Optional.of(OptionalLong.of(Long.parseLong(value)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static CompletableFuture<HttpResponse> badIfMatch() {
        return problems(List.of(problem("If-Match", "expected an ETag from GET /api/routes/{name}, e.g. \"42\""))).completed();
    }

    private static HttpResponse stale(String name) {
        return HttpResponse.error(412, "route " + name + " was changed since you read it: GET it again and reapply your change");
    }

    private static HttpResponse notFound(String name) {
        return HttpResponse.error(404, "no route " + name);
    }

    static HttpResponse problems(List<ConfigProblem> problems) {
        ArrayNode list = JSON.createArrayNode();
        for (ConfigProblem problem : problems) list.addObject().put("path", problem.path()).put("message", problem.message());
        return HttpResponse.json(400, list);
    }

    static ConfigProblem problem(String path, String message) {
        return new ConfigProblem(path, java.util.OptionalInt.empty(), message);
    }

    private static String firstLine(String text) {
        if (text == null) return "";
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    /** The bearer token before the handler (401 without it); 503 with the database down. */
    private HttpHandler authorized(HttpHandler handler) {
        return guard.protect(handler);
    }

}
