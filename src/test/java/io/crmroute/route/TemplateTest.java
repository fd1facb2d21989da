package io.crmroute.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Action values: placeholders in plain braces, checked when read, rendered as bounded plain text. */
class TemplateTest {

    private static final Map<String, String> CALL = Map.of("callerid", "+15551230001", "dnid", "5550100", "arg2", "gold",
            "CRM_Contact_Name", "Ada");

    @Test
    void placeholdersAreReplacedAndLiteralBracesWrittenTwice() {
        assertEquals("Called 5550100 by +15551230001 ({gold}) for Ada", Template.parse("Called {dnid} by {callerid} ({{{arg2}}}) for {CRM_Contact_Name}")
                .render(CALL::get));
        assertEquals("", Template.parse("{digits}").render(CALL::get), "a value the call does not have is empty");
        assertEquals("${HOME}", Template.parse("${{HOME}}").render(CALL::get));
    }

    @Test
    void aMisspeltPlaceholderOrAStrayBraceIsRefusedWhenRead() {
        assertEquals("unknown placeholder {calerid} (expected one of " + Template.PLACEHOLDERS + ")",
                assertThrows(IllegalArgumentException.class, () -> Template.parse("{calerid}")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Template.parse("{arg129}"));
        assertThrows(IllegalArgumentException.class, () -> Template.parse("{now"));
        assertThrows(IllegalArgumentException.class, () -> Template.parse("now}"));
    }

    @Test
    void aStrangersValueIsOneLineAndBounded() {
        String hostile = "x\r\nHANGUP\u0000" + "9".repeat(1000);
        String rendered = Template.parse("Caller {callerid}!").render(Map.of("callerid", hostile)::get);
        assertEquals("Caller x  HANGUP " + "9".repeat(Template.MAX_VALUE_LENGTH - 10) + "!", rendered);
        String many = Template.parse("{callerid}".repeat(40)).render(Map.of("callerid", "9".repeat(300))::get);
        assertEquals(Template.MAX_LENGTH, many.length());
    }
}
