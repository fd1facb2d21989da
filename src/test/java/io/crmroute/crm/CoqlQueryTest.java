package io.crmroute.crm;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CoqlQueryTest {

    @Test
    void selectsTheFieldsWhereTheFieldIsInTheValues() {
        assertEquals("select Full_Name,Tier,Account_Name.Account_Name from Contacts where Phone in ('+15551230001','(555) 123-0001') limit 2",
                CoqlQuery.select("Contacts", "Phone", List.of("Full_Name", "Tier", "Account_Name.Account_Name", "tier"),
                        List.of("+15551230001", "(555) 123-0001"), 2));
    }

    @Test
    void selectsIdWhenNoFieldIsAskedForAndNeverMoreThanCoqlAllows() {
        assertEquals("select id from Leads where Email in ('a@b.c') limit 2000",
                CoqlQuery.select("Leads", "Email", List.of(), List.of("a@b.c"), 5000));
    }

    @Test
    void escapesQuotesAndBackslashesWithABackslash() {
        assertEquals("'O\\'Brien'", CoqlQuery.literal("O'Brien"));
        assertEquals("'a\\\\b\\\\'", CoqlQuery.literal("a\\b\\"));
        assertEquals("'\\'\"\\\\)(*:{}[]^~!&|+-/ OR 1=1 --'", CoqlQuery.literal("'\"\\)(*:{}[]^~!&|+-/ OR 1=1 --"));
        assertThrows(IllegalArgumentException.class, () -> CoqlQuery.literal("line\nbreak"));
    }

    @Test
    void valuesNoFieldCanHoldAreLeftOut() {
        assertTrue(CoqlQuery.canMatch("+15551230001"));
        assertFalse(CoqlQuery.canMatch(""));
        assertFalse(CoqlQuery.canMatch("line\nbreak"));
        assertFalse(CoqlQuery.canMatch("7".repeat(CoqlQuery.MAX_VALUE_LENGTH + 1)));
    }

    @Test
    void refusesNamesThatAreNotApiNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CoqlQuery.select("Contacts", "Phone in ('1') or Phone", List.of(), List.of("1"), 1));
        assertEquals("field is not a Zoho API name: Phone in ('1') or Phone", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CoqlQuery.select("Contacts;", "Phone", List.of(), List.of("1"), 1));
    }
}
