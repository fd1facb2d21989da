package io.crmroute.call;

import io.crmroute.route.Decision;
import io.crmroute.route.LookupOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What happened to one call: who called, the decision, what the lookup came to (empty when no CRM
 * was asked), how long the CRM and the whole call took, and the variables set.
 */
public record CallReport(
        Instant time,
        String uniqueId,
        String channel,
        String callerId,
        String crm,
        Decision decision,
        Optional<LookupOutcome> lookup,
        Optional<Duration> crmTime,
        Duration totalTime,
        Map<String, String> variables) {

    public CallReport {
        lookup = lookup == null ? Optional.empty() : lookup;
        crmTime = crmTime == null ? Optional.empty() : crmTime;
        variables = Map.copyOf(variables);
    }
}
