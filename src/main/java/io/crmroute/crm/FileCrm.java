package io.crmroute.crm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The embedded CRM (type {@code file}): records in a JSON file, {@code {"contacts": [{...}, ...]}},
 * read once at start. Each (object, field) is indexed on first use, by exact value, or by E.164
 * number when the lookup matches phone numbers, so a lookup is one map get and answers at once.
 */
final class FileCrm implements CrmConnector {

    private final String name;
    private final String label;
    private final Map<String, List<CrmRecord>> objects;
    private final ConcurrentMap<IndexKey, Map<String, List<CrmRecord>>> indexes = new ConcurrentHashMap<>();

    /** {@code country} is null for exact matching. */
    private record IndexKey(String object, String field, String country) {}

    private FileCrm(String name, String label, Map<String, List<CrmRecord>> objects) {
        this.name = name;
        this.label = label;
        this.objects = objects;
    }

    /** Reads the file named by the {@code path} setting; throws IllegalArgumentException saying what is wrong. */
    static FileCrm load(CrmSpec spec) {
        String where = "crm " + spec.name() + ": ";
        String path = spec.setting("path").orElseThrow(() -> new IllegalArgumentException(where + "path is not set"));
        Path file = spec.configDir().resolve(path);
        JsonNode root;
        try {
            root = CrmHttp.JSON.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(where + "records file not found: " + file);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + "records file " + file + " is not valid JSON: "
                    + e.getOriginalMessage() + " (line " + e.getLocation().getLineNr() + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException(where + "cannot read records file " + file + ": " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(where + "records file " + file + " must hold a JSON object of object name to list of records");
        }
        Map<String, List<CrmRecord>> objects = new HashMap<>();
        root.fields().forEachRemaining(entry -> {
            if (!entry.getValue().isArray()) {
                throw new IllegalArgumentException(where + "records file " + file + ": \"" + entry.getKey() + "\" must be a list of records");
            }
            List<CrmRecord> records = new ArrayList<>();
            for (JsonNode record : entry.getValue()) {
                if (!record.isObject()) {
                    throw new IllegalArgumentException(where + "records file " + file + ": \"" + entry.getKey() + "\" holds a non-object");
                }
                records.add(CrmRecords.flatten(record));
            }
            objects.put(entry.getKey(), List.copyOf(records));
        });
        return new FileCrm(spec.name(), path, Map.copyOf(objects));
    }

    @Override
    public String name() {
        return name;
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
