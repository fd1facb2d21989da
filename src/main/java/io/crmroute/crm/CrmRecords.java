package io.crmroute.crm;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Vendor JSON to flat {@link CrmRecord}s. Scalars become their text; nested objects become
 * {@code parent.child}; an array of scalars becomes its values joined with {@code ","}; an array
 * holding objects becomes {@code parent.0.child}, {@code parent.1.child}...; nulls are left out.
 */
final class CrmRecords {

    private CrmRecords() {}

    static CrmRecord flatten(JsonNode object) {
        Map<String, String> fields = new LinkedHashMap<>();
        flattenInto("", object, fields);
        return new CrmRecord(fields);
    }

    /** Each object element of {@code array} flattened, at most {@code limit}. */
    static List<CrmRecord> flattenAll(JsonNode array, int limit) {
        List<CrmRecord> records = new ArrayList<>();
        for (JsonNode element : array) {
            if (records.size() >= limit) break;
            if (element.isObject()) records.add(flatten(element));
        }
        return records;
    }

    private static void flattenInto(String prefix, JsonNode node, Map<String, String> fields) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> flattenInto(prefix + field.getKey() + '.', field.getValue(), fields));
        } else if (node.isArray()) {
            String name = prefix.substring(0, Math.max(0, prefix.length() - 1));
            if (allScalars(node)) {
                List<String> values = new ArrayList<>();
                node.forEach(element -> { if (!element.isNull()) values.add(element.asText()); });
                fields.put(name, String.join(",", values));
            } else {
                for (int i = 0; i < node.size(); i++) flattenInto(prefix + i + '.', node.get(i), fields);
            }
        } else if (!node.isNull() && !node.isMissingNode() && !prefix.isEmpty()) {
            fields.put(prefix.substring(0, prefix.length() - 1), node.asText());
        }
    }

    private static boolean allScalars(JsonNode array) {
        for (JsonNode element : array) {
            if (element.isContainerNode()) return false;
        }
        return true;
    }
}
