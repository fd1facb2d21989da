package io.crmroute.crm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** One record as flat field name to text value; nested vendor values are flattened by the connector. */
public record CrmRecord(Map<String, String> fields) {

    public CrmRecord {
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public Optional<String> get(String field) {
        return Optional.ofNullable(fields.get(field));
    }
}
