package io.crmroute.crm;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Zoho CRM's metadata read into objects and fields: {@code GET /crm/vN/settings/modules}
 * ({@code modules[]} with {@code api_name}, {@code plural_label}, {@code api_supported}) and
 * {@code GET /crm/vN/settings/fields?module=M} ({@code fields[]} with {@code api_name},
 * {@code field_label}, {@code data_type}, {@code filterable}, {@code searchable}, {@code visible}).
 * Zoho lists fields for the organisation, not the user: a field hidden from the user's profile is still
 * listed, so "readable" is what {@code visible} says (a field removed from use is not visible).
 */
final class ZohoSchema {

    /** A module's API name (Contacts, Leads, Custom_Module1): also what goes into the fields query. */
    static final Pattern MODULE = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,99}");

    private ZohoSchema() {}

    /** The modules the API serves ({@code api_supported}); the others (Home, Reports...) are pages, not records. */
    static List<CrmObject> objects(JsonNode reply, CrmHttp http) {
        JsonNode modules = reply.path("modules");
        if (!modules.isArray()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "modules reply has no modules list");
        List<CrmObject> objects = new ArrayList<>();
        for (JsonNode module : modules) {
            if (!module.path("api_name").isTextual() || !module.path("api_supported").asBoolean(true)) continue;
            String label = module.path("plural_label").asText(module.path("module_name").asText(""));
            objects.add(new CrmObject(module.get("api_name").asText(), label));
        }
        return objects;
    }

    /** Filterable by {@code filterable}, else {@code searchable}, else (neither said) yes. */
    static List<CrmField> fields(JsonNode reply, CrmHttp http) {
        JsonNode fields = reply.path("fields");
        if (!fields.isArray()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "fields reply has no fields list");
        List<CrmField> listed = new ArrayList<>();
        for (JsonNode field : fields) {
            if (!field.path("api_name").isTextual()) continue;
            String label = field.path("field_label").asText(field.path("display_label").asText(""));
            boolean filterable = field.path("filterable").asBoolean(field.path("searchable").asBoolean(true));
            listed.add(new CrmField(field.get("api_name").asText(), label, field.path("data_type").asText(""), filterable,
                    field.path("visible").asBoolean(true)));
        }
        return listed;
    }
}
