package io.crmroute.crm;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SugarQueryTest {

    @Test
    void oneValueIsOneEqualsCondition() {
        assertEquals("{\"filter\":[{\"account_number_c\":{\"$equals\":\"A-100\"}}],\"fields\":\"name,status_c\",\"max_num\":1}",
                SugarQuery.filter("account_number_c", List.of("A-100"), List.of("name", "status_c"), 1).toString());
    }

    @Test
    void severalValuesAreAnOrOfEquals() {
        assertEquals("{\"filter\":[{\"$or\":[{\"phone_work\":{\"$equals\":\"+15551234567\"}},{\"phone_work\":{\"$equals\":\"(555) 123-4567\"}}]}],\"max_num\":3}",
                SugarQuery.filter("phone_work", List.of("+15551234567", "(555) 123-4567"), List.of(), 3).toString());
    }

    @Test
    void quotesAndBackslashesAreJustJsonStringContent() {
        assertEquals("{\"filter\":[{\"name\":{\"$equals\":\"O'Brien \\\"\\\\\"}}],\"max_num\":1}",
                SugarQuery.filter("name", List.of("O'Brien \"\\"), List.of(), 1).toString());
    }

    @Test
    void onlyPlainIdentifiersAreNames() {
        assertTrue(SugarQuery.isIdentifier("Contacts"));
        assertTrue(SugarQuery.isIdentifier("status_c"));
        assertFalse(SugarQuery.isIdentifier("$or"));
        assertFalse(SugarQuery.isIdentifier("Contacts/../Users"));
        assertFalse(SugarQuery.isIdentifier("_acl"));
        assertFalse(SugarQuery.isIdentifier(""));
        assertFalse(SugarQuery.isIdentifier(null));
    }
}
