package io.crmroute.crm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Zoho CRM COQL statement the Zoho connector posts:
 * {@code select f1,f2 from Module where Field in ('v1','v2') limit n}. Names come from the config
 * and must be API names (a lookup path like {@code Account_Name.Phone} allowed); values come from
 * callers and are string literals with {@code '} and {@code \} backslash-escaped.
 */
final class CoqlQuery {

    /** Zoho single-line fields hold at most 255 characters: a longer value cannot match. */
    static final int MAX_VALUE_LENGTH = 255;
    /** COQL answers at most 2,000 records a call. */
    static final int MAX_LIMIT = 2000;
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,99}(\\.[A-Za-z][A-Za-z0-9_]{0,99}){0,2}");
    private static final Pattern MODULE = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,99}");

    private CoqlQuery() {}

    /**
     * The statement; {@code values} must be non-empty and {@link #canMatch} each.
     * @throws IllegalArgumentException naming the first module or field that is not an API name
     */
    static String select(String module, String field, List<String> fields, List<String> values, int limit) {
        requireName(MODULE, "object", module);
        requireName(NAME, "field", field);
        List<String> literals = new ArrayList<>();
        for (String value : values) literals.add(literal(value));
        return "select " + String.join(",", selectList(fields)) + " from " + module
                + " where " + field + " in (" + String.join(",", literals) + ") limit " + Math.min(limit, MAX_LIMIT);
    }

    /** {@code fields} without repeats (COQL refuses duplicates), or {@code id}. */
    static List<String> selectList(List<String> fields) {
        Map<String, String> unique = new LinkedHashMap<>();
        for (String field : fields) {
            requireName(NAME, "field", field);
            unique.putIfAbsent(field.toLowerCase(Locale.ROOT), field);
        }
        return unique.isEmpty() ? List.of("id") : List.copyOf(unique.values());
    }

    /** {@code value} as a quoted COQL string: a quote or backslash inside gets a backslash before it. */
    static String literal(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) throw new IllegalArgumentException("control character in a COQL literal");
            if (c == '\'' || c == '\\') out.append('\\');
            out.append(c);
        }
        return out.append('\'').toString();
    }

    /** Whether a field could hold {@code value}: not empty, not too long, no control characters. */
    static boolean canMatch(String value) {
        if (value.isEmpty() || value.length() > MAX_VALUE_LENGTH) return false;
        return value.chars().noneMatch(Character::isISOControl);
    }

    private static void requireName(Pattern pattern, String what, String name) {
        if (!pattern.matcher(name).matches()) throw new IllegalArgumentException(what + " is not a Zoho API name: " + name);
    }
}
