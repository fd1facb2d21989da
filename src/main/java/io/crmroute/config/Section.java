package io.crmroute.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One map of the tree at a key path, read key by key. Each reader answers the value when it is
 * present and valid; when it is absent it answers empty, and when it is invalid it records a
 * problem naming the key path and answers empty, so a caller can read on and report everything.
 * Scalars are read as text whether YAML/JSON wrote them as strings or numbers; {@code null} is absent.
 */
final class Section {

    private final JsonNode node;
    private final String path;
    private final Problems problems;

    private Section(JsonNode node, String path, Problems problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    /** The map at {@code path}; empty, with a problem, when {@code node} is something else. */
    static Optional<Section> of(JsonNode node, String path, Problems problems) {
        if (node == null || node.isNull() || node.isMissingNode()) return Optional.empty();
        if (!node.isObject()) {
            problems.add(path, "expected a map of keys, found " + kind(node));
            return Optional.empty();
        }
        return Optional.of(new Section(node, path, problems));
    }

    String path() {
        return path;
    }

    String pathOf(String key) {
        return KeyPaths.key(path, key);
    }

    void problem(String key, String message) {
        problems.add(pathOf(key), message);
    }

    /** A problem with this map as a whole (its name, its shape). */
    void problemHere(String message) {
        problems.add(path, message);
    }

    boolean has(String key) {
        JsonNode value = node.get(key);
        return value != null && !value.isNull();
    }

    /** The value at {@code key} as written, for readers that take a tree ({@link RouteParser}). */
    JsonNode raw(String key) {
        return node.get(key);
    }

    Iterable<String> keys() {
        return () -> node.fieldNames();
    }

    /** A problem for every key not in {@code allowed}, so typos do not pass silently. */
    void onlyKeys(Collection<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                problem(key, "unknown key \"" + key + "\" (expected one of: " + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        }
    }

    Optional<String> text(String key) {
        return scalar(node.get(key), pathOf(key));
    }

    Optional<String> requiredText(String key) {
        Optional<String> value = text(key);
        if (!has(key)) problem(key, "missing (required)");
        else if (value.isPresent() && value.get().isEmpty()) problem(key, "must not be empty");
        return value.filter(text -> !text.isEmpty());
    }

    /** Text matching {@code pattern}; otherwise a problem saying {@code expected}. */
    Optional<String> text(String key, Pattern pattern, String expected) {
        return text(key).filter(value -> matches(value, pattern, expected, pathOf(key)));
    }

    Optional<String> requiredText(String key, Pattern pattern, String expected) {
        return requiredText(key).filter(value -> matches(value, pattern, expected, pathOf(key)));
    }

    Optional<Integer> integer(String key, int min, int max) {
        return text(key).flatMap(text -> {
            if (text.matches("[0-9]{1,9}")) {
                int value = Integer.parseInt(text);
                if (value >= min && value <= max) return Optional.of(value);
            }
            problem(key, "\"" + text + "\": expected a whole number from " + min + " to " + max);
            return Optional.empty();
        });
    }

    Optional<Double> positiveNumber(String key) {
        return text(key).flatMap(text -> {
            try {
                double value = Double.parseDouble(text);
                if (value > 0 && Double.isFinite(value)) return Optional.of(value);
            } catch (NumberFormatException notANumber) {
                // reported below
            }
            problem(key, "\"" + text + "\": expected a number greater than 0");
            return Optional.empty();
        });
    }

    /** A duration ({@code 400ms}, {@code 2s}, {@code 1m}) no longer than {@code max}. */
    Optional<Duration> duration(String key, Duration max) {
        return text(key).flatMap(text -> {
            try {
                Duration value = Durations.parse(text);
                if (value.compareTo(max) <= 0) return Optional.of(value);
                problem(key, "\"" + text + "\": at most " + Durations.format(max));
            } catch (IllegalArgumentException bad) {
                problem(key, "\"" + text + "\": " + bad.getMessage());
            }
            return Optional.empty();
        });
    }

    Optional<Boolean> bool(String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) return Optional.empty();
        if (value.isBoolean()) return Optional.of(value.booleanValue());
        if (value.isTextual() && (value.textValue().equals("true") || value.textValue().equals("false"))) {
            return Optional.of(Boolean.parseBoolean(value.textValue()));
        }
        problem(key, "expected true or false, found " + kind(value));
        return Optional.empty();
    }

    Optional<Section> section(String key) {
        return of(node.get(key), pathOf(key), problems);
    }

    /** A map found elsewhere (a list item), reporting to the same problems. */
    Optional<Section> sectionAt(JsonNode item, String itemPath) {
        return of(item, itemPath, problems);
    }

    /** The raw node of a list, for lists of maps; a problem when it is not a list. */
    Optional<JsonNode> list(String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) return Optional.empty();
        if (!value.isArray()) {
            problem(key, "expected a list, found " + kind(value));
            return Optional.empty();
        }
        return Optional.of(value);
    }

    /** A list of texts each matching {@code pattern}. */
    Optional<List<String>> textList(String key, Pattern pattern, String expected) {
        return list(key).flatMap(items -> {
            List<String> values = new ArrayList<>();
            boolean valid = true;
            for (int i = 0; i < items.size(); i++) {
                String itemPath = KeyPaths.index(pathOf(key), i);
                Optional<String> item = scalar(items.get(i), itemPath).filter(text -> matches(text, pattern, expected, itemPath));
                if (item.isPresent()) values.add(item.get());
                else valid = false;
            }
            return valid ? Optional.of(values) : Optional.empty();
        });
    }

    /** This map's entries as text, in the order written ({@code auth:}). */
    Map<String, String> entries() {
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : keys()) text(key).ifPresent(text -> values.put(key, text));
        return values;
    }

    private Optional<String> scalar(JsonNode value, String at) {
        if (value == null || value.isNull()) return Optional.empty();
        if (value.isValueNode()) return Optional.of(value.asText());
        problems.add(at, "expected a single value, found " + kind(value));
        return Optional.empty();
    }

    private boolean matches(String value, Pattern pattern, String expected, String at) {
        if (pattern.matcher(value).matches()) return true;
        problems.add(at, "\"" + Names.shown(value) + "\": " + expected);
        return false;
    }

    static String kind(JsonNode node) {
        if (node.isObject()) return "a map";
        if (node.isArray()) return "a list";
        if (node.isBoolean()) return "true/false";
        return "\"" + Names.shown(node.asText()) + "\"";
    }
}
