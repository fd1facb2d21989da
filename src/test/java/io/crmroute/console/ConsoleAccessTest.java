package io.crmroute.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Who may sign in: the configured token; a generated one on loopback; nobody elsewhere. */
class ConsoleAccessTest {

    @Test
    void aConfiguredTokenIsUsedWhereverThePortIs() {
        ConsoleAccess access = ConsoleAccess.decide(Optional.of("s3cret"), "0.0.0.0", new SecureRandom());
        assertEquals(Optional.of("s3cret"), assertInstanceOf(ConsoleAccess.Configured.class, access).apiToken());
        assertEquals("Configured[token=***]", access.toString());
    }

    @Test
    void onLoopbackWithoutATokenOneIsMadeAndHandedOutOnceForTheCode() {
        for (String host : new String[] {"127.0.0.1", "::1", "localhost", "127.0.0.2"}) {
            assertInstanceOf(ConsoleAccess.Generated.class, ConsoleAccess.decide(Optional.empty(), host, new SecureRandom()), host);
        }
        ConsoleAccess.Generated access = (ConsoleAccess.Generated) ConsoleAccess.decide(Optional.empty(), "127.0.0.1", new SecureRandom());
        OneTimeSignIn signIn = access.signIn();
        String token = access.apiToken().orElseThrow();
        assertNotEquals(signIn.code(), token);
        assertTrue(token.length() >= 32, token);

        assertEquals(Optional.empty(), signIn.redeem("wrong"));
        assertEquals(Optional.of(token), signIn.redeem(signIn.code()));
        assertEquals(Optional.empty(), signIn.redeem(signIn.code()), "the link works once");
        assertEquals(Optional.empty(), signIn.redeem(null));
        assertTrue(!signIn.toString().contains(token) && !signIn.toString().contains(signIn.code()));
    }

    @Test
    void elsewhereWithoutATokenTheConsoleIsOffAndSaysWhy() {
        for (String host : new String[] {"0.0.0.0", "192.0.2.10", "::"}) {
            ConsoleAccess.Off off = assertInstanceOf(ConsoleAccess.Off.class, ConsoleAccess.decide(Optional.empty(), host, new SecureRandom()));
            assertEquals(Optional.empty(), off.apiToken());
            assertTrue(off.reason().contains("admin.token is not set") && off.reason().contains(host), off.reason());
        }
        assertInstanceOf(ConsoleAccess.Off.class, ConsoleAccess.decide(Optional.of("  "), "0.0.0.0", new SecureRandom()));
    }
}
