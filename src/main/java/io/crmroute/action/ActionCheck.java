package io.crmroute.action;

import io.crmroute.crm.CrmConnector;
import io.crmroute.crm.CrmWrite;
import io.crmroute.crm.WriteKind;
import io.crmroute.route.Action;
import io.crmroute.route.ActionOutcome;
import io.crmroute.route.Route;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code check} says of the routes' actions, asking each CRM's connector (no request is sent): a
 * problem for an action its CRM cannot do ({@link CrmConnector#writeKinds}), a warning for a create or call
 * log it cannot make retry-safe ({@link CrmConnector#retrySafe}): after a timeout or a 5xx such an action is
 * recorded failed, not retried, since a second attempt could make a second record.
 */
public final class ActionCheck {

    /** A finding at a key path ({@code routes.sales.actions.match[1]}). */
    public record Finding(String path, String message) {
        @Override
        public String toString() {
            return path + ": " + message;
        }
    }

    public record Outcome(List<Finding> problems, List<Finding> warnings) {
        public Outcome {
            problems = List.copyOf(problems);
            warnings = List.copyOf(warnings);
        }
    }

    private ActionCheck() {}

    /** @param types each CRM's type name ({@code salesforce}), for the messages */
    public static Outcome run(Map<String, Route> routes, Map<String, CrmConnector> connectors, Map<String, String> types) {
        List<Finding> problems = new ArrayList<>();
        List<Finding> warnings = new ArrayList<>();
        routes.forEach((name, route) -> {
            CrmConnector crm = connectors.get(route.crm());
            if (crm == null) return;
            String type = types.getOrDefault(route.crm(), "?");
            route.actions().byOutcome().forEach((outcome, actions) -> {
                for (int i = 0; i < actions.size(); i++) {
                    String path = "routes." + name + ".actions." + outcome.key() + "[" + i + "]";
                    CrmWrite sample = sample(route, outcome, actions.get(i));
                    String kind = WriteKind.of(sample).name().toLowerCase(Locale.ROOT).replace('_', '-');
                    if (!crm.writeKinds().contains(WriteKind.of(sample))) {
                        problems.add(new Finding(path, "crms." + route.crm() + ": type " + type + " cannot " + kind));
                    } else if (!crm.retrySafe(sample)) {
                        warnings.add(new Finding(path, "crms." + route.crm() + ": a " + kind + " of type " + type + " is not retry-safe"
                                + (actions.get(i).options().keyField().isPresent() ? "" : " without key-field")
                                + ": after a timeout or a 5xx it is recorded failed, not retried"));
                    }
                }
            });
        });
        return new Outcome(problems, warnings);
    }

    /** A write of the action's shape, with placeholder values: what the connector judges by its kind and key field. */
    private static CrmWrite sample(Route route, ActionOutcome outcome, Action action) {
        Map<String, String> fields = new LinkedHashMap<>();
        action.set().keySet().forEach(field -> fields.put(field, ""));
        String key = "check:" + route.name() + ":" + outcome.key();
        if (action instanceof Action.Create create) return new CrmWrite.Create(create.object(), fields, action.options().keyField(), key);
        if (action instanceof Action.Update) return new CrmWrite.Update(route.object(), "check", fields, key);
        return new CrmWrite.LogCall(route.object(), "check", "check", fields, new CrmWrite.CallFacts("", "", "", Instant.EPOCH),
                action.options().keyField(), key);
    }
}
