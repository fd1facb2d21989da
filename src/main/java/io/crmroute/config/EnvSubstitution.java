package io.crmroute.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} in every string scalar, whole or embedded ({@code Bearer ${TOKEN}}), with the
 * environment's value, and remembers each value put in under its key path so it can be masked later.
 * An unset variable is a problem that names the key path and the variable; the text stays as written.
 * {@code ${NAME:-default}} takes {@code default} when NAME is unset or empty, as a shell does: the shipped
 * config's listening settings use it so a container sets them from its environment. A default is written
 * in the file, not a secret, so it is not masked. There is no escape for a literal {@code ${}}: no key
 * the config knows needs one.
 */
final class EnvSubstitution {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private final Map<String, String> env;
    private final Problems problems;
    private final Map<String, Set<String>> valuesByPath = new java.util.HashMap<>();

    private EnvSubstitution(Map<String, String> env, Problems problems) {
        this.env = env;
        this.problems = problems;
    }

    /** The substituted tree and, per key path, the values that came from the environment. */
    record Result(JsonNode root, Map<String, Set<String>> valuesByPath) {

        /** Every value substituted at {@code path} or below it: the secrets of a CRM entry. */
        Set<String> valuesUnder(String path) {
            Set<String> values = new LinkedHashSet<>();
            valuesByPath.forEach((at, found) -> {
                if (at.equals(path) || at.startsWith(path + ".") || at.startsWith(path + "[")) values.addAll(found);
            });
            return values;
        }
    }

    static Result apply(JsonNode root, Map<String, String> env, Problems problems) {
        EnvSubstitution substitution = new EnvSubstitution(env, problems);
        JsonNode substituted = root == null ? null : substitution.node(root, "");
        return new Result(substituted, Map.copyOf(substitution.valuesByPath));
    }

    private JsonNode node(JsonNode node, String path) {
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                copy.set(field.getKey(), node(field.getValue(), KeyPaths.key(path, field.getKey())));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < node.size(); i++) copy.add(node(node.get(i), KeyPaths.index(path, i)));
            return copy;
        }
        if (node.isTextual() && node.textValue().contains("${")) return JsonNodeFactory.instance.textNode(text(node.textValue(), path));
        return node;
    }

    private String text(String text, String path) {
        Matcher matcher = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        List<String> unset = new ArrayList<>();
        while (matcher.find()) {
            String name = matcher.group(1);
            String value = env.get(name);
            String fallback = matcher.group(2);
            if (fallback != null && (value == null || value.isEmpty())) {
                matcher.appendReplacement(out, Matcher.quoteReplacement(fallback));
            } else if (value == null) {
                unset.add(name);
                matcher.appendReplacement(out, Matcher.quoteReplacement(matcher.group()));
            } else {
                if (!value.isEmpty()) valuesByPath.computeIfAbsent(path, p -> new LinkedHashSet<>()).add(value);
                matcher.appendReplacement(out, Matcher.quoteReplacement(value));
            }
        }
        matcher.appendTail(out);
        if (!unset.isEmpty()) {
            problems.add(path, (unset.size() == 1 ? "environment variable " : "environment variables ")
                    + String.join(", ", unset) + (unset.size() == 1 ? " is not set" : " are not set"));
        }
        return out.toString();
    }
}
