package io.crmroute.cluster;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals text for the database with AES-GCM (JDK only): a fresh 12-byte random nonce before each
 * ciphertext, a 128-bit tag, and a label (the CRM's name) authenticated with it, so a sealed token copied
 * to another CRM's row does not open. The key is {@value #VARIABLE}, base64 of 16, 24 or 32 bytes.
 */
public final class SecretBox {

    public static final String VARIABLE = "CRMROUTE_SECRET_KEY";
    private static final String MALFORMED = VARIABLE + " must be base64 of a 16, 24 or 32-byte key (e.g. `openssl rand -base64 32`)";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    private SecretBox(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /**
     * The box of {@value #VARIABLE} in {@code environment}: empty without it; a malformed one fails with
     * a message naming the variable, never its value.
     */
    public static Optional<SecretBox> fromEnvironment(Map<String, String> environment) {
        String text = environment.get(VARIABLE);
        if (text == null || text.isBlank()) return Optional.empty();
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text.trim());
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException(MALFORMED);
        }
        if (key.length != 16 && key.length != 24 && key.length != 32) throw new IllegalArgumentException(MALFORMED);
        return Optional.of(new SecretBox(key));
    }

    /** Nonce and ciphertext of {@code text}, bound to {@code label}. */
    public byte[] seal(String text, String label) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, label);
            byte[] sealed = cipher.doFinal(text.getBytes(StandardCharsets.UTF_8));
            byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available: " + e.getClass().getSimpleName());
        }
    }

    /** The text {@link #seal} sealed with this key and {@code label}; empty for another key, label or a damaged one. */
    public Optional<String> open(byte[] sealed, String label) {
        if (sealed.length <= NONCE_BYTES) return Optional.empty();
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(sealed, NONCE_BYTES), label);
            byte[] plain = cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
            return Optional.of(new String(plain, StandardCharsets.UTF_8));
        } catch (GeneralSecurityException wrongKeyOrDamaged) {
            return Optional.empty();
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String label) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(label.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    @Override
    public String toString() {
        return "SecretBox[" + VARIABLE + "]"; // never the key
    }
}
