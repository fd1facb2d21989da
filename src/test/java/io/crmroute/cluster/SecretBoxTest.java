package io.crmroute.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String OTHER_KEY = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

    private static SecretBox box(String key) {
        return SecretBox.fromEnvironment(Map.of(SecretBox.VARIABLE, key)).orElseThrow();
    }

    @Test
    void sealedTextOpensWithTheSameKeyAndLabelOnly() {
        SecretBox box = box(KEY);
        byte[] sealed = box.seal("{\"value\":\"bh-session\"}", "bullhorn");
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("bh-session"), "the text is not readable in the row");
        assertEquals(Optional.of("{\"value\":\"bh-session\"}"), box.open(sealed, "bullhorn"));
        assertEquals(Optional.empty(), box.open(sealed, "zoho"), "another CRM's row");
        assertEquals(Optional.empty(), box(OTHER_KEY).open(sealed, "bullhorn"), "another key");
        sealed[sealed.length - 1] ^= 1;
        assertEquals(Optional.empty(), box.open(sealed, "bullhorn"), "a damaged row");
    }

    @Test
    void everySealHasItsOwnNonce() {
        SecretBox box = box(KEY);
        byte[] first = box.seal("same", "crm");
        byte[] second = box.seal("same", "crm");
        assertEquals(12 + 4 + 16, first.length, "nonce, ciphertext, tag");
        assertFalse(java.util.Arrays.equals(first, second));
        assertArrayEquals(box.open(first, "crm").orElseThrow().getBytes(), box.open(second, "crm").orElseThrow().getBytes());
    }

    @Test
    void aMissingKeyIsNoBoxAndAMalformedOneAClearErrorWithoutItsValue() {
        assertEquals(Optional.empty(), SecretBox.fromEnvironment(Map.of()));
        assertEquals(Optional.empty(), SecretBox.fromEnvironment(Map.of(SecretBox.VARIABLE, " ")));
        for (String bad : new String[] {"not base64 at all!", Base64.getEncoder().encodeToString(new byte[20])}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SecretBox.fromEnvironment(Map.of(SecretBox.VARIABLE, bad)));
            assertTrue(e.getMessage().startsWith("CRMROUTE_SECRET_KEY must be base64 of a 16, 24 or 32-byte key"), e.getMessage());
            assertFalse(e.getMessage().contains(bad), e.getMessage());
        }
        assertFalse(box(KEY).toString().contains(KEY));
    }
}
