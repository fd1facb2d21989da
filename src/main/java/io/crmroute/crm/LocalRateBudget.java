package io.crmroute.crm;

import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;

import java.time.Duration;

/** The rate limit of one node: resilience4j's limiter, {@code rate} per second as whole permits per period. */
final class LocalRateBudget implements RateBudget {

    private final AtomicRateLimiter limiter;

    LocalRateBudget(String crm, double rate) {
        this.limiter = new AtomicRateLimiter(crm, config(rate));
    }

    @Override
    public long reserve(Duration within) {
        // Estimate first: a permit reserved and then given up would push every later caller back.
        if (limiter.getDetailedMetrics().getNanosToWait() > within.toNanos()) {
            return -1;
        }
        long wait = limiter.reservePermission();
        return wait > within.toNanos() ? -1 : wait;
    }

    /** {@code rate} per second as whole permits per period: 5/s is 5 per second, 0.5/s is 1 per 2 s. */
    private static RateLimiterConfig config(double rate) {
        int permits = Math.max(1, (int) Math.floor(rate));
        return RateLimiterConfig.custom()
                .limitForPeriod(permits)
                .limitRefreshPeriod(Duration.ofNanos((long) (permits / rate * 1_000_000_000L)))
                .timeoutDuration(Duration.ofMinutes(1))
                .writableStackTraceEnabled(false)
                .build();
    }
}
