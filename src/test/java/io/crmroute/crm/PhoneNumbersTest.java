package io.crmroute.crm;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PhoneNumbersTest {

    private static final PhoneMatching US = new PhoneMatching("US", null);

    @Test
    void everyUsNotationIsOneE164Number() {
        for (String raw : List.of("+1 555 123 4567", "5551234567", "15551234567", "+15551234567", "(555) 123-4567", "555.123.4567")) {
            assertEquals(Optional.of("+15551234567"), PhoneNumbers.e164(raw, "US"), raw);
        }
    }

    @Test
    void variantsFollowTheFormatsInOrder() {
        assertEquals(List.of("+15551234567", "(555) 123-4567", "+1 555-123-4567", "15551234567", "5551234567"),
                PhoneNumbers.variants("555-123-4567", US));
        assertEquals(List.of("5551234567", "+15551234567"),
                PhoneNumbers.variants("+15551234567", new PhoneMatching("US", List.of("NATIONAL_DIGITS", "E164", "E164"))));
    }

    @Test
    void nationalDigitsKeepTheTrunkPrefix() {
        assertEquals(Optional.of("+442079460000"), PhoneNumbers.e164("020 7946 0000", "GB"));
        assertEquals(List.of("+442079460000", "02079460000"),
                PhoneNumbers.variants("020 7946 0000", new PhoneMatching("GB", List.of("E164", "NATIONAL_DIGITS"))));
    }

    @Test
    void whatIsNotAPhoneNumberStaysAsItIs() {
        assertEquals(List.of("GOLD"), PhoneNumbers.variants("GOLD", US));
        assertEquals(List.of("12"), PhoneNumbers.variants("12", US));
        String tooLong = "1".repeat(33);
        assertEquals(List.of(tooLong), PhoneNumbers.variants(tooLong, US));
        assertEquals(Optional.empty(), PhoneNumbers.e164("anonymous", "US"));
        assertEquals(Optional.empty(), PhoneNumbers.e164("' OR 1=1 --", "US"));
    }
}
