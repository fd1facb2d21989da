package io.crmroute.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML text into a Jackson tree in one pass over the token stream, noting on the way the line
 * of every key path. Numbers stay as the text written ({@code 1000}, {@code 103}, {@code 1.50}), so a
 * rule value or a queue number is exactly what the admin typed; the readers convert where a number is meant.
 */
final class YamlTree {

    /** The tree ({@code null} when the text holds no document), the line of each key path, syntax problems. */
    record Parsed(JsonNode root, Map<String, Integer> lines, Problems problems) {}

    private static final YAMLFactory YAML = new YAMLFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Map<String, Integer> lines = new HashMap<>();
    private final Problems problems = new Problems();
    private final JsonParser parser;

    private YamlTree(JsonParser parser) {
        this.parser = parser;
    }

    /** {@code label} names the text in a syntax problem (the file's name). */
    static Parsed read(String yaml, String label) {
        try (JsonParser parser = YAML.createParser(yaml)) {
            YamlTree tree = new YamlTree(parser);
            JsonToken first = parser.nextToken();
            JsonNode root = first == null ? null : tree.value(first, "");
            if (root != null && parser.nextToken() != null) {
                // A second document after "---" would be ignored; say so rather than drop it silently.
                tree.problems.add(new ConfigProblem(label, OptionalInt.of(parser.currentTokenLocation().getLineNr()),
                        "a second YAML document; a config is one document"));
            }
            return new Parsed(root, Map.copyOf(tree.lines), tree.problems);
        } catch (JsonProcessingException syntax) {
            Problems problems = new Problems();
            problems.add(syntaxProblem(label, syntax));
            return new Parsed(null, Map.of(), problems);
        } catch (IOException cannotHappenOnAString) {
            throw new IllegalStateException(cannotHappenOnAString);
        }
    }

    private JsonNode value(JsonToken token, String path) throws IOException {
        if (token == JsonToken.START_OBJECT) return object(path);
        if (token == JsonToken.START_ARRAY) return array(path);
        if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) return NODES.booleanNode(token == JsonToken.VALUE_TRUE);
        if (token == JsonToken.VALUE_NULL) return NODES.nullNode();
        return NODES.textNode(parser.getText());
    }

    private ObjectNode object(String path) throws IOException {
        ObjectNode object = NODES.objectNode();
        for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
            String key = parser.currentName();
            String keyPath = KeyPaths.key(path, key);
            int line = parser.currentTokenLocation().getLineNr();
            if (object.has(key)) problems.add(new ConfigProblem(keyPath, OptionalInt.of(line), "duplicate key \"" + key + "\""));
            lines.putIfAbsent(keyPath, line);
            object.set(key, value(parser.nextToken(), keyPath));
        }
        return object;
    }

    private ArrayNode array(String path) throws IOException {
        ArrayNode array = NODES.arrayNode();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            String itemPath = KeyPaths.index(path, array.size());
            lines.putIfAbsent(itemPath, parser.currentTokenLocation().getLineNr());
            array.add(value(token, itemPath));
        }
        return array;
    }

    /** SnakeYAML says what it found where ("found character '\\t'...") apart from what it was doing; the former helps. */
    private static ConfigProblem syntaxProblem(String label, JsonProcessingException syntax) {
        if (syntax.getCause() instanceof MarkedYAMLException) {
            MarkedYAMLException marked = (MarkedYAMLException) syntax.getCause();
            Mark mark = marked.getProblemMark() != null ? marked.getProblemMark() : marked.getContextMark();
            String problem = marked.getProblem() != null ? marked.getProblem() : marked.getContext();
            String context = marked.getProblem() != null && marked.getContext() != null ? " (" + marked.getContext() + ")" : "";
            return new ConfigProblem(label, mark == null ? OptionalInt.empty() : OptionalInt.of(mark.getLine() + 1),
                    "YAML syntax: " + firstLine(problem) + context);
        }
        return new ConfigProblem(label, line(syntax.getLocation()), "YAML syntax: " + firstLine(syntax.getOriginalMessage()));
    }

    private static OptionalInt line(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? OptionalInt.empty() : OptionalInt.of(location.getLineNr());
    }

    private static String firstLine(String message) {
        String text = message == null ? "unreadable" : message.strip();
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline).strip();
    }
}
