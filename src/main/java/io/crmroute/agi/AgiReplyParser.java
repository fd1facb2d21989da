package io.crmroute.agi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads one reply line into an {@link AgiReply}; the only place that knows the line's grammar.
 *
 * <pre>
 * 200 result=1234 (timeout)        result "1234", data "timeout"
 * 200 result= (timeout)            result "", data "timeout"
 * 200 result=0 endpos=8000         result "0", attribute endpos=8000
 * 200 result=1 (a (b) c)           data from the first " (" to the LAST ")": "a (b) c"
 * 200 result=0 Gosub complete      words that are not key=value become the data when there is none
 * 510 Invalid or unknown command   result "", data is Asterisk's text
 * </pre>
 */
final class AgiReplyParser {

    private static final String RESULT = "result=";
    private static final String USAGE_START = "520-";
    private static final String USAGE_END = "520 ";
    /** Compiled once: String.split compiled it again for every reply. */
    private static final Pattern SPACES = Pattern.compile(" +");
    private static final String[] NO_WORDS = {};

    private AgiReplyParser() {}

    static boolean isHangup(String line) {
        return line.equals("HANGUP");
    }

    /** {@code 100 result=0 Trying...}: Asterisk is working on it; the real reply follows. */
    static boolean isInterim(String line) {
        return line.startsWith("100 ");
    }

    /** {@code 520-Invalid command syntax.  Proper usage follows:} opens a multi-line reply. */
    static boolean isUsageStart(String line) {
        return line.startsWith(USAGE_START);
    }

    /** {@code 520 End of proper usage.} closes it. */
    static boolean isUsageEnd(String line) {
        return line.startsWith(USAGE_END);
    }

    /** The reply a multi-line 520 stands for, with the lines between its first and last. */
    static AgiReply usage(List<String> lines) {
        return new AgiReply(AgiStatus.INVALID_SYNTAX, "", Optional.of("Invalid command syntax."), Map.of(), lines);
    }

    static AgiReply parse(String line) {
        if (line.length() < 4 || line.charAt(3) != ' ') throw AgiProtocolException.unexpected("reply", line);
        AgiStatus status = status(line);
        String rest = line.substring(4);
        if (status != AgiStatus.SUCCESS) return new AgiReply(status, "", Optional.of(rest), Map.of(), List.of());
        if (!rest.startsWith(RESULT)) throw AgiProtocolException.unexpected("reply", line);
        int resultEnd = rest.indexOf(' ');
        if (resultEnd < 0) resultEnd = rest.length();
        String result = rest.substring(RESULT.length(), resultEnd);
        return tail(result, rest.substring(resultEnd), line);
    }

    private static AgiStatus status(String line) {
        int code = 0;
        for (int i = 0; i < 3; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') throw AgiProtocolException.unexpected("reply", line);
            code = code * 10 + (c - '0');
        }
        return AgiStatus.byCode(code).orElseThrow(() -> AgiProtocolException.unexpected("reply status", line));
    }

    /** What follows {@code result=N}: an optional {@code (data)}, then {@code key=value} words. */
    private static AgiReply tail(String result, String tail, String line) {
        Optional<String> data = Optional.empty();
        String words = tail.strip();
        if (words.startsWith("(")) {
            int close = words.lastIndexOf(')');
            if (close < 0) throw AgiProtocolException.unexpected("reply data", line);
            data = Optional.of(words.substring(1, close));
            words = words.substring(close + 1).strip();
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        StringBuilder text = new StringBuilder();
        // Most replies end at result=N: nothing to split.
        for (String word : words.isEmpty() ? NO_WORDS : SPACES.split(words)) {
            int equals = word.indexOf('=');
            if (equals > 0) {
                attributes.put(word.substring(0, equals), word.substring(equals + 1));
            } else if (!word.isEmpty()) {
                if (text.length() > 0) text.append(' ');
                text.append(word);
            }
        }
        if (data.isEmpty() && text.length() > 0) data = Optional.of(text.toString());
        return new AgiReply(AgiStatus.SUCCESS, result, data, attributes, List.of());
    }
}
