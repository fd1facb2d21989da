package io.crmroute.crm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The body of SugarCRM's {@code POST /{Module}/filter}. Values travel as JSON strings, so they need
 * no query-language escaping; names do not: a field called {@code $or} would change the filter's
 * meaning and a module name is part of the URL path, so both must be plain identifiers.
 */
final class SugarQuery {

    /** Longer values are no phone number or account key: no match, without asking. */
    static final int MAX_VALUE = 128;
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

    private SugarQuery() {}

    static boolean isIdentifier(String name) {
        return name != null && IDENTIFIER.matcher(name).matches();
    }

    /**
     * {@code {"filter":[{"f":{"$equals":"v"}}],"fields":"a,b","max_num":n}}; several values become
     * {@code {"$or":[{"f":{"$equals":"v1"}},{"f":{"$equals":"v2"}}]}}. No fields: Sugar's defaults.
     */
    static ObjectNode filter(String field, List<String> values, List<String> fields, int maxNum) {
        ObjectNode body = CrmHttp.JSON.createObjectNode();
        ArrayNode filter = body.putArray("filter");
        if (values.size() == 1) {
            filter.add(equals(field, values.get(0)));
        } else {
            ArrayNode any = filter.addObject().putArray("$or");
            values.forEach(value -> any.add(equals(field, value)));
        }
        if (!fields.isEmpty()) body.put("fields", String.join(",", fields));
        body.put("max_num", maxNum);
        return body;
    }

    private static ObjectNode equals(String field, String value) {
        ObjectNode condition = CrmHttp.JSON.createObjectNode();
        condition.putObject(field).put("$equals", value);
        return condition;
    }
}
