package io.crmroute.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmroute.config.ConfigProblem;
import io.crmroute.config.RouteParseResult;
import io.crmroute.route.Destination;
import io.crmroute.route.Fallback;
import io.crmroute.route.Match;
import io.crmroute.route.MatchSource;
import io.crmroute.route.Operator;
import io.crmroute.route.Route;
import io.crmroute.route.Rule;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Route documents for store tests, and a small stand-in for the config's RouteParser that reads the
 * subset they use (crm, object, match.field, field, rules with op/value/to, default) and names bad keys
 * the same way. Tests of the real parser against the store are in {@code *WithRouteParserTest}.
 */
public final class TestRoutes {

    public static final ObjectMapper JSON = new ObjectMapper();

    private TestRoutes() {}

    /** {@code {crm: demo, object: contacts, match: {field: phone, from: callerid}, field: status, rules: [...], default: ...}}. */
    public static ObjectNode document(String goldQueue) {
        return json("{\"crm\": \"demo\", \"object\": \"contacts\", \"match\": {\"field\": \"phone\", \"from\": \"callerid\"},"
                + " \"field\": \"status\", \"rules\": ["
                + "{\"name\": \"gold\", \"op\": \"=\", \"value\": \"GOLD\", \"to\": {\"queue\": \"" + goldQueue + "\"}},"
                + "{\"name\": \"silver\", \"op\": \"=\", \"value\": \"SILVER\", \"to\": {\"ivr\": \"200\"}},"
                + "{\"op\": \">=\", \"field\": \"balance\", \"value\": \"1000\", \"to\": {\"extension\": \"300\"}, \"voicemail\": true}],"
                + " \"default\": {\"to\": {\"extension\": \"100\"}, \"voicemail\": true}}");
    }

    public static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RouteCompiler compiler() {
        return TestRoutes::compile;
    }

    public static Route route(String name, String goldQueue) {
        return compile(name, document(goldQueue)).route().orElseThrow();
    }

    private static RouteParseResult compile(String name, JsonNode document) {
        List<ConfigProblem> problems = new ArrayList<>();
        String crm = text(document, "crm", "crm", problems);
        if (crm != null && !crm.equals("demo")) problems.add(problem("crm", "unknown CRM \"" + crm + "\" (expected: demo)"));
        String object = text(document, "object", "object", problems);
        String matchField = text(document.path("match"), "field", "match.field", problems);
        String field = text(document, "field", "field", problems);
        List<Rule> rules = new ArrayList<>();
        JsonNode ruleNodes = document.path("rules");
        for (int i = 0; i < ruleNodes.size(); i++) {
            JsonNode rule = ruleNodes.get(i);
            String path = "rules[" + i + "].";
            Optional<Operator> op = Operator.bySymbol(rule.path("op").asText(""));
            if (op.isEmpty()) problems.add(problem(path + "op", "unknown operator \"" + rule.path("op").asText("") + "\""));
            String value = text(rule, "value", path + "value", problems);
            Destination to = destination(rule.path("to"), path + "to", problems);
            if (op.isPresent() && value != null && to != null) {
                rules.add(new Rule(Optional.ofNullable(rule.path("name").textValue()), op.get(),
                        Optional.ofNullable(rule.path("field").textValue()), value, to, rule.path("voicemail").asBoolean(false)));
            }
        }
        Destination fallback = destination(document.path("default").path("to"), "default.to", problems);
        if (!problems.isEmpty()) return new RouteParseResult(Optional.empty(), problems);
        return new RouteParseResult(Optional.of(new Route(name, crm, object, new Match(matchField, new MatchSource.CallerId(), Optional.empty()),
                Optional.empty(), List.of(), field, 1, Route.DEFAULT_TIMEOUT, rules,
                new Fallback(fallback, document.path("default").path("voicemail").asBoolean(false)),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty())), List.of());
    }

    private static Destination destination(JsonNode to, String path, List<ConfigProblem> problems) {
        if (!to.isObject() || to.size() != 1) {
            problems.add(problem(path, "expected one of queue, ivr, recording, extension"));
            return null;
        }
        Map.Entry<String, JsonNode> entry = to.fields().next();
        try {
            return Destination.of(entry.getKey(), entry.getValue().asText());
        } catch (IllegalArgumentException e) {
            problems.add(problem(path + "." + entry.getKey(), e.getMessage()));
            return null;
        }
    }

    private static String text(JsonNode node, String key, String path, List<ConfigProblem> problems) {
        JsonNode value = node.get(key);
        if (value == null || !value.isValueNode() || value.asText().isEmpty()) {
            problems.add(problem(path, "missing"));
            return null;
        }
        return value.asText();
    }

    private static ConfigProblem problem(String path, String message) {
        return new ConfigProblem(path, OptionalInt.empty(), message);
    }
}
