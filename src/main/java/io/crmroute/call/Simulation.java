package io.crmroute.call;

import io.crmroute.route.Route;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One simulated call, explained: the route it ran, the CRM requests sent (secrets masked), what the call
 * came to, and the variables it set, in order.
 */
public record Simulation(Route route, String callerId, String digits, List<String> requests, CallReport report,
                         Map<String, String> variablesSet) {

    public Simulation {
        requests = List.copyOf(requests);
        variablesSet = Collections.unmodifiableMap(new LinkedHashMap<>(variablesSet));
    }

    /** How many of the route's rules the decision did not need to evaluate. */
    public int rulesNotEvaluated() {
        return Math.max(0, route.rules().size() - report.decision().evaluations().size());
    }
}
