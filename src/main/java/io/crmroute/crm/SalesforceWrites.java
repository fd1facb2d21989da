package io.crmroute.crm;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The requests of Salesforce writes, as REST v61.0 documents them (paths below {@code /services/data/vNN.N}):
 * a create is {@code POST /sobjects/{O}/}, or with a key field the upsert {@code PATCH /sobjects/{O}/{keyField}/{callKey}}
 * (201 created, 200 found: a retry never makes a second record); an update {@code PATCH /sobjects/{O}/{id}};
 * a call log a Task ({@code TaskSubtype} Call, {@code CallType} Inbound, {@code Status} Completed, {@code WhoId}
 * for a Contact or Lead, {@code WhatId} for any other record, {@code CallObject} the call key), made retry-safe
 * by the upsert on the key field or else by {@code SELECT Id FROM Task WHERE CallObject = '...'} before the
 * create. Bodies are Jackson's JSON and path segments percent-encoded, so no caller ID leaves its value.
 */
final class SalesforceWrites {

    /** Objects a Task names as its WhoId (a person); any other record is its WhatId. */
    private static final Set<String> WHO_OBJECTS = Set.of("contact", "lead");
    /** The Task field that holds the call key when no key field is given (string 255). */
    static final String CALL_OBJECT = "CallObject";

    private SalesforceWrites() {}

    /** A request below {@code /services/data/vNN.N}: method, path, JSON body (none for a GET). */
    record Request(String method, String path, Optional<ObjectNode> body) {}

    static Request create(CrmWrite.Create create) {
        String object = sObject(create.object());
        ObjectNode body = body(create.fields(), create.keyField());
        return create.keyField()
                .map(key -> new Request("PATCH", upsertPath(object, key, create.callKey()), Optional.of(body)))
                .orElseGet(() -> new Request("POST", "/sobjects/" + object + "/", Optional.of(body)));
    }

    static Request update(CrmWrite.Update update) {
        return new Request("PATCH", "/sobjects/" + sObject(update.object()) + "/" + CrmCall.encode(update.recordId()),
                Optional.of(body(update.fields(), Optional.empty())));
    }

    /** The Task for a call log; with a key field an upsert, else a POST to make after {@link #earlierTask} found none. */
    static Request task(CrmWrite.LogCall log) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("TaskSubtype", "Call");
        body.put("Subject", log.subject());
        body.put(WHO_OBJECTS.contains(log.object().toLowerCase(Locale.ROOT)) ? "WhoId" : "WhatId", log.recordId());
        body.put("Status", "Completed");
        body.put("CallType", "Inbound");
        body.put("ActivityDate", log.call().started().atOffset(ZoneOffset.UTC).toLocalDate().toString());
        body.put(CALL_OBJECT, log.callKey());
        body.setAll(body(log.fields(), log.keyField()));
        return log.keyField()
                .map(key -> new Request("PATCH", upsertPath("Task", key, log.callKey()), Optional.of(body)))
                .orElseGet(() -> new Request("POST", "/sobjects/Task/", Optional.of(body)));
    }

    /** The SOQL that finds the Task an earlier attempt of this call log made. */
    static String earlierTask(CrmWrite.LogCall log) {
        return "SELECT Id FROM Task WHERE " + CALL_OBJECT + " = " + SoqlQuery.literal(log.callKey()) + " LIMIT 1";
    }

    private static String upsertPath(String object, String keyField, String callKey) {
        return "/sobjects/" + object + "/" + sObject(keyField) + "/" + CrmCall.encode(callKey);
    }

    /** The fields as JSON, leaving out the key field: Salesforce refuses it in an upsert's body. */
    private static ObjectNode body(Map<String, String> fields, Optional<String> keyField) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        fields.forEach((field, value) -> {
            if (keyField.filter(field::equalsIgnoreCase).isEmpty()) body.put(field, value);
        });
        return body;
    }

    /** An sObject or field API name, which goes into a path as it is. */
    private static String sObject(String name) {
        if (!SalesforceSchema.OBJECT.matcher(name).matches()) throw new IllegalArgumentException("not a Salesforce API name: " + name);
        return name;
    }
}
