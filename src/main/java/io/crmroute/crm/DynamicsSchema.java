package io.crmroute.crm;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Dataverse's metadata read into objects and fields. Objects are the entities Advanced Find can query
 * ({@code EntityDefinitions?$filter=IsValidForAdvancedFind eq true}), named by their {@code EntitySetName}
 * ({@code contacts}), which is what a route's {@code object:} and the lookup's URL take; fields are an
 * entity's {@code Attributes}, filterable when {@code IsValidForAdvancedFind.Value} (the documented
 * signal: {@code IsFilterable} is "for internal use only"), readable when {@code IsValidForRead}.
 */
final class DynamicsSchema {

    static final String OBJECTS_QUERY = "EntityDefinitions?$select=LogicalName,EntitySetName,DisplayName"
            + "&$filter=IsValidForAdvancedFind%20eq%20true";
    static final String ATTRIBUTES_SELECT = "$select=LogicalName,DisplayName,AttributeType,IsValidForRead,IsValidForAdvancedFind";

    private DynamicsSchema() {}

    /** The query that finds an entity set's logical name ({@code contacts} -> {@code contact}). */
    static String entityOfSet(String entitySet) {
        ODataQuery.requireName("object", entitySet);
        return "EntityDefinitions?$select=LogicalName,EntitySetName&$filter=EntitySetName%20eq%20'" + entitySet + "'";
    }

    static String attributesOf(String logicalName) {
        ODataQuery.requireName("entity", logicalName);
        return "EntityDefinitions(LogicalName='" + logicalName + "')/Attributes?" + ATTRIBUTES_SELECT;
    }

    static List<CrmObject> objects(JsonNode reply, CrmHttp http) {
        List<CrmObject> objects = new ArrayList<>();
        for (JsonNode entity : values(reply, http)) {
            if (!entity.path("EntitySetName").isTextual()) continue;
            objects.add(new CrmObject(entity.get("EntitySetName").asText(), label(entity)));
        }
        return objects;
    }

    /** The logical name of the one entity the reply of {@link #entityOfSet} holds, if any. */
    static Optional<String> logicalName(JsonNode reply, CrmHttp http) {
        for (JsonNode entity : values(reply, http)) {
            if (entity.path("LogicalName").isTextual()) return Optional.of(entity.get("LogicalName").asText());
        }
        return Optional.empty();
    }

    static List<CrmField> fields(JsonNode reply, CrmHttp http) {
        List<CrmField> fields = new ArrayList<>();
        for (JsonNode attribute : values(reply, http)) {
            if (!attribute.path("LogicalName").isTextual()) continue;
            fields.add(new CrmField(attribute.get("LogicalName").asText(), label(attribute), attribute.path("AttributeType").asText(""),
                    attribute.path("IsValidForAdvancedFind").path("Value").asBoolean(false),
                    attribute.path("IsValidForRead").asBoolean(true)));
        }
        return fields;
    }

    private static JsonNode values(JsonNode reply, CrmHttp http) {
        JsonNode value = reply.path("value");
        if (!value.isArray()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "metadata reply has no value list");
        return value;
    }

    /** {@code DisplayName.UserLocalizedLabel.Label}: null (the name stands in) when the entity has none. */
    private static String label(JsonNode metadata) {
        JsonNode label = metadata.path("DisplayName").path("UserLocalizedLabel").path("Label");
        return label.isTextual() ? label.asText() : null;
    }
}
