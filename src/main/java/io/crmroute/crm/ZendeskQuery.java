package io.crmroute.crm;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Zendesk search syntax for one {@code field:value} term. A phone number is written as Zendesk
 * documents for callers: digits only, no {@code +}, and with a leading {@code *} and the national
 * digits so that every notation of the number matches ({@code phone:*4155552671} finds
 * {@code +1 415.555.2671} and {@code (415) 555-2671}). Any other value is a quoted phrase. Zendesk
 * documents no escape inside quotes, and its tokenizer drops punctuation anyway, so a {@code "} or
 * {@code \} becomes a space: inside the phrase {@code :}, {@code *}, {@code -}, {@code <}, {@code >}
 * and {@code OR} are plain text, and the value cannot end the phrase early.
 */
final class ZendeskQuery {

    private static final Pattern FIELD = Pattern.compile("[A-Za-z0-9_.]{1,64}");

    private ZendeskQuery() {}

    static boolean isField(String field) {
        return FIELD.matcher(field).matches();
    }

    /**
     * {@code field:*5552671234} (wildcard) or {@code field:15552671234} for a phone number when
     * {@code phone} is set and {@code value} is one; otherwise {@code field:"value"}.
     */
    static String term(String field, String value, Optional<PhoneMatching> phone, boolean wildcard) {
        if (phone.isPresent() && PhoneNumbers.e164(value, phone.get().defaultCountry()).isPresent()) {
            String format = wildcard ? "NATIONAL_DIGITS" : "DIGITS";
            String digits = PhoneNumbers.variants(value, new PhoneMatching(phone.get().defaultCountry(), java.util.List.of(format))).get(0);
            return field + ':' + (wildcard ? "*" : "") + digits;
        }
        return field + ":\"" + phrase(value) + '"';
    }

    /** The value safe inside double quotes: quotes, backslashes and control characters become spaces, runs of spaces one. */
    static String phrase(String value) {
        return value.replaceAll("[\"\\\\\\p{Cntrl}]", " ").replaceAll("\\s+", " ").strip();
    }
}
