package io.crmroute.bench;

import java.time.Duration;

/**
 * What the load generator offers: a route, closed loop (fixed concurrency, the next call starts when one
 * ends) or open loop (fixed arrival rate, whatever the server does), bounded by a total count and a time
 * limit. {@code hangupFraction} of callers hang up mid-call; a session the server has not closed after
 * {@code sessionTimeout} is a leaked session.
 */
record LoadPlan(String route, boolean openLoop, int concurrency, double ratePerSecond, long total, Duration duration,
                double hangupFraction, Duration sessionTimeout) {

    LoadPlan {
        if (!BenchRoutes.ALL.contains(route)) throw new IllegalArgumentException("unknown route: " + route);
        if (openLoop ? ratePerSecond <= 0 : concurrency <= 0) throw new IllegalArgumentException("no load offered");
        if (total <= 0 || duration.isNegative() || duration.isZero()) throw new IllegalArgumentException("unbounded plan");
    }

    static LoadPlan closedLoop(String route, int concurrency, long total, Duration duration) {
        return new LoadPlan(route, false, concurrency, 0, total, duration, 0, Duration.ofSeconds(10));
    }

    static LoadPlan openLoop(String route, double ratePerSecond, long total, Duration duration) {
        return new LoadPlan(route, true, 0, ratePerSecond, total, duration, 0, Duration.ofSeconds(10));
    }

    LoadPlan withHangups(double fraction) {
        return new LoadPlan(route, openLoop, concurrency, ratePerSecond, total, duration, fraction, sessionTimeout);
    }

    LoadPlan withSessionTimeout(Duration timeout) {
        return new LoadPlan(route, openLoop, concurrency, ratePerSecond, total, duration, hangupFraction, timeout);
    }

    LoadPlan withDuration(Duration limit) {
        return new LoadPlan(route, openLoop, concurrency, ratePerSecond, total, limit, hangupFraction, sessionTimeout);
    }

    boolean failureExpected() {
        return BenchRoutes.DOWN.equals(route);
    }

    boolean failureAllowed() {
        return BenchRoutes.FLAKY.equals(route);
    }

    String describe() {
        String load = openLoop ? String.format("open loop %,.0f/s", ratePerSecond) : "closed loop x" + concurrency;
        String hangups = hangupFraction > 0 ? String.format(", %.0f%% hang up", hangupFraction * 100) : "";
        return String.format("route %s, %s, max %,d sessions / %ds%s", route, load, total, duration.toSeconds(), hangups);
    }
}
