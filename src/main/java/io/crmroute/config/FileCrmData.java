package io.crmroute.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a {@code file} CRM's JSON at load, so a broken file is a config problem and not a failed
 * call: an object whose keys are object names, each a list of flat records.
 */
final class FileCrmData {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FileCrmData() {}

    /** What is wrong with the file at {@code path}, if anything. */
    static Optional<String> check(Path path) {
        if (!Files.isRegularFile(path)) return Optional.of("no such file (looked for " + path + ")");
        if (!Files.isReadable(path)) return Optional.of("cannot read " + path);
        JsonNode root;
        try {
            root = JSON.readTree(path.toFile());
        } catch (JacksonException notJson) {
            return Optional.of("not valid JSON (line " + notJson.getLocation().getLineNr() + ")");
        } catch (IOException unreadable) {
            return Optional.of("cannot read " + path + ": " + unreadable.getClass().getSimpleName());
        }
        if (root == null || !root.isObject()) return Optional.of(SHAPE);
        for (Iterator<Map.Entry<String, JsonNode>> objects = root.fields(); objects.hasNext(); ) {
            Map.Entry<String, JsonNode> object = objects.next();
            if (!object.getValue().isArray()) return Optional.of("\"" + Names.shown(object.getKey()) + "\" is not a list of records; " + SHAPE);
            for (int i = 0; i < object.getValue().size(); i++) {
                JsonNode record = object.getValue().get(i);
                if (!isFlat(record)) {
                    return Optional.of(Names.shown(object.getKey()) + "[" + i + "] is not a flat record (text, number or true/false values); " + SHAPE);
                }
            }
        }
        return Optional.empty();
    }

    private static final String SHAPE = "expected {\"contacts\": [{\"phone\": \"+15551230001\", \"status\": \"GOLD\"}, ...], ...}";

    private static boolean isFlat(JsonNode record) {
        if (!record.isObject()) return false;
        for (JsonNode value : record) {
            if (!value.isValueNode()) return false;
        }
        return true;
    }
}
