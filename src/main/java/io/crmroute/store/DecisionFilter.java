package io.crmroute.store;

import java.time.Instant;
import java.util.Optional;

/** Which decisions to read back: each present criterion must hold; {@code from} inclusive, {@code to} exclusive. */
public record DecisionFilter(
        Optional<String> caller,
        Optional<String> route,
        Optional<String> status,
        Optional<Instant> from,
        Optional<Instant> to,
        int limit) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public DecisionFilter {
        caller = caller == null ? Optional.empty() : caller;
        route = route == null ? Optional.empty() : route;
        status = status == null ? Optional.empty() : status;
        from = from == null ? Optional.empty() : from;
        to = to == null ? Optional.empty() : to;
        if (limit < 1 || limit > MAX_LIMIT) throw new IllegalArgumentException("limit: " + limit + " (expected: 1 to " + MAX_LIMIT + ")");
    }

    public static DecisionFilter all() {
        return new DecisionFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), DEFAULT_LIMIT);
    }
}
