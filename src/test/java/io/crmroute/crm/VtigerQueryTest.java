package io.crmroute.crm;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VtigerQueryTest {

    @Test
    void oneValueIsAnEquality() {
        assertEquals("SELECT firstname,cf_status FROM Contacts WHERE phone = '+15551234567' LIMIT 2;",
                VtigerQuery.select("Contacts", "phone", List.of("+15551234567"), List.of("firstname", "cf_status"), 2));
    }

    @Test
    void severalValuesAreAnInList() {
        assertEquals("SELECT * FROM Leads WHERE mobile IN ('+15551234567','(555) 123-4567','+1 555-123-4567') LIMIT 1;",
                VtigerQuery.select("Leads", "mobile", List.of("+15551234567", "(555) 123-4567", "+1 555-123-4567"), List.of(), 1));
    }

    @Test
    void rowsStopAtVtigersHundred() {
        assertTrue(VtigerQuery.select("Contacts", "email", List.of("ada@example.com"), List.of(), 500).endsWith(" LIMIT 100;"));
    }

    @Test
    void onlyWhitelistedValuesMayStandInQuotes() {
        for (String ok : List.of("+44 20 7946 0958", "(555) 123-4567", "ada.l_ov-e@example.com", "A-100", "Zoë", "555.123.4567")) {
            assertTrue(VtigerQuery.isSafeValue(ok), ok);
        }
        for (String bad : List.of("O'Brien", "a\\b", "x';DROP", "a\"b", "a%b", "1;", "", "x".repeat(65), SugarCrmTest.HOSTILE, "a\nb")) {
            assertFalse(VtigerQuery.isSafeValue(bad), bad);
        }
    }

    @Test
    void unsafeTextNeverReachesAQuery() {
        assertThrows(IllegalArgumentException.class, () -> VtigerQuery.select("Contacts", "phone", List.of("x' OR '1'='1"), List.of(), 1));
        assertThrows(IllegalArgumentException.class, () -> VtigerQuery.select("Contacts;", "phone", List.of("1"), List.of(), 1));
        assertThrows(IllegalArgumentException.class, () -> VtigerQuery.select("Contacts", "phone", List.of("1"), List.of("id FROM Users"), 1));
    }

    @Test
    void theLoginKeyIsMd5OfChallengeAndAccessKeyInLowercaseHex() {
        assertEquals("900150983cd24fb0d6963f7d28e17f72", VtigerCrm.accessKey("ab", "c"));
    }
}
