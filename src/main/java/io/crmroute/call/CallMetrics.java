package io.crmroute.call;

import io.crmroute.route.CallStatus;
import io.crmroute.route.LookupOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Call metrics for {@code /metrics}: {@code crmroute_calls_total{route,status}},
 * {@code crmroute_call_seconds} (session start to last variable) and
 * {@code crmroute_crm_lookup_seconds{crm,outcome}} (the wait the caller saw, a histogram; outcome is
 * found, none, failed, or hangup when the caller hung up while waiting).
 */
public final class CallMetrics implements DecisionListener {

    /**
     * The histograms' bucket bounds: eleven fixed ones a dashboard can name (5 ms to 10 s) rather than the
     * ~70 of a percentile histogram per timer, which made every scrape three times longer (31 KB, not 11 KB).
     */
    static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final MeterRegistry registry;
    private final Map<String, Counter> calls = new ConcurrentHashMap<>();
    private final Map<String, Timer> lookups = new ConcurrentHashMap<>();
    private final Timer callTime;

    public CallMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.callTime = Timer.builder("crmroute.call")
                .description("Time from the session's start to its last variable set")
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    @Override
    public void onDecision(CallReport report) {
        String route = report.decision().status() == CallStatus.ERROR && report.crm().isEmpty() ? "unknown" : report.decision().route();
        String status = report.decision().status().name();
        calls.computeIfAbsent(route + '\u0000' + status, key -> Counter.builder("crmroute.calls")
                .description("Call decisions by route and status")
                .tag("route", route)
                .tag("status", status)
                .register(registry)).increment();
        callTime.record(report.totalTime());
        report.crmTime().ifPresent(elapsed -> lookupTimer(report.crm(), outcome(report)).record(elapsed));
    }

    private Timer lookupTimer(String crm, String outcome) {
        return lookups.computeIfAbsent(crm + '\u0000' + outcome, key -> Timer.builder("crmroute.crm.lookup")
                .description("CRM lookup time as the caller waited for it")
                .tag("crm", crm)
                .tag("outcome", outcome)
                .serviceLevelObjectives(BUCKETS)
                .register(registry));
    }

    private static String outcome(CallReport report) {
        LookupOutcome lookup = report.lookup().orElse(null);
        if (lookup instanceof LookupOutcome.Failed) return "failed";
        if (lookup instanceof LookupOutcome.HungUp) return "hangup";
        if (lookup instanceof LookupOutcome.Found && !((LookupOutcome.Found) lookup).result().isEmpty()) return "found";
        return "none";
    }
}
