package io.crmroute.crm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One record as flat field name to text value (nested vendor values are flattened by the
 * connector), with the record's id in its CRM and its page in the CRM's web UI where the connector
 * knows them, for an agent's screen pop.
 */
public record CrmRecord(Map<String, String> fields, Optional<String> id, Optional<String> url) {

    public CrmRecord {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        id = id.filter(text -> !text.isEmpty());
        url = url.filter(text -> !text.isEmpty());
    }

    /** A record whose id and page are not known. */
    public CrmRecord(Map<String, String> fields) {
        this(fields, Optional.empty(), Optional.empty());
    }

    public Optional<String> get(String field) {
        return Optional.ofNullable(fields.get(field));
    }

    /** This record with its id, and its page where {@code page} makes one of the id. */
    CrmRecord linked(String id, Function<String, Optional<String>> page) {
        if (id == null || id.isEmpty()) return this;
        return new CrmRecord(fields, Optional.of(id), page.apply(id));
    }

    /** This record with the id held in {@code idField}, if it has one, and its page as {@code page} makes it. */
    CrmRecord linkedBy(String idField, Function<String, Optional<String>> page) {
        return get(idField).map(value -> linked(value, page)).orElse(this);
    }
}
