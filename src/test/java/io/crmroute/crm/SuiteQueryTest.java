package io.crmroute.crm;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuiteQueryTest {

    @Test
    void filterFieldsAndPageAreBracketedParametersUrlEncoded() {
        assertEquals("filter%5Bphone_work%5D%5Beq%5D=%2B1%20555-123-4567&fields%5BContacts%5D=first_name%2Cstatus_c"
                        + "&page%5Bsize%5D=2&page%5Bnumber%5D=1",
                CrmCall.query(SuiteQuery.parameters("Contacts", "phone_work", "+1 555-123-4567", List.of("first_name", "status_c"), 2)));
    }

    @Test
    void withoutFieldsSuiteCrmChoosesThem() {
        assertEquals("filter%5Baccount_c%5D%5Beq%5D=A-100&page%5Bsize%5D=1&page%5Bnumber%5D=1",
                CrmCall.query(SuiteQuery.parameters("Accounts", "account_c", "A-100", List.of(), 1)));
    }

    @Test
    void aHostileValueIsOnlyUrlEncoded() {
        assertEquals("filter%5Bphone%5D%5Beq%5D=%27%22%5C%29%28*%3A%7B%7D%5B%5D%5E%7E%21%26%7C%2B-%2F%20OR%201%3D1%20--&page%5Bsize%5D=1&page%5Bnumber%5D=1",
                CrmCall.query(SuiteQuery.parameters("Contacts", "phone", SugarCrmTest.HOSTILE, List.of(), 1)));
    }

    @Test
    void onlyPlainIdentifiersAreNames() {
        assertTrue(SuiteQuery.isIdentifier("Contacts"));
        assertTrue(SuiteQuery.isIdentifier("phone_mobile"));
        assertFalse(SuiteQuery.isIdentifier("phone][eq]=1&filter[operator"));
        assertFalse(SuiteQuery.isIdentifier("Contacts/../Users"));
        assertFalse(SuiteQuery.isIdentifier(""));
    }
}
