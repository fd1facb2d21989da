package io.crmroute.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;

/**
 * Wrong tokens counted per source address. A source gets {@code freeFailures} wrong tokens; after
 * each further one it must wait, {@code firstLockout} then twice as long each time up to {@code
 * maxLockout}, before any request of its own is looked at again ({@link BearerAuth} answers 429 with
 * {@code Retry-After} meanwhile, without checking the token, so waiting is the only way on). A right
 * token clears the count; a source quiet for {@code forgetAfter} is forgotten. Nothing blocks: the
 * answer is immediate, only later requests are refused. Time comes from an injected ticker.
 */
public final class AuthFailures {

    /** How many failures are free, the lockouts after them, and when a quiet source is forgotten. */
    public record Policy(int freeFailures, Duration firstLockout, Duration maxLockout, Duration forgetAfter) {

        public static Policy defaults() {
            return new Policy(5, Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofMinutes(15));
        }
    }

    /** Remembered per source; changed under the instance's lock. */
    private static final class Source {
        int failures;
        long lockedUntilNanos;
    }

    private static final int MAX_SOURCES = 10_000;

    private final Policy policy;
    private final Ticker ticker;
    private final Cache<String, Source> sources;

    public AuthFailures(Policy policy, Ticker ticker) {
        this.policy = policy;
        this.ticker = ticker;
        this.sources = Caffeine.newBuilder().ticker(ticker).executor(Runnable::run)
                .expireAfterAccess(policy.forgetAfter()).maximumSize(MAX_SOURCES).build();
    }

    public static AuthFailures withDefaults() {
        return new AuthFailures(Policy.defaults(), Ticker.systemTicker());
    }

    /** How long {@code source} must still wait before a token of its is checked; zero when it may try now. */
    public synchronized Duration lockout(String source) {
        Source known = sources.getIfPresent(source);
        if (known == null) return Duration.ZERO;
        long left = known.lockedUntilNanos - ticker.read();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    /** Counts a wrong token; past the free ones, locks the source out for a growing while. */
    public synchronized void failed(String source) {
        Source known = sources.get(source, any -> new Source());
        known.failures++;
        int over = known.failures - policy.freeFailures();
        if (over <= 0) return;
        Duration lockout = policy.firstLockout().multipliedBy(1L << Math.min(over - 1, 30));
        if (lockout.compareTo(policy.maxLockout()) > 0) lockout = policy.maxLockout();
        known.lockedUntilNanos = ticker.read() + lockout.toNanos();
    }

    /** A right token: the source starts afresh. */
    public synchronized void succeeded(String source) {
        sources.invalidate(source);
    }
}
