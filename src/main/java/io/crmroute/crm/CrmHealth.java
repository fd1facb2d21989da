package io.crmroute.crm;

import java.time.Instant;
import java.util.Optional;

/** What the calls have seen of one CRM lately, for {@code /health}. */
public record CrmHealth(
        String name,
        Optional<Instant> lastSuccess,
        Optional<Instant> lastFailure,
        Optional<String> lastError,
        String breaker) {

    public static CrmHealth unknown(String name) {
        return new CrmHealth(name, Optional.empty(), Optional.empty(), Optional.empty(), "CLOSED");
    }
}
