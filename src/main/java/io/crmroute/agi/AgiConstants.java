package io.crmroute.agi;

/** Bounds of the wire format, shared by the decoder, the encoder and the tests. */
final class AgiConstants {

    /** The longest reply line read from Asterisk (its own command buffer is 8192 bytes; replies are held to that). */
    static final int MAX_LINE_LENGTH = 8192;

    /**
     * The longest command line sent, in bytes without its newline: Asterisk reads a command with an
     * 8192-byte {@code fgets}, so at most 8191 bytes including the newline; a longer line becomes two commands.
     */
    static final int MAX_COMMAND_LENGTH = 8190;

    /** About 22 standard variables plus at most 128 {@code agi_arg_N}: 256 leaves room and no more. */
    static final int MAX_ENVIRONMENT_LINES = 256;

    /** The longest usage text in res_agi.c is a few dozen lines. */
    static final int MAX_USAGE_LINES = 256;

    /** How much of an offending line may appear in an error message or a log. */
    static final int MAX_QUOTED_LENGTH = 40;

    private AgiConstants() {}

    /** A short, printable-ASCII prefix of {@code line}: safe for a log line whoever sent it. */
    static String sanitise(String line) {
        StringBuilder shown = new StringBuilder(Math.min(line.length(), MAX_QUOTED_LENGTH) + 3);
        for (int i = 0; i < line.length() && i < MAX_QUOTED_LENGTH; i++) {
            char c = line.charAt(i);
            shown.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (line.length() > MAX_QUOTED_LENGTH) shown.append("...");
        return shown.toString();
    }
}
