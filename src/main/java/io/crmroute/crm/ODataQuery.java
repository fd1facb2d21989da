package io.crmroute.crm;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Dataverse Web API query the Dynamics connector sends:
 * {@code $select=f1,f2&$filter=field eq 'v1' or field eq 'v2'&$count=true}. Names come from the
 * config and must be logical names; values come from callers and are OData string literals (a
 * quote doubled), and the whole query is URL-encoded (a {@code +} as {@code %2B}, a space as {@code %20}).
 */
final class ODataQuery {

    /** A caller's value longer than this is no phone number, account or e-mail: it is not sent. */
    static final int MAX_VALUE_LENGTH = 255;
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    private ODataQuery() {}

    /**
     * The raw query string (already URL-encoded); {@code values} must be non-empty and {@link #canMatch} each.
     * @throws IllegalArgumentException naming the first field that is not a logical name
     */
    static String queryString(String field, List<String> fields, List<String> values) {
        return "$select=" + CrmCall.encode(String.join(",", selectList(field, fields)))
                + "&$filter=" + CrmCall.encode(filter(field, values))
                + "&$count=true";
    }

    /** {@code field eq 'v1' or field eq 'v2'}. */
    static String filter(String field, List<String> values) {
        requireName("field", field);
        List<String> terms = new ArrayList<>();
        for (String value : values) terms.add(field + " eq " + literal(value));
        return String.join(" or ", terms);
    }

    /** {@code fields} without repeats, or just the match field (never every column). */
    static List<String> selectList(String field, List<String> fields) {
        Set<String> unique = new LinkedHashSet<>();
        for (String name : fields) {
            requireName("field", name);
            unique.add(name);
        }
        if (unique.isEmpty()) unique.add(field);
        return List.copyOf(unique);
    }

    /** {@code value} as an OData string literal: single quotes around, a quote inside doubled. */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** Whether a text column could hold {@code value}: not empty, not too long, no control characters but tab and line ends. */
    static boolean canMatch(String value) {
        if (value.isEmpty() || value.length() > MAX_VALUE_LENGTH) return false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) && "\n\r\t".indexOf(c) < 0) return false;
        }
        return true;
    }

    static void requireName(String what, String name) {
        if (!NAME.matcher(name).matches()) throw new IllegalArgumentException(what + " is not a Dataverse logical name: " + name);
    }
}
