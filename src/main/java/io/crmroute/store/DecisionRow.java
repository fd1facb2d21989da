package io.crmroute.store;

import io.crmroute.route.Decision;
import io.crmroute.route.Destination;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One call decision as audited. {@code id} is made when the row is recorded and makes the write
 * idempotent; {@code uniqueid} is Asterisk's {@code agi_uniqueid}. Text that came from the caller is
 * bounded here, once.
 */
public record DecisionRow(
        UUID id,
        Instant time,
        String uniqueid,
        String channel,
        String caller,
        String route,
        String digits,
        String crm,
        Optional<String> value,
        Optional<Integer> recordCount,
        String status,
        String rule,
        Optional<String> destType,
        Optional<String> dest,
        boolean voicemail,
        Optional<Long> crmMillis,
        Optional<String> error) {

    static final int MAX_TEXT = 256;
    static final int MAX_ERROR = 1000;

    public DecisionRow {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(time, "time");
        uniqueid = bound(uniqueid, MAX_TEXT);
        channel = bound(channel, MAX_TEXT);
        caller = bound(caller, MAX_TEXT);
        route = bound(route, MAX_TEXT);
        digits = bound(digits, MAX_TEXT);
        crm = bound(crm, MAX_TEXT);
        value = value == null ? Optional.empty() : value.map(text -> bound(text, MAX_TEXT));
        recordCount = recordCount == null ? Optional.empty() : recordCount;
        status = bound(status, MAX_TEXT);
        rule = bound(rule, MAX_TEXT);
        destType = destType == null ? Optional.empty() : destType.map(text -> bound(text, MAX_TEXT));
        dest = dest == null ? Optional.empty() : dest.map(text -> bound(text, MAX_TEXT));
        crmMillis = crmMillis == null ? Optional.empty() : crmMillis;
        error = error == null ? Optional.empty() : error.map(text -> bound(text, MAX_ERROR));
    }

    /**
     * The row for a call's decision, with a new id. {@code crm} is the route's CRM name; {@code crmLatency}
     * how long the CRM took, empty when it was not asked.
     */
    public static DecisionRow of(Instant time, String uniqueid, String channel, String caller, String crm,
                                 Decision decision, Optional<Duration> crmLatency) {
        Optional<Destination> destination = decision.destination();
        return new DecisionRow(UUID.randomUUID(), time, uniqueid, channel, caller, decision.route(), decision.digits(), crm,
                decision.value(), decision.recordCount(), decision.status().name(), decision.rule(),
                destination.map(Destination::type), destination.map(Destination::target), decision.voicemail(),
                crmLatency.map(Duration::toMillis), decision.error());
    }

    /**
     * {@code text} at most {@code max} characters, control characters as spaces: PostgreSQL refuses a NUL in text
     * (the whole batch with it, again on every retry), and CRM replies and wire values can carry one.
     */
    static String bound(String text, int max) {
        if (text == null) return "";
        String clean = CONTROL.matcher(text).replaceAll(" ");
        return clean.length() > max ? clean.substring(0, max) : clean;
    }

    private static final java.util.regex.Pattern CONTROL = java.util.regex.Pattern.compile("\\p{Cntrl}");
}
