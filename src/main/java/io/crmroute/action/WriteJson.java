package io.crmroute.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmroute.crm.CrmWrite;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link CrmWrite} as the outbox keeps it: everything another node needs to redo it (kind, object, record id,
 * fields in order, subject, call facts, key field, call key). Call data only: credentials live in the connector.
 */
final class WriteJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private WriteJson() {}

    static String write(CrmWrite write) {
        ObjectNode node = JSON.createObjectNode();
        node.put("object", write.object());
        node.put("callKey", write.callKey());
        write.keyField().ifPresent(field -> node.put("keyField", field));
        ObjectNode fields = node.putObject("fields");
        write.fields().forEach(fields::put);
        if (write instanceof CrmWrite.Create) {
            node.put("kind", "create");
        } else if (write instanceof CrmWrite.Update update) {
            node.put("kind", "update");
            node.put("recordId", update.recordId());
        } else {
            CrmWrite.LogCall logCall = (CrmWrite.LogCall) write;
            node.put("kind", "log-call");
            node.put("recordId", logCall.recordId());
            node.put("subject", logCall.subject());
            ObjectNode call = node.putObject("call");
            call.put("callerId", logCall.call().callerId());
            call.put("dnid", logCall.call().dnid());
            call.put("uniqueid", logCall.call().uniqueid());
            call.put("started", logCall.call().started().toString());
        }
        return node.toString();
    }

    /** The write {@link #write} made {@code json} of; fails with {@link IllegalArgumentException} on anything else. */
    static CrmWrite read(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON", e);
        }
        String object = required(node, "object");
        String callKey = required(node, "callKey");
        Optional<String> keyField = Optional.ofNullable(node.get("keyField")).map(JsonNode::asText);
        Map<String, String> fields = new LinkedHashMap<>();
        node.path("fields").fields().forEachRemaining(field -> fields.put(field.getKey(), field.getValue().asText()));
        String kind = required(node, "kind");
        switch (kind) {
            case "create":
                return new CrmWrite.Create(object, fields, keyField, callKey);
            case "update":
                return new CrmWrite.Update(object, required(node, "recordId"), fields, callKey);
            case "log-call":
                JsonNode call = node.path("call");
                CrmWrite.CallFacts facts = new CrmWrite.CallFacts(call.path("callerId").asText(), call.path("dnid").asText(),
                        call.path("uniqueid").asText(), Instant.parse(required(call, "started")));
                return new CrmWrite.LogCall(object, required(node, "recordId"), required(node, "subject"), fields, facts, keyField, callKey);
            default:
                throw new IllegalArgumentException("unknown kind " + kind);
        }
    }

    private static String required(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual()) throw new IllegalArgumentException("no " + name);
        return value.asText();
    }
}
