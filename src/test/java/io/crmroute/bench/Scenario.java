package io.crmroute.bench;

import java.time.Duration;
import java.util.List;

/**
 * One scenario of the issue: the load offered, the route warmed up first, and how many calls at once it
 * offers (the tuned baseline's pool is raised to that).
 */
record Scenario(char id, String title, LoadPlan plan, String warmupRoute, int offeredConcurrency, long crmLatencyMs) {

    /** The most calls in flight at once the file-descriptor limit allows: each holds an AGI and a CRM socket. */
    static int maxInFlight(long maxFileDescriptors) {
        return (int) Math.max(100, Math.min(10_000, (maxFileDescriptors - 600) / 2));
    }

    /** Scenarios (a)-(e); {@code quick} shrinks them to a couple of seconds each (for trying the harness). */
    static List<Scenario> all(int inFlightLimit, boolean quick) {
        Duration ten = Duration.ofSeconds(quick ? 2 : 10);
        Duration five = Duration.ofSeconds(quick ? 2 : 5);
        int wave = quick ? Math.min(1000, inFlightLimit) : inFlightLimit;
        return List.of(
                new Scenario('a', "CRM answers from cache, maximum rate",
                        LoadPlan.closedLoop(BenchRoutes.CACHED, 50, 10_000_000, ten), BenchRoutes.CACHED, 50, 0),
                new Scenario('b', "CRM at 50 ms, 2,000 sessions/s offered",
                        LoadPlan.openLoop(BenchRoutes.SLOW50, 2000, 2000L * ten.toSeconds(), ten), BenchRoutes.DIRECT, 200, 50),
                new Scenario('c', String.format("CRM at 1 s, %,d calls in flight at once", wave),
                        LoadPlan.openLoop(BenchRoutes.SLOW1S, 20_000, wave, Duration.ofSeconds(30))
                                .withSessionTimeout(Duration.ofSeconds(15)), BenchRoutes.DIRECT, wave, 1000),
                new Scenario('d', "CRM down, breaker open",
                        LoadPlan.closedLoop(BenchRoutes.DOWN, 50, 10_000_000, five), BenchRoutes.DIRECT, 50, 0),
                new Scenario('e', "10% of callers hang up mid-call (CRM at 50 ms)",
                        LoadPlan.openLoop(BenchRoutes.SLOW50, 1000, 1000L * five.toSeconds(), five).withHangups(0.1),
                        BenchRoutes.DIRECT, 100, 50));
    }
}
