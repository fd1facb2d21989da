package io.crmroute.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.Map;

/** Writes {@code route_rule}: the rules of a route document as rows, for queries and reports. */
final class RuleRows {

    private RuleRows() {}

    /** Replaces the rows of {@code route} with its document's rules; the document has validated. */
    static void replace(Connection connection, String route, JsonNode document) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM route_rule WHERE route_name = ?")) {
            delete.setString(1, route);
            delete.executeUpdate();
        }
        JsonNode rules = document.path("rules");
        if (!rules.isArray() || rules.isEmpty()) return;
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO route_rule (route_name, position, name, field, operator, value, dest_type, dest, voicemail)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int position = 0;
            for (JsonNode rule : rules) {
                position++;
                Map.Entry<String, JsonNode> to = firstField(rule.path("to"));
                insert.setString(1, route);
                insert.setInt(2, position);
                insert.setString(3, textOrNull(rule.path("name")));
                insert.setString(4, textOrNull(rule.path("field")));
                insert.setString(5, rule.path("op").asText(""));
                insert.setString(6, rule.path("value").asText(""));
                insert.setString(7, to == null ? "" : to.getKey());
                insert.setString(8, to == null ? "" : to.getValue().asText(""));
                insert.setBoolean(9, rule.path("voicemail").asBoolean(false));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static Map.Entry<String, JsonNode> firstField(JsonNode node) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        return fields.hasNext() ? fields.next() : null;
    }

    private static String textOrNull(JsonNode node) {
        return node.isValueNode() && !node.isNull() ? node.asText() : null;
    }
}
