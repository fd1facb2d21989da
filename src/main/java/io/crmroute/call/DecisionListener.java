package io.crmroute.call;

import java.util.List;

/** Told of every call decision once its variables are set. Must return at once and never throw. */
@FunctionalInterface
public interface DecisionListener {

    void onDecision(CallReport report);

    static DecisionListener all(List<DecisionListener> listeners) {
        List<DecisionListener> copy = List.copyOf(listeners);
        return report -> {
            for (DecisionListener listener : copy) {
                try {
                    listener.onDecision(report);
                } catch (RuntimeException ignored) {
                    // One listener's bug must not cost the others their report.
                }
            }
        };
    }
}
