package io.crmroute.call;

import java.util.Locale;
import java.util.Set;

/** Checks on the values callers send: withheld caller IDs, DTMF digits, length bounds. */
final class MatchValues {

    /** Longest value sent to a CRM; longer ones are not a phone number or an account from a keypad. */
    static final int MAX_LENGTH = 64;

    private static final Set<String> WITHHELD = Set.of("", "unknown", "anonymous", "restricted", "private", "withheld", "unavailable");

    private MatchValues() {}

    /** Whether a caller ID means "no number": empty, {@code unknown}, {@code anonymous} and the like. */
    static boolean isWithheld(String callerId) {
        return callerId == null || WITHHELD.contains(callerId.trim().toLowerCase(Locale.ROOT));
    }

    /** The DTMF digits in a GET DATA result, at most {@code max}; anything else is dropped. */
    static String digits(String result, int max) {
        StringBuilder digits = new StringBuilder();
        for (int i = 0; i < result.length() && digits.length() < max; i++) {
            char c = result.charAt(i);
            if ((c >= '0' && c <= '9') || c == '*' || c == '#') digits.append(c);
        }
        return digits.toString();
    }
}
