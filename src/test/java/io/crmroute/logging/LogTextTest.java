package io.crmroute.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void plainTextIsLeftAsItIs() {
        String route = "vip-2 +15551230001 Müller";
        assertSame(route, LogText.safe(route));
    }

    @Test
    void lineBreaksAndTerminalEscapesCannotForgeALine() {
        assertEquals("vip\\rvip", LogText.safe("vip\rvip"));
        assertEquals("a\\n2026-01-01 INFO forged", LogText.safe("a\n2026-01-01 INFO forged"));
        assertEquals("\\x1b[31mred\\x1b[0m", LogText.safe("\u001b[31mred\u001b[0m"));
        assertEquals("csi\\x9b2J nul\\x00 del\\x7f tab\\t", LogText.safe("csi\u009b2J nul\u0000 del\u007f tab\t"));
        assertEquals("rtl\\u202eevil", LogText.safe("rtl\u202eevil"));
        assertEquals("back\\\\slash", LogText.safe("back\\slash"), "a backslash is escaped so an escape cannot be faked");
    }

    @Test
    void longValuesAreCut() {
        String shown = LogText.safe("9".repeat(5000));
        assertEquals(LogText.MAX_LENGTH + 3, shown.length());
        assertTrue(shown.endsWith("..."));
        assertEquals("null", LogText.safe(null));
    }
}
