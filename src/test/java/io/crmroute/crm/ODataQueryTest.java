package io.crmroute.crm;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ODataQueryTest {

    @Test
    void filtersOnAnyOfTheValues() {
        assertEquals("telephone1 eq '+15551230001' or telephone1 eq '(555) 123-0001'",
                ODataQuery.filter("telephone1", List.of("+15551230001", "(555) 123-0001")));
    }

    @Test
    void doublesQuotesInLiterals() {
        assertEquals("'O''Brien'", ODataQuery.literal("O'Brien"));
        assertEquals("''''", ODataQuery.literal("'"));
        assertEquals("'''\"\\)(*:{}[]^~!&|+-/ OR 1=1 --'", ODataQuery.literal("'\"\\)(*:{}[]^~!&|+-/ OR 1=1 --"));
    }

    @Test
    void urlEncodesTheWholeQueryWithPlusAsPercent2B() {
        assertEquals("$select=fullname%2Ctelephone1&$filter=telephone1%20eq%20%27%2B15551230001%27%20or%20telephone1%20eq%20%27O%27%27B%27&$count=true",
                ODataQuery.queryString("telephone1", List.of("fullname", "telephone1", "fullname"), List.of("+15551230001", "O'B")));
    }

    @Test
    void selectsTheMatchFieldWhenNoFieldIsAskedFor() {
        assertEquals(List.of("telephone1"), ODataQuery.selectList("telephone1", List.of()));
    }

    @Test
    void refusesNamesThatAreNotLogicalNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ODataQuery.filter("telephone1 eq '1' or 1 eq 1", List.of("x")));
        assertEquals("field is not a Dataverse logical name: telephone1 eq '1' or 1 eq 1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ODataQuery.selectList("x", List.of("a,b")));
    }

    @Test
    void valuesNoColumnCanHoldAreLeftOut() {
        assertTrue(ODataQuery.canMatch("+15551230001"));
        assertFalse(ODataQuery.canMatch(""));
        assertFalse(ODataQuery.canMatch("a\u0007b"));
        assertFalse(ODataQuery.canMatch("9".repeat(ODataQuery.MAX_VALUE_LENGTH + 1)));
    }
}
