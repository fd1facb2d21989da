package io.crmroute.crm;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SoqlQueryTest {

    @Test
    void selectsTheFieldsWhereTheFieldIsAnyOfTheValues() {
        assertEquals("SELECT Id,Tier__c,Account.Name FROM Contact WHERE Phone IN ('+15551230001','(555) 123-0001') LIMIT 2",
                SoqlQuery.select("Contact", "Phone", List.of("Id", "Tier__c", "Account.Name"),
                        List.of("+15551230001", "(555) 123-0001"), 2));
    }

    @Test
    void selectsIdWhenNoFieldIsAskedForAndEachFieldOnce() {
        assertEquals(List.of("Id"), SoqlQuery.selectList(List.of()));
        assertEquals(List.of("Phone", "Name"), SoqlQuery.selectList(List.of("Phone", "Name", "PHONE")));
    }

    @Test
    void escapesEveryReservedCharacterWithABackslash() {
        assertEquals("'O\\'Brien'", SoqlQuery.literal("O'Brien"));
        assertEquals("'a\\\\b'", SoqlQuery.literal("a\\b"));
        assertEquals("'say \\\"hi\\\"'", SoqlQuery.literal("say \"hi\""));
        assertEquals("'1\\n2\\r3\\t4\\b5\\f'", SoqlQuery.literal("1\n2\r3\t4\b5\f"));
        // LIKE wildcards mean nothing to IN: left as they are.
        assertEquals("'50%_off'", SoqlQuery.literal("50%_off"));
        assertEquals("'\\'\\\"\\\\)(*:{}[]^~!&|+-/ OR 1=1 --'", SoqlQuery.literal("'\"\\)(*:{}[]^~!&|+-/ OR 1=1 --"));
    }

    @Test
    void valuesNoRecordCanHoldAreLeftOut() {
        assertTrue(SoqlQuery.canMatch("+15551230001"));
        assertTrue(SoqlQuery.canMatch("tab\there"));
        assertFalse(SoqlQuery.canMatch(""));
        assertFalse(SoqlQuery.canMatch("nul\u0000byte"));
        assertFalse(SoqlQuery.canMatch("x".repeat(SoqlQuery.MAX_VALUE_LENGTH + 1)));
        assertThrows(IllegalArgumentException.class, () -> SoqlQuery.literal("nul\u0000byte"));
    }

    @Test
    void refusesNamesThatAreNotApiNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SoqlQuery.select("Contact", "Phone) OR (Id", List.of(), List.of("1"), 1));
        assertEquals("field is not a Salesforce API name: Phone) OR (Id", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SoqlQuery.select("Contact WHERE", "Phone", List.of(), List.of("1"), 1));
        assertThrows(IllegalArgumentException.class, () -> SoqlQuery.select("Contact", "Phone", List.of("Name,Email"), List.of("1"), 1));
    }
}
