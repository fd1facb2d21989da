package io.crmroute.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as the config writes them: a positive whole number and a unit, {@code 400ms}, {@code 2s}, {@code 1m}, {@code 1h}. */
public final class Durations {

    static final String EXPECTED = "expected a duration like 400ms, 2s or 1m";

    // Nine digits at most: no overflow, and nobody means a budget of more than 31 years.
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");

    private Durations() {}

    /** The duration {@code text} names; {@link IllegalArgumentException} with {@value #EXPECTED} otherwise. */
    public static Duration parse(String text) {
        Matcher matcher = DURATION.matcher(text == null ? "" : text.trim());
        if (!matcher.matches()) throw new IllegalArgumentException(EXPECTED);
        long amount = Long.parseLong(matcher.group(1));
        if (amount == 0) throw new IllegalArgumentException(EXPECTED + " (greater than zero)");
        switch (matcher.group(2)) {
            case "ms": return Duration.ofMillis(amount);
            case "s": return Duration.ofSeconds(amount);
            case "m": return Duration.ofMinutes(amount);
            default: return Duration.ofHours(amount);
        }
    }

    /** The shortest text {@link #parse} reads back as {@code duration} (whole milliseconds). */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis > 0 && millis % 3_600_000 == 0) return millis / 3_600_000 + "h";
        if (millis > 0 && millis % 60_000 == 0) return millis / 60_000 + "m";
        if (millis > 0 && millis % 1000 == 0) return millis / 1000 + "s";
        return millis + "ms";
    }
}
