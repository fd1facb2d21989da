package io.crmroute.logging;

/**
 * Values from the wire (caller IDs, route names, unique ids, CRM text) as they may appear in a log
 * line: control characters and other non-printing characters escaped, so nobody can forge a line or
 * send escape sequences to an operator's terminal, and the length bounded.
 */
public final class LogText {

    /** Longer values are cut: a log line is for reading, not for carrying a stranger's payload. */
    public static final int MAX_LENGTH = 200;

    private LogText() {}

    /** {@code value} with CR, LF, TAB as {@code \r \n \t}, other controls as {@code \xNN} / {@code \}{@code uNNNN}, cut at {@link #MAX_LENGTH}. */
    public static String safe(Object value) {
        if (value == null) return "null";
        String text = value.toString();
        StringBuilder shown = null;
        int limit = Math.min(text.length(), MAX_LENGTH);
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
            if (isPlain(c)) {
                if (shown != null) shown.append(c);
                continue;
            }
            if (shown == null) shown = new StringBuilder(limit + 16).append(text, 0, i);
            switch (c) {
                case '\r' -> shown.append("\\r");
                case '\n' -> shown.append("\\n");
                case '\t' -> shown.append("\\t");
                case '\\' -> shown.append("\\\\");
                default -> shown.append(c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            }
        }
        if (shown == null && text.length() <= MAX_LENGTH) return text;
        if (shown == null) shown = new StringBuilder(text.substring(0, limit));
        if (text.length() > MAX_LENGTH) shown.append("...");
        return shown.toString();
    }

    private static boolean isPlain(char c) {
        if (c == '\\') return false;
        if (c >= 0x20 && c < 0x7f) return true;
        if (c < 0xa0) return false; // C0, DEL and C1 controls (0x9b is a terminal's CSI)
        int type = Character.getType(c);
        return type != Character.CONTROL && type != Character.FORMAT && type != Character.SURROGATE
                && type != Character.PRIVATE_USE && type != Character.UNASSIGNED
                && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR;
    }
}
