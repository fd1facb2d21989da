package io.crmroute.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmroute.config.ConfigProblem;
import io.crmroute.config.RouteParseResult;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/** The checks every route store makes before a write: a valid name, an object, a route that compiles. */
final class RouteValidation {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private RouteValidation() {}

    static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** The problems that stop {@code document} being stored as {@code name}; empty when it may be. */
    static List<ConfigProblem> problems(RouteCompiler compiler, String name, JsonNode document) {
        if (!validName(name)) {
            return List.of(new ConfigProblem("name", OptionalInt.empty(),
                    "route name: \"" + shorten(name) + "\" (expected: 1 to 64 of A-Z a-z 0-9 _ . -)"));
        }
        if (document == null || !document.isObject()) {
            return List.of(new ConfigProblem("", OptionalInt.empty(), "a route must be a JSON object"));
        }
        RouteParseResult result = compiler.compile(name, document);
        if (result.route().isEmpty() && result.problems().isEmpty()) {
            return List.of(new ConfigProblem("", OptionalInt.empty(), "route does not validate"));
        }
        return result.problems();
    }

    /** Problems of a route in an import, named from the file's root: {@code routes.vip.rules[1].op}. */
    static List<ConfigProblem> underRoutes(String name, List<ConfigProblem> problems) {
        return problems.stream().map(problem -> new ConfigProblem(
                "routes." + name + (problem.path().isEmpty() ? "" : "." + problem.path()), problem.line(), problem.message())).toList();
    }

    private static String shorten(String text) {
        if (text == null) return "";
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
