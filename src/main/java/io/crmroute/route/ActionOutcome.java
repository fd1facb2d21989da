package io.crmroute.route;

import java.util.Locale;
import java.util.Optional;

/**
 * The outcomes a route's {@code actions:} are keyed by. {@code match} is every call whose lookup found its
 * record (status MATCH or DEFAULT: a rule held or not); the others are the statuses of the same name. A call
 * that ended in ERROR or HANGUP runs no action.
 */
public enum ActionOutcome {
    MATCH, MULTIPLE, NOMATCH, WITHHELD, FAILURE;

    /** The key under {@code actions:}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ActionOutcome> of(CallStatus status) {
        return switch (status) {
            case MATCH, DEFAULT -> Optional.of(MATCH);
            case MULTIPLE -> Optional.of(MULTIPLE);
            case NOMATCH -> Optional.of(NOMATCH);
            case WITHHELD -> Optional.of(WITHHELD);
            case FAILED -> Optional.of(FAILURE);
            case ERROR, HANGUP -> Optional.empty();
        };
    }

    public static Optional<ActionOutcome> byKey(String key) {
        for (ActionOutcome outcome : values()) if (outcome.key().equals(key)) return Optional.of(outcome);
        return Optional.empty();
    }
}
