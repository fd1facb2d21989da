package io.crmroute.crm;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The one way text is cleaned of secrets (values that came from the environment) before anyone sees
 * it: logs, traces, error messages, config problems. A secret is replaced by {@code ****} wherever it
 * appears, URL-encoded forms too; one too short to be told from ordinary text ({@value #MIN_EMBEDDED}
 * characters or fewer) is replaced only where it stands alone between quotes or as the whole text,
 * so that a one-letter test secret does not turn every message into noise.
 */
public final class Secrets {

    static final int MIN_EMBEDDED = 3;
    private static final String MASK = "****";

    private Secrets() {}

    public static String mask(String text, Collection<String> secrets) {
        if (text == null || secrets.isEmpty()) return text;
        String masked = text;
        // Longest first, so a secret that contains another is masked whole.
        List<String> longestFirst = secrets.stream().filter(s -> !s.isEmpty())
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        for (String secret : longestFirst) {
            if (masked.equals(secret)) return MASK;
            if (secret.length() <= MIN_EMBEDDED) {
                masked = masked.replaceAll("([\"'])" + Pattern.quote(secret) + "\\1", "$1" + MASK + "$1");
                continue;
            }
            masked = masked.replace(secret, MASK);
            String encoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
            if (!encoded.equals(secret)) masked = masked.replace(encoded, MASK).replace(encoded.replace("+", "%20"), MASK);
        }
        return masked;
    }
}
