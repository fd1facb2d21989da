package io.crmroute.console;

import io.crmroute.admin.AdminGuard;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.crmroute.call.Simulator;
import io.crmroute.config.ConfigProblem;
import io.crmroute.config.RouteParseResult;
import io.crmroute.http.BearerAuth;
import io.crmroute.http.HttpRequest;
import io.crmroute.http.HttpResponse;
import io.crmroute.http.HttpRouting;
import io.crmroute.http.HttpService;
import io.crmroute.store.RouteCompiler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code POST /api/simulate} with {@code {route: <route document>, name, callerid, dtmf, args, vars}}:
 * the route, saved or only a draft, run for that caller on the real call path, explained as
 * {@link SimulationJson}. A route that does not validate gets 400 with {@code [{path, message}]}, as a
 * PUT of it would.
 */
public final class SimulateService implements HttpService {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final int MAX_TEXT = 256;
    private static final int MAX_ITEMS = 32;

    private final AdminGuard guard;
    private final RouteCompiler compiler;
    private final Simulator simulator;

    public SimulateService(BearerAuth auth, RouteCompiler compiler, Simulator simulator) {
        this.guard = new AdminGuard(auth);
        this.compiler = compiler;
        this.simulator = simulator;
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.post("/api/simulate", guard.protect(this::simulate));
    }

    private CompletableFuture<HttpResponse> simulate(HttpRequest request) {
        JsonNode body;
        try {
            body = JSON.readTree(request.body());
        } catch (IOException e) {
            return problems(List.of(problem("", "body is not JSON"))).completed();
        }
        if (body == null || !body.isObject()) return problems(List.of(problem("", "body must be a JSON object"))).completed();
        List<ConfigProblem> problems = new ArrayList<>();
        String name = text(body, "name", problems, "draft");
        if (!NAME.matcher(name).matches()) problems.add(problem("name", "route name: expected 1 to 64 of A-Z a-z 0-9 _ . -"));
        String callerId = text(body, "callerid", problems, "");
        String digits = text(body, "dtmf", problems, "");
        List<String> args = args(body, problems);
        Map<String, String> vars = vars(body, problems);
        JsonNode document = body.get("route");
        if (document == null || !document.isObject()) problems.add(problem("route", "route: expected a route document (an object)"));
        if (!problems.isEmpty()) return problems(problems).completed();
        RouteParseResult compiled = compiler.compile(name, document);
        if (compiled.route().isEmpty()) {
            return problems(compiled.problems().isEmpty() ? List.of(problem("", "route does not validate")) : compiled.problems()).completed();
        }
        return simulator.run(compiled.route().get(), callerId, digits, args, vars)
                .orTimeout(2, TimeUnit.MINUTES)
                .thenApply(simulation -> HttpResponse.json(200, SimulationJson.of(simulation)));
    }

    private static String text(JsonNode body, String key, List<ConfigProblem> problems, String absent) {
        JsonNode value = body.get(key);
        if (value == null || value.isNull()) return absent;
        if (!value.isTextual() && !value.isNumber()) {
            problems.add(problem(key, key + ": expected text"));
            return absent;
        }
        if (value.asText().length() > MAX_TEXT) {
            problems.add(problem(key, key + ": longer than " + MAX_TEXT + " characters"));
            return absent;
        }
        return value.asText();
    }

    private static List<String> args(JsonNode body, List<ConfigProblem> problems) {
        JsonNode value = body.get("args");
        List<String> args = new ArrayList<>();
        if (value == null || value.isNull()) return args;
        if (!value.isArray() || value.size() > MAX_ITEMS) {
            problems.add(problem("args", "args: expected a list of at most " + MAX_ITEMS + " texts"));
            return args;
        }
        for (JsonNode arg : value) {
            if (arg.isContainerNode() || arg.asText().length() > MAX_TEXT) {
                problems.add(problem("args", "args: each one text of at most " + MAX_TEXT + " characters"));
                return args;
            }
            args.add(arg.asText());
        }
        return args;
    }

    private static Map<String, String> vars(JsonNode body, List<ConfigProblem> problems) {
        JsonNode value = body.get("vars");
        Map<String, String> vars = new LinkedHashMap<>();
        if (value == null || value.isNull()) return vars;
        if (!value.isObject() || value.size() > MAX_ITEMS) {
            problems.add(problem("vars", "vars: expected an object of at most " + MAX_ITEMS + " NAME: value pairs"));
            return vars;
        }
        value.fields().forEachRemaining(entry -> {
            if (entry.getValue().isContainerNode() || entry.getValue().asText().length() > MAX_TEXT || entry.getKey().length() > MAX_TEXT) {
                problems.add(problem("vars." + entry.getKey(), "vars: each value one text of at most " + MAX_TEXT + " characters"));
            } else {
                vars.put(entry.getKey(), entry.getValue().asText());
            }
        });
        return vars;
    }

    static HttpResponse problems(List<ConfigProblem> problems) {
        ArrayNode list = JSON.createArrayNode();
        for (ConfigProblem problem : problems) list.addObject().put("path", problem.path()).put("message", problem.message());
        return HttpResponse.json(400, list);
    }

    static ConfigProblem problem(String path, String message) {
        return new ConfigProblem(path, OptionalInt.empty(), message);
    }
}
