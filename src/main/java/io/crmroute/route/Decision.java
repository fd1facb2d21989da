package io.crmroute.route;

import io.crmroute.crm.CrmRecord;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one call goes and why. {@code records} are the records exposed as CRM_* variables (none on
 * MULTIPLE, where they are ambiguous); {@code recordCount} is how many the CRM found, or empty when
 * it was not asked.
 */
public record Decision(
        String route,
        CallStatus status,
        Optional<Destination> destination,
        boolean voicemail,
        String rule,
        Optional<String> value,
        String digits,
        Optional<String> error,
        String object,
        List<String> retrieve,
        boolean severalRecords,
        List<CrmRecord> records,
        Optional<Integer> recordCount,
        List<RuleEvaluation> evaluations) {

    public Decision {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(status, "status");
        digits = digits == null ? "" : digits;
        retrieve = List.copyOf(retrieve);
        records = List.copyOf(records);
        evaluations = List.copyOf(evaluations);
    }

    /** ERROR: the call could not be routed at all (unknown route, broken config, internal error). */
    public static Decision error(String route, String digits, String reason) {
        return new Decision(route, CallStatus.ERROR, Optional.empty(), false, "", Optional.empty(), digits,
                Optional.of(reason), "", List.of(), false, List.of(), Optional.empty(), List.of());
    }
}
