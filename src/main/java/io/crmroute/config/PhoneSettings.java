package io.crmroute.config;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import io.crmroute.crm.PhoneMatching;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads {@code phone: { default-country, formats }}, on a CRM and on a route's {@code match:}. */
final class PhoneSettings {

    private static final Set<String> KEYS = Set.of("default-country", "formats");
    private static final Pattern FORMAT = Pattern.compile("(?i)" + String.join("|", PhoneMatching.DEFAULT_FORMATS));

    private PhoneSettings() {}

    static Optional<PhoneMatching> read(Section parent, String key) {
        return parent.section(key).flatMap(PhoneSettings::read);
    }

    private static Optional<PhoneMatching> read(Section phone) {
        phone.onlyKeys(KEYS);
        Optional<String> country = phone.requiredText("default-country").filter(code -> {
            if (PhoneNumberUtil.getInstance().getSupportedRegions().contains(code)) return true;
            phone.problem("default-country", "\"" + Names.shown(code) + "\": expected a country code like US, GB or DE (ISO 3166 alpha-2, upper case)");
            return false;
        });
        Optional<List<String>> formats = phone.textList("formats", FORMAT,
                "expected one of " + String.join(", ", PhoneMatching.DEFAULT_FORMATS));
        if (country.isEmpty()) return Optional.empty();
        List<String> upper = new ArrayList<>();
        formats.orElse(List.of()).forEach(format -> upper.add(format.toUpperCase(Locale.ROOT)));
        return Optional.of(new PhoneMatching(country.get(), upper));
    }
}
