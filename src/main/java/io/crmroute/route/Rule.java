package io.crmroute.route;

import java.util.Objects;
import java.util.Optional;

/**
 * One row of a route's rules: when the record's {@code field} (the route's field when empty)
 * compares with {@code value} under {@code op}, the call goes to {@code to}.
 */
public record Rule(Optional<String> name, Operator op, Optional<String> field, String value, Destination to, boolean voicemail) {

    public Rule {
        name = name == null ? Optional.empty() : name;
        field = field == null ? Optional.empty() : field;
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(to, "to");
    }

    /** The rule's name, or its 1-based position in the route: the value of CRMROUTE_RULE. */
    public String label(int position) {
        return name.orElse(Integer.toString(position));
    }
}
