package io.crmroute.crm;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Vtiger query language text. VTQL has no bind parameters and its escaping is not documented, so
 * nothing is escaped: a value goes between quotes only when every character is on a whitelist
 * (letters, digits, space and {@code @ . _ + ( ) -}: e-mail addresses, account keys and every phone
 * notation), and names only when they are identifiers. A value off the whitelist is not asked at all.
 */
final class VtigerQuery {

    static final int MAX_VALUE = 64;
    /** Vtiger answers at most 100 rows per query. */
    static final int MAX_ROWS = 100;
    private static final Pattern SAFE_VALUE = Pattern.compile("[\\p{L}\\p{N} @._+()\\-]{1," + MAX_VALUE + "}");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

    private VtigerQuery() {}

    static boolean isIdentifier(String name) {
        return name != null && IDENTIFIER.matcher(name).matches();
    }

    /** True when {@code value} may stand between single quotes as it is. */
    static boolean isSafeValue(String value) {
        return value != null && SAFE_VALUE.matcher(value).matches();
    }

    /**
     * {@code SELECT a,b FROM Module WHERE f = 'v' LIMIT n;}, or {@code WHERE f IN ('v1','v2')} for
     * several values; no fields select {@code *}. Names and values must have passed the checks above.
     */
    static String select(String module, String field, List<String> values, List<String> fields, int rows) {
        if (!isIdentifier(module) || !isIdentifier(field) || !fields.stream().allMatch(VtigerQuery::isIdentifier)) {
            throw new IllegalArgumentException("not an identifier");
        }
        if (values.isEmpty() || !values.stream().allMatch(VtigerQuery::isSafeValue)) throw new IllegalArgumentException("unsafe value");
        String condition = values.size() == 1 ? field + " = '" + values.get(0) + "'"
                : field + " IN (" + values.stream().map(v -> "'" + v + "'").collect(Collectors.joining(",")) + ")";
        String columns = fields.isEmpty() ? "*" : String.join(",", fields);
        return "SELECT " + columns + " FROM " + module + " WHERE " + condition + " LIMIT " + Math.min(rows, MAX_ROWS) + ";";
    }
}
