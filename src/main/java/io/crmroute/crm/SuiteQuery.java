package io.crmroute.crm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The query parameters of SuiteCRM's V8 {@code GET /Api/V8/module/{Module}}. The value is a URL
 * parameter that SuiteCRM quotes for SQL itself, so it only needs URL-encoding (done by
 * {@link CrmCall}); names are parameter keys and SQL column names, so they must be identifiers.
 */
final class SuiteQuery {

    /** Longer values are no phone number or account key: no match, without asking. */
    static final int MAX_VALUE = 128;
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

    private SuiteQuery() {}

    static boolean isIdentifier(String name) {
        return name != null && IDENTIFIER.matcher(name).matches();
    }

    /**
     * {@code filter[f][eq]=v&fields[Module]=a,b&page[size]=n&page[number]=1}; no fields: SuiteCRM's
     * defaults (all of the module's fields).
     */
    static Map<String, String> parameters(String module, String field, String value, List<String> fields, int size) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("filter[" + field + "][eq]", value);
        if (!fields.isEmpty()) parameters.put("fields[" + module + "]", String.join(",", fields));
        parameters.put("page[size]", Integer.toString(size));
        parameters.put("page[number]", "1");
        return parameters;
    }
}
