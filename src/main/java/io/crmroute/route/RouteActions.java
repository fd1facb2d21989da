package io.crmroute.route;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** A route's {@code actions:}: the writes each outcome asks for, in the order written. */
public record RouteActions(Map<ActionOutcome, List<Action>> byOutcome) {

    public static final RouteActions NONE = new RouteActions(Map.of());

    public RouteActions {
        EnumMap<ActionOutcome, List<Action>> copy = new EnumMap<>(ActionOutcome.class);
        byOutcome.forEach((outcome, actions) -> {
            if (!actions.isEmpty()) copy.put(outcome, List.copyOf(actions));
        });
        byOutcome = Collections.unmodifiableMap(copy);
    }

    public List<Action> of(ActionOutcome outcome) {
        return byOutcome.getOrDefault(outcome, List.of());
    }

    public boolean isEmpty() {
        return byOutcome.isEmpty();
    }
}
