package io.crmroute.crm;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parsers connectors declare their keys with ({@link CrmKey.Parser}): each answers the typed
 * value or throws {@link IllegalArgumentException} whose message is what was expected, which the
 * config loader prints after the key path and the text written ({@code "sixty": expected vNN.N}).
 */
final class KeyParsers {

    static final String INSECURE = "https required: this URL carries credentials (set allow-insecure: true on this CRM to allow http://)";

    private static final Pattern LINE = Pattern.compile("[^\\p{Cntrl}]{1,4096}");
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");

    private KeyParsers() {}

    /** One line of non-empty text: names, ids, secrets. */
    static CrmKey.Parser<String> text() {
        return (text, context) -> {
            if (text.isEmpty()) throw new IllegalArgumentException("expected a value, found empty text");
            if (!LINE.matcher(text).matches()) throw new IllegalArgumentException("expected one line of text (at most 4096 characters)");
            return text;
        };
    }

    /** Text matching {@code pattern}. */
    static CrmKey.Parser<String> matching(String pattern, String expected) {
        Pattern compiled = Pattern.compile(pattern);
        return (text, context) -> {
            if (!compiled.matcher(text).matches()) throw new IllegalArgumentException(expected);
            return text;
        };
    }

    /** Text matching {@code pattern}, answered as {@code normal} makes of the match ({@code 61.0} as {@code v61.0}). */
    static CrmKey.Parser<String> matching(String pattern, String expected, Function<Matcher, String> normal) {
        Pattern compiled = Pattern.compile(pattern);
        return (text, context) -> {
            Matcher matcher = compiled.matcher(text);
            if (!matcher.matches()) throw new IllegalArgumentException(expected);
            return normal.apply(matcher);
        };
    }

    /** One of {@code choices}, exactly as written. */
    static CrmKey.Parser<String> oneOf(String... choices) {
        return (text, context) -> {
            if (Arrays.asList(choices).contains(text)) return text;
            throw new IllegalArgumentException("expected one of " + String.join(", ", choices));
        };
    }

    static CrmKey.Parser<Boolean> flag() {
        return (text, context) -> {
            if (text.equals("true") || text.equals("false")) return Boolean.parseBoolean(text);
            throw new IllegalArgumentException("expected true or false");
        };
    }

    static CrmKey.Parser<Integer> wholeNumber(int min, int max) {
        return (text, context) -> {
            if (text.matches("[0-9]{1,9}")) {
                int value = Integer.parseInt(text);
                if (value >= min && value <= max) return value;
            }
            throw new IllegalArgumentException("expected a whole number from " + min + " to " + max);
        };
    }

    /** A duration ({@code 400ms}, {@code 30m}, {@code 2h}) greater than zero and at most {@code max}. */
    static CrmKey.Parser<Duration> duration(Duration max) {
        return (text, context) -> {
            Matcher matcher = DURATION.matcher(text.strip());
            String expected = "expected a duration like 30m, 2h or 90s, at most " + max.toHours() + "h";
            if (!matcher.matches()) throw new IllegalArgumentException(expected);
            long amount = Long.parseLong(matcher.group(1));
            Duration value = switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
            if (value.isZero() || value.compareTo(max) > 0) throw new IllegalArgumentException(expected);
            return value;
        };
    }

    /**
     * An absolute https:// URL with a host, to which crmroute sends credentials (tokens, keys,
     * passwords, or a session in the URL): http:// only with {@code allow-insecure: true}.
     */
    static CrmKey.Parser<URI> credentialUrl() {
        return (text, context) -> {
            URI uri = absoluteHttpUrl(text);
            if (uri.getScheme().equalsIgnoreCase("http") && !context.allowInsecure()) throw new IllegalArgumentException(INSECURE);
            return uri;
        };
    }

    private static URI absoluteHttpUrl(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && !uri.getHost().isEmpty()) return uri;
        } catch (URISyntaxException notAUri) {
            // reported below
        }
        throw new IllegalArgumentException("expected an absolute https:// URL");
    }
}
