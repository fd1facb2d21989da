package io.crmroute.route;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A value of a write action: text with placeholders in plain braces, {@code "Called {dnid} at {now}"}, parsed
 * when the route is read so a misspelt placeholder is a config error, not an empty field. {@code {{} and
 * {@code }}} stand for literal braces. Rendering gives plain text: each substituted value is cut to
 * {@link #MAX_VALUE_LENGTH} characters with control characters made spaces (caller IDs and digits come from
 * strangers), and the connector encodes the result for its vendor's format.
 */
public final class Template {

    /** Longest text one placeholder adds. */
    public static final int MAX_VALUE_LENGTH = 255;
    /** Longest rendered value. */
    public static final int MAX_LENGTH = 4000;
    /** What may stand in braces. */
    public static final String PLACEHOLDERS = "callerid, digits, dnid, uniqueid, channel, now, arg1..arg128, CRM_...";

    private static final Pattern NAME = Pattern.compile("callerid|digits|dnid|uniqueid|channel|now|arg([1-9][0-9]?|1[01][0-9]|12[0-8])"
            + "|CRM_[A-Za-z0-9_]{1,128}");

    private final String source;
    private final List<Part> parts;

    /** Literal text, or a placeholder's name. */
    private record Part(String text, boolean placeholder) {}

    private Template(String source, List<Part> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
    }

    /** Parses {@code source}; an unknown placeholder or an unclosed brace throws with a message naming it. */
    public static Template parse(String source) {
        Objects.requireNonNull(source, "source");
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if ((c == '{' || c == '}') && i + 1 < source.length() && source.charAt(i + 1) == c) {
                literal.append(c);
                i += 2;
            } else if (c == '{') {
                int close = source.indexOf('}', i);
                if (close < 0) throw new IllegalArgumentException("unclosed \"{\" (write {{ for a literal brace)");
                String name = source.substring(i + 1, close);
                if (!NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("unknown placeholder {" + shown(name) + "} (expected one of " + PLACEHOLDERS + ")");
                }
                if (literal.length() > 0) parts.add(new Part(literal.toString(), false));
                literal.setLength(0);
                parts.add(new Part(name, true));
                i = close + 1;
            } else if (c == '}') {
                throw new IllegalArgumentException("unmatched \"}\" (write }} for a literal brace)");
            } else {
                literal.append(c);
                i++;
            }
        }
        if (literal.length() > 0) parts.add(new Part(literal.toString(), false));
        return new Template(source, parts);
    }

    /** The text as written, for writing the route back. */
    public String source() {
        return source;
    }

    /**
     * The text with each placeholder replaced by {@code values.apply(name)} ({@code callerid}, {@code arg2},
     * {@code CRM_Contact_Name}...; null for none, rendered empty).
     */
    public String render(Function<String, String> values) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (!part.placeholder()) out.append(part.text());
            else out.append(plain(values.apply(part.text())));
            if (out.length() >= MAX_LENGTH) return out.substring(0, MAX_LENGTH);
        }
        return out.toString();
    }

    private static String plain(String value) {
        if (value == null) return "";
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_VALUE_LENGTH));
        for (int i = 0; i < value.length() && out.length() < MAX_VALUE_LENGTH; i++) {
            char c = value.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        return out.toString();
    }

    private static String shown(String name) {
        return name.length() > 40 ? name.substring(0, 40) + "..." : name;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Template template && template.source.equals(source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }

    @Override
    public String toString() {
        return source;
    }
}
