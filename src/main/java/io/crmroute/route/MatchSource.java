package io.crmroute.route;

/** Where the value to look up comes from ({@code match.from}). */
public sealed interface MatchSource permits MatchSource.CallerId, MatchSource.Digits, MatchSource.Argument, MatchSource.ChannelVariable {

    /** The text written in the config: {@code callerid}, {@code dtmf}, {@code arg2}, {@code var NAME}. */
    String text();

    record CallerId() implements MatchSource {
        public String text() { return "callerid"; }
    }

    record Digits() implements MatchSource {
        public String text() { return "dtmf"; }
    }

    /** {@code agi_arg_N}, 1-based. */
    record Argument(int position) implements MatchSource {
        public String text() { return "arg" + position; }
    }

    record ChannelVariable(String name) implements MatchSource {
        public String text() { return "var " + name; }
    }
}
