package io.crmroute.crm;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * HubSpot's objects and properties. The standard object types are fixed (HubSpot has no endpoint listing
 * them); custom ones come from {@code GET /crm/v3/schemas} ({@code results[]} with {@code objectTypeId}
 * and {@code labels.plural}), named by their {@code objectTypeId} ({@code 2-123456}), which the search
 * API takes. Properties come from {@code GET /crm/v3/properties/{objectType}} ({@code results[]} with
 * {@code name}, {@code label}, {@code type}). HubSpot has no filterable flag (search filters on any
 * property) and no per-user read flag (access is the token's scopes): every property listed is both.
 */
final class HubSpotSchema {

    /** The standard object types a lookup can search, in the order HubSpot's docs list them. */
    static final List<CrmObject> STANDARD = List.of(
            new CrmObject("contacts", "Contacts"),
            new CrmObject("companies", "Companies"),
            new CrmObject("deals", "Deals"),
            new CrmObject("tickets", "Tickets"),
            new CrmObject("products", "Products"),
            new CrmObject("line_items", "Line items"),
            new CrmObject("quotes", "Quotes"),
            new CrmObject("calls", "Calls"),
            new CrmObject("emails", "Emails"),
            new CrmObject("meetings", "Meetings"),
            new CrmObject("notes", "Notes"),
            new CrmObject("tasks", "Tasks"));

    private HubSpotSchema() {}

    /** The standard types, then each custom object of the account. */
    static List<CrmObject> objects(JsonNode schemas, CrmHttp http) {
        JsonNode results = schemas.path("results");
        if (!results.isArray()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "schemas reply has no results list");
        List<CrmObject> objects = new ArrayList<>(STANDARD);
        for (JsonNode schema : results) {
            if (!schema.path("objectTypeId").isTextual()) continue;
            String label = schema.path("labels").path("plural").asText(schema.path("name").asText(""));
            objects.add(new CrmObject(schema.get("objectTypeId").asText(), label));
        }
        return objects;
    }

    static List<CrmField> fields(JsonNode properties, CrmHttp http) {
        JsonNode results = properties.path("results");
        if (!results.isArray()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "properties reply has no results list");
        List<CrmField> fields = new ArrayList<>();
        for (JsonNode property : results) {
            if (!property.path("name").isTextual()) continue;
            fields.add(new CrmField(property.get("name").asText(), property.path("label").asText(""), property.path("type").asText(""),
                    true, true));
        }
        return fields;
    }
}
