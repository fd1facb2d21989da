package io.crmroute.route;

/** One rule as evaluated for a call, for {@code simulate}'s explanation. */
public record RuleEvaluation(String rule, String field, String actual, Operator op, String expected, boolean held) {

    /** E.g. {@code rule gold: status "GOLD" = "GOLD" -> holds}. */
    public String explain() {
        return "rule " + rule + ": " + field + " \"" + actual + "\" " + op.symbol() + " \"" + expected + "\" -> "
                + (held ? "holds" : "does not hold");
    }
}
