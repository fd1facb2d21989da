package io.crmroute.crm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one SOQL statement the Salesforce connector sends:
 * {@code SELECT f1,f2 FROM Object WHERE Field IN ('v1','v2') LIMIT n}. Names come from the config and
 * must be API names (relationship paths like {@code Account.Name} allowed); values come from callers
 * and are written as SOQL string literals with every reserved character backslash-escaped.
 */
final class SoqlQuery {

    /** Salesforce text fields hold at most 255 characters: a longer value cannot match. */
    static final int MAX_VALUE_LENGTH = 255;
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,79}(\\.[A-Za-z][A-Za-z0-9_]{0,79}){0,4}");
    private static final Pattern OBJECT = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,79}");

    private SoqlQuery() {}

    /**
     * The statement; {@code values} must be non-empty and {@link #canMatch} each.
     * @throws IllegalArgumentException naming the first object or field that is not an API name
     */
    static String select(String object, String field, List<String> fields, List<String> values, int limit) {
        requireName(OBJECT, "object", object);
        requireName(NAME, "field", field);
        List<String> literals = new ArrayList<>();
        for (String value : values) literals.add(literal(value));
        return "SELECT " + String.join(",", selectList(fields)) + " FROM " + object
                + " WHERE " + field + " IN (" + String.join(",", literals) + ") LIMIT " + limit;
    }

    /** {@code fields} without repeats (SOQL refuses a field selected twice, in any case), or {@code Id}. */
    static List<String> selectList(List<String> fields) {
        Map<String, String> unique = new LinkedHashMap<>();
        for (String field : fields) {
            requireName(NAME, "field", field);
            unique.putIfAbsent(field.toLowerCase(Locale.ROOT), field);
        }
        return unique.isEmpty() ? List.of("Id") : List.copyOf(unique.values());
    }

    /** {@code value} as a quoted SOQL string literal. */
    static String literal(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\'': out.append("\\'"); break;
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                case '\b': out.append("\\b"); break;
                case '\f': out.append("\\f"); break;
                default:
                    if (Character.isISOControl(c)) throw new IllegalArgumentException("control character in a SOQL literal");
                    out.append(c);
            }
        }
        return out.append('\'').toString();
    }

    /**
     * Whether a record could hold {@code value}: not longer than a text field, and no control
     * characters SOQL has no escape for. Values that cannot match are left out of the query.
     */
    static boolean canMatch(String value) {
        if (value.isEmpty() || value.length() > MAX_VALUE_LENGTH) return false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) && "\n\r\t\b\f".indexOf(c) < 0) return false;
        }
        return true;
    }

    private static void requireName(Pattern pattern, String what, String name) {
        if (!pattern.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " is not a Salesforce API name: " + name);
        }
    }
}
