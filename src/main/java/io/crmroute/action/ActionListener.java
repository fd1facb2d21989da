package io.crmroute.action;

import java.util.List;

/** Told how every action ended. Must return at once and never throw. */
@FunctionalInterface
public interface ActionListener {

    ActionListener NONE = record -> {};

    void onAction(ActionRecord record);

    static ActionListener all(List<ActionListener> listeners) {
        List<ActionListener> copy = List.copyOf(listeners);
        return record -> {
            for (ActionListener listener : copy) {
                try {
                    listener.onAction(record);
                } catch (RuntimeException ignored) {
                    // One listener's bug must not cost the others their record.
                }
            }
        };
    }
}
