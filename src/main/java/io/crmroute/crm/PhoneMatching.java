package io.crmroute.crm;

import java.util.List;

/**
 * How phone numbers are matched: a number without a country code is read as a number of
 * {@code defaultCountry} (ISO 3166 alpha-2, e.g. US); {@code formats} are the notations a CRM may
 * store it in, tried together (E164, NATIONAL, INTERNATIONAL, DIGITS, NATIONAL_DIGITS).
 */
public record PhoneMatching(String defaultCountry, List<String> formats) {

    public static final List<String> DEFAULT_FORMATS = List.of("E164", "NATIONAL", "INTERNATIONAL", "DIGITS", "NATIONAL_DIGITS");

    public PhoneMatching {
        formats = formats == null || formats.isEmpty() ? DEFAULT_FORMATS : List.copyOf(formats);
    }
}
