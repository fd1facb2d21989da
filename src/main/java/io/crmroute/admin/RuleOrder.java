package io.crmroute.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmroute.config.ConfigProblem;
import java.util.List;

/** A route document with its rules put in a new order: {@code {"order": [3, 1, 2]}}, 1-based current positions. */
final class RuleOrder {

    record Result(ObjectNode document, List<ConfigProblem> problems) {}

    private RuleOrder() {}

    static Result apply(ObjectNode document, JsonNode body) {
        JsonNode rules = document.path("rules");
        int count = rules.isArray() ? rules.size() : 0;
        JsonNode order = body == null ? null : body.get("order");
        if (order == null || !order.isArray()) return invalid(document, "order", "expected a list of the rules' positions, e.g. [2, 1, 3]");
        if (order.size() != count) {
            return invalid(document, "order", "order: " + order.size() + " positions (expected: " + count + ", one per rule)");
        }
        boolean[] used = new boolean[count + 1];
        ArrayNode reordered = document.arrayNode();
        for (int i = 0; i < count; i++) {
            JsonNode position = order.get(i);
            int value = position.canConvertToInt() && position.isIntegralNumber() ? position.asInt() : -1;
            if (value < 1 || value > count) {
                return invalid(document, "order[" + i + "]", "position: " + position + " (expected: 1 to " + count + ")");
            }
            if (used[value]) return invalid(document, "order[" + i + "]", "position " + value + " is listed twice");
            used[value] = true;
            reordered.add(rules.get(value - 1).deepCopy());
        }
        ObjectNode copy = document.deepCopy();
        copy.set("rules", reordered);
        return new Result(copy, List.of());
    }

    private static Result invalid(ObjectNode document, String path, String message) {
        return new Result(document, List.of(AdminService.problem(path, message)));
    }
}
