package io.crmroute.route;

import io.crmroute.crm.CrmRecord;
import io.crmroute.crm.LookupResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Turns a route and what its lookup came to into the call's decision. */
public final class Router {

    private Router() {}

    /**
     * The decision for {@code outcome}. A hang-up is HANGUP with rule {@code hangup}, the digits pressed, and no
     * destination: nobody is left to send anywhere, the {@code h} extension reads what happened.
     */
    public static Decision decide(Route route, String digits, LookupOutcome outcome) {
        if (outcome instanceof LookupOutcome.HungUp) {
            return new Decision(route.name(), CallStatus.HANGUP, Optional.empty(), false, "hangup", Optional.empty(), digits,
                    Optional.empty(), route.object(), route.retrieve(), route.records() > 1, List.of(), Optional.empty(), List.of());
        }
        if (outcome instanceof LookupOutcome.Withheld) {
            return path(route, digits, CallStatus.WITHHELD, "withheld", route.withheldPath(), Optional.empty(), Optional.empty());
        }
        if (outcome instanceof LookupOutcome.Failed) {
            String reason = ((LookupOutcome.Failed) outcome).reason();
            return path(route, digits, CallStatus.FAILED, "failure", route.failurePath(), Optional.of(reason), Optional.empty());
        }
        if (outcome instanceof LookupOutcome.NoValue) {
            return path(route, digits, CallStatus.NOMATCH, "nomatch", route.nomatchPath(), Optional.empty(), Optional.empty());
        }
        LookupResult result = ((LookupOutcome.Found) outcome).result();
        if (result.isEmpty()) {
            return path(route, digits, CallStatus.NOMATCH, "nomatch", route.nomatchPath(), Optional.empty(), Optional.of(0));
        }
        if (route.records() == 1 && result.total() > 1) {
            return path(route, digits, CallStatus.MULTIPLE, "multiple", route.multiplePath(), Optional.empty(), Optional.of(result.total()));
        }
        List<CrmRecord> kept = result.records().subList(0, Math.min(route.records(), result.records().size()));
        return evaluate(route, digits, kept, result.total());
    }

    private static Decision evaluate(Route route, String digits, List<CrmRecord> records, int total) {
        CrmRecord first = records.get(0);
        List<RuleEvaluation> evaluations = new ArrayList<>();
        for (int i = 0; i < route.rules().size(); i++) {
            Rule rule = route.rules().get(i);
            String field = rule.field().orElse(route.field());
            String actual = first.get(field).orElse("");
            boolean held = rule.op().test(actual, rule.value());
            evaluations.add(new RuleEvaluation(rule.label(i + 1), field, actual, rule.op(), rule.value(), held));
            if (held) {
                return new Decision(route.name(), CallStatus.MATCH, Optional.of(rule.to()), rule.voicemail(), rule.label(i + 1),
                        Optional.of(actual), digits, Optional.empty(), route.object(), route.retrieve(), route.records() > 1,
                        records, Optional.of(total), evaluations);
            }
        }
        Fallback fallback = route.defaultPath();
        return new Decision(route.name(), CallStatus.DEFAULT, Optional.of(fallback.to()), fallback.voicemail(), "default",
                Optional.of(first.get(route.field()).orElse("")), digits, Optional.empty(), route.object(), route.retrieve(),
                route.records() > 1, records, Optional.of(total), evaluations);
    }

    private static Decision path(Route route, String digits, CallStatus status, String rule, Fallback fallback,
                                 Optional<String> error, Optional<Integer> recordCount) {
        return new Decision(route.name(), status, Optional.of(fallback.to()), fallback.voicemail(), rule, Optional.empty(),
                digits, error, route.object(), route.retrieve(), route.records() > 1, List.of(), recordCount, List.of());
    }
}
