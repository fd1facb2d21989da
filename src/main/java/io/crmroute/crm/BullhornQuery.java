package io.crmroute.crm;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Lucene query text for Bullhorn's {@code /search} endpoint: each value is a quoted phrase with
 * every Lucene special character backslash-escaped ({@code + - && || ! ( ) { } [ ] ^ " ~ * ? : \ /},
 * {@code &} and {@code |} one by one), so nothing a caller sends can close the phrase, add a clause
 * or a wildcard; several values are ORed.
 */
final class BullhornQuery {

    private static final Pattern SPECIAL = Pattern.compile("([+\\-&|!(){}\\[\\]^\"~*?:\\\\/])");
    private static final Pattern FIELD = Pattern.compile("[A-Za-z][A-Za-z0-9_.]{0,63}");

    private BullhornQuery() {}

    static boolean isField(String field) {
        return FIELD.matcher(field).matches();
    }

    /** {@code field:"v1" OR field:"v2"}. */
    static String anyOf(String field, List<String> values) {
        return values.stream().map(value -> field + ":\"" + escape(value) + '"').collect(Collectors.joining(" OR "));
    }

    /** {@code value} with each Lucene special character preceded by a backslash, control characters as spaces. */
    static String escape(String value) {
        return SPECIAL.matcher(value.replaceAll("\\p{Cntrl}", " ")).replaceAll("\\\\$1");
    }
}
