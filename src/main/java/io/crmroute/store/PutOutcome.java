package io.crmroute.store;

import io.crmroute.config.ConfigProblem;
import java.util.List;
import java.util.Optional;

/** What a write of a route came to. */
public sealed interface PutOutcome permits PutOutcome.Saved, PutOutcome.Invalid, PutOutcome.Stale {

    /** Stored; {@code created} when there was no route of that name before. */
    record Saved(StoredRoute route, boolean created) implements PutOutcome {}

    /** Refused: the document does not validate; nothing was written. */
    record Invalid(List<ConfigProblem> problems) implements PutOutcome {

        public Invalid {
            problems = List.copyOf(problems);
        }
    }

    /** Refused: the route is no longer at the version the writer read (empty: it no longer exists). */
    record Stale(Optional<Long> currentVersion) implements PutOutcome {}
}
