package io.crmroute.crm;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Phone number notations, by libphonenumber. A number is read only when it looks like one (digits
 * and phone punctuation, at most {@value #MAX_LENGTH} characters) and is a possible number of its
 * country; anything else is kept as it is, so it still matches exactly.
 */
final class PhoneNumbers {

    static final int MAX_LENGTH = 32;
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    // Letters are excluded on purpose: libphonenumber would read "GOLD" as the vanity number 4653.
    private static final Pattern PHONE_LIKE = Pattern.compile("\\+?[0-9()./\\-\\s]*[0-9][0-9()./\\-\\s]*");

    private PhoneNumbers() {}

    /** {@code +15551234567} for {@code 555 123 4567} in US; empty when {@code raw} is not a possible number. */
    static Optional<String> e164(String raw, String defaultCountry) {
        return parse(raw, defaultCountry).map(number -> UTIL.format(number, PhoneNumberFormat.E164));
    }

    /**
     * The distinct notations of {@code raw} in the order of {@code matching.formats()}: E164
     * {@code +15551234567}, NATIONAL {@code (555) 123-4567}, INTERNATIONAL {@code +1 555-123-4567},
     * DIGITS {@code 15551234567}, NATIONAL_DIGITS {@code 5551234567}; just {@code raw} when it is not
     * a phone number.
     */
    static List<String> variants(String raw, PhoneMatching matching) {
        Optional<PhoneNumber> parsed = parse(raw, matching.defaultCountry());
        if (parsed.isEmpty()) return List.of(raw);
        PhoneNumber number = parsed.get();
        Set<String> variants = new LinkedHashSet<>();
        for (String format : matching.formats()) {
            String variant = format(number, format.toUpperCase(Locale.ROOT));
            if (variant != null) variants.add(variant);
        }
        return variants.isEmpty() ? List.of(raw) : List.copyOf(variants);
    }

    private static String format(PhoneNumber number, String format) {
        switch (format) {
            case "E164": return UTIL.format(number, PhoneNumberFormat.E164);
            case "NATIONAL": return UTIL.format(number, PhoneNumberFormat.NATIONAL);
            case "INTERNATIONAL": return UTIL.format(number, PhoneNumberFormat.INTERNATIONAL);
            case "DIGITS": return UTIL.format(number, PhoneNumberFormat.E164).substring(1);
            case "NATIONAL_DIGITS": return UTIL.format(number, PhoneNumberFormat.NATIONAL).replaceAll("[^0-9]", "");
            default: return null;
        }
    }

    private static Optional<PhoneNumber> parse(String raw, String defaultCountry) {
        if (raw == null || raw.length() > MAX_LENGTH || !PHONE_LIKE.matcher(raw).matches()) return Optional.empty();
        try {
            String region = defaultCountry == null ? "ZZ" : defaultCountry.toUpperCase(Locale.ROOT);
            PhoneNumber number = UTIL.parse(raw, region);
            return UTIL.isPossibleNumber(number) ? Optional.of(number) : Optional.empty();
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }
}
