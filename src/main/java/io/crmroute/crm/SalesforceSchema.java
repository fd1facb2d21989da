package io.crmroute.crm;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Salesforce's metadata replies read into objects and fields: describeGlobal
 * ({@code GET /services/data/vNN.N/sobjects/}: {@code sobjects[]} with {@code name}, {@code label},
 * {@code queryable}) and sObject describe ({@code GET .../sobjects/{O}/describe}: {@code fields[]} with
 * {@code name}, {@code label}, {@code type}, {@code filterable}). Both answer for the running user:
 * describe leaves out the fields field-level security hides from it, so every field listed is readable.
 */
final class SalesforceSchema {

    /** An sObject's API name (Contact, Invoice__c, ns__Thing__c): also what goes into the describe URL. */
    static final Pattern OBJECT = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,79}");

    private SalesforceSchema() {}

    /** The sObjects a SOQL query can read ({@code queryable}); the others could never be a route's object. */
    static List<CrmObject> objects(JsonNode reply, CrmHttp http) {
        JsonNode sobjects = reply.path("sobjects");
        if (!sobjects.isArray()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "describeGlobal reply has no sobjects list");
        List<CrmObject> objects = new ArrayList<>();
        for (JsonNode sobject : sobjects) {
            if (!sobject.path("name").isTextual() || !sobject.path("queryable").asBoolean(true)) continue;
            objects.add(new CrmObject(sobject.get("name").asText(), sobject.path("label").asText("")));
        }
        return objects;
    }

    static List<CrmField> fields(JsonNode reply, CrmHttp http) {
        JsonNode fields = reply.path("fields");
        if (!fields.isArray()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "describe reply has no fields list");
        List<CrmField> listed = new ArrayList<>();
        for (JsonNode field : fields) {
            if (!field.path("name").isTextual()) continue;
            listed.add(new CrmField(field.get("name").asText(), field.path("label").asText(""), field.path("type").asText(""),
                    field.path("filterable").asBoolean(false), true));
        }
        return listed;
    }
}
