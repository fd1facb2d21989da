package io.crmroute.crm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.crmroute.logging.LogText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The embedded CRM (type {@code file}): records in a JSON file, {@code {"contacts": [{...}, ...]}},
 * read once at start. Each (object, field) is indexed on first use, by exact value, or by E.164
 * number when the lookup matches phone numbers, so a lookup is one map get and answers at once.
 */
final class FileCrm implements CrmConnector {

    static final CrmKey<Settings> PATH = CrmKey.required("path", FileCrm::records);

    static final CrmKey<String> RECORD_URL = CrmKey.optional("record-url", FileCrm::recordUrlTemplate);

    static final CrmType<Settings> TYPE = CrmType.of("file", Settings.class,
            values -> values.get(PATH).linked(values.find(RECORD_URL)), FileCrm::new, PATH, RECORD_URL);

    private static final String SHAPE = "expected {\"contacts\": [{\"phone\": \"+15551230001\", \"status\": \"GOLD\"}, ...], ...}";

    /** A file entry, read: the records of each object, and the path as written (for traces). */
    record Settings(String label, Map<String, List<CrmRecord>> objects) {

        Settings {
            objects = Map.copyOf(objects);
        }

        /**
         * These records, each with the {@code id} it holds (if any) as its id, and its page made of
         * {@code urlTemplate} ({@code {object}} and {@code {id}} replaced) when one is configured.
         */
        Settings linked(Optional<String> urlTemplate) {
            Map<String, List<CrmRecord>> linked = new HashMap<>();
            objects.forEach((object, records) -> linked.put(object, records.stream()
                    .map(record -> record.linkedBy("id", id -> urlTemplate.map(template -> recordUrl(template, object, id))))
                    .toList()));
            return new Settings(label, linked);
        }
    }

    /** {@code template} with {@code {object}} and {@code {id}} replaced by their values, each percent-encoded. */
    static String recordUrl(String template, String object, String id) {
        return template.replace("{object}", CrmCall.encode(object)).replace("{id}", CrmCall.encode(id));
    }

    private static String recordUrlTemplate(String text, CrmKey.Context context) {
        String expected = "expected an absolute https:// URL holding {id}, such as https://crm.example.com/{object}/{id}";
        if (!text.contains("{id}")) throw new IllegalArgumentException(expected);
        try {
            java.net.URI uri = new java.net.URI(text.replace("{object}", "object").replace("{id}", "id"));
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (uri.getHost() != null && (scheme.equals("https") || scheme.equals("http"))) return text;
        } catch (java.net.URISyntaxException notAUri) {
            // reported below
        }
        throw new IllegalArgumentException(expected);
    }

    private final CrmSpec spec;
    private final String name;
    private final String label;
    private final Map<String, List<CrmRecord>> objects;
    private final ConcurrentMap<IndexKey, Map<String, List<CrmRecord>>> indexes = new ConcurrentHashMap<>();

    /** {@code country} is null for exact matching. */
    private record IndexKey(String object, String field, String country) {}

    FileCrm(CrmSpec spec, Settings settings, CrmContext context) {
        this.spec = spec;
        this.name = spec.name();
        this.label = settings.label();
        this.objects = settings.objects();
    }

    /**
     * Reads the records file at {@code path} (relative to the config's folder) once, at load, so a
     * missing or malformed file is a config problem and not a failed call: a JSON object whose keys
     * are object names, each a list of flat records.
     */
    static Settings records(String path, CrmKey.Context context) {
        Path file = context.configDir().resolve(path).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("no such file (looked for " + file + ")");
        JsonNode root;
        try {
            root = CrmHttp.JSON.readTree(Files.readString(file));
        } catch (JsonProcessingException notJson) {
            throw new IllegalArgumentException("not valid JSON (line " + notJson.getLocation().getLineNr() + ")");
        } catch (IOException unreadable) {
            throw new IllegalArgumentException("cannot read " + file + ": " + unreadable.getClass().getSimpleName());
        }
        if (root == null || !root.isObject()) throw new IllegalArgumentException(SHAPE);
        Map<String, List<CrmRecord>> objects = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> entries = root.fields(); entries.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = entries.next();
            String object = LogText.safe(entry.getKey());
            if (!entry.getValue().isArray()) throw new IllegalArgumentException("\"" + object + "\" is not a list of records; " + SHAPE);
            List<CrmRecord> records = new ArrayList<>();
            for (JsonNode record : entry.getValue()) {
                if (!isFlat(record)) {
                    throw new IllegalArgumentException(object + "[" + records.size() + "] is not a flat record (text, number or true/false values); " + SHAPE);
                }
                records.add(CrmRecords.flatten(record));
            }
            objects.put(entry.getKey(), List.copyOf(records));
        }
        return new Settings(path, objects);
    }

    private static boolean isFlat(JsonNode record) {
        if (!record.isObject()) return false;
        for (JsonNode value : record) {
            if (!value.isValueNode()) return false;
        }
        return true;
    }

    @Override
    public String name() {
        return name;
    }

    /** The file's keys, in name order; a file has no labels, so each is its name. */
    @Override
    public CompletableFuture<List<CrmObject>> objects() {
        return CompletableFuture.completedFuture(new TreeSet<>(objects.keySet()).stream().map(object -> new CrmObject(object, object)).toList());
    }

    /** Every key any record of {@code object} has, in the order first seen; all text, all readable and filterable. */
    @Override
    public CompletableFuture<List<CrmField>> fields(String object) {
        List<CrmRecord> records = objects.get(object);
        if (records == null) {
            return CompletableFuture.failedFuture(CrmHttp.failure(spec, CrmException.Kind.CONFIG,
                    "no object \"" + object + "\" in " + label + " (it has " + String.join(", ", new TreeSet<>(objects.keySet())) + ")"));
        }
        Set<String> names = new LinkedHashSet<>();
        records.forEach(record -> names.addAll(record.fields().keySet()));
        return CompletableFuture.completedFuture(names.stream().map(field -> new CrmField(field, field, "text", true, true)).toList());
    }

    /** Answers whole records (the caller picks the fields it retrieves), at most the limit. */
    @Override
    public CompletableFuture<LookupResult> lookup(LookupRequest request) {
        try {
            String country = request.phone().map(PhoneMatching::defaultCountry).orElse(null);
            String key = normalise(request.value(), country);
            request.trace().accept("file " + label + ": " + request.object() + " where " + request.field() + " = " + key);
            List<CrmRecord> found = indexes
                    .computeIfAbsent(new IndexKey(request.object(), request.field(), country), this::index)
                    .getOrDefault(key, List.of());
            return CompletableFuture.completedFuture(
                    new LookupResult(found.subList(0, Math.min(request.limit(), found.size())), found.size()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private Map<String, List<CrmRecord>> index(IndexKey key) {
        Map<String, List<CrmRecord>> index = new LinkedHashMap<>();
        for (CrmRecord record : objects.getOrDefault(key.object(), List.of())) {
            record.get(key.field()).ifPresent(value ->
                    index.computeIfAbsent(normalise(value, key.country()), v -> new ArrayList<>()).add(record));
        }
        return Map.copyOf(index);
    }

    private static String normalise(String value, String country) {
        return country == null ? value : PhoneNumbers.e164(value, country).orElse(value);
    }
}
