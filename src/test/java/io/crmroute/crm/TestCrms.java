package io.crmroute.crm;

import com.github.benmanes.caffeine.cache.Ticker;
import io.crmroute.testing.ManualTime;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Specs, requests and fake time for the crm tests. */
final class TestCrms {

    private TestCrms() {}

    static CrmSpec spec(String name, CrmType type, Map<String, String> settings) {
        return new CrmSpec(name, type, Optional.empty(), Map.of(), CrmSpec.DEFAULT_TIMEOUT, OptionalDouble.empty(),
                Optional.empty(), Optional.empty(), settings, Map.of(), Set.of(), Path.of("."));
    }

    static CrmSpec withCache(CrmSpec s, Duration ttl, Duration negativeTtl) {
        return new CrmSpec(s.name(), s.type(), s.baseUrl(), s.auth(), s.timeout(), s.rateLimit(),
                Optional.of(new CacheSpec(ttl, negativeTtl)), s.phone(), s.settings(), s.headers(), s.secrets(), s.configDir());
    }

    static CrmSpec withRateLimit(CrmSpec s, double perSecond) {
        return new CrmSpec(s.name(), s.type(), s.baseUrl(), s.auth(), s.timeout(), OptionalDouble.of(perSecond),
                s.cache(), s.phone(), s.settings(), s.headers(), s.secrets(), s.configDir());
    }

    static CrmSpec withHeaders(CrmSpec s, Map<String, String> headers, Set<String> secrets) {
        return new CrmSpec(s.name(), s.type(), s.baseUrl(), s.auth(), s.timeout(), s.rateLimit(),
                s.cache(), s.phone(), s.settings(), headers, secrets, s.configDir());
    }

    static CrmSpec inDir(CrmSpec s, Path dir) {
        return new CrmSpec(s.name(), s.type(), s.baseUrl(), s.auth(), s.timeout(), s.rateLimit(),
                s.cache(), s.phone(), s.settings(), s.headers(), s.secrets(), dir);
    }

    /** Match {@code value} against {@code object.field}, retrieving {@code field}, 1.5 s budget. */
    static LookupRequest request(String object, String field, String value) {
        return new LookupRequest(object, field, value, Optional.empty(), List.of(field), 1, "", "", Duration.ofMillis(1500), null);
    }

    static LookupResult await(CompletableFuture<LookupResult> future) throws Exception {
        return future.get(5, TimeUnit.SECONDS);
    }

    /** The CrmException the future failed with, checking its kind. */
    static CrmException failure(CompletableFuture<?> future, CrmException.Kind kind) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(5, TimeUnit.SECONDS));
        CrmException crm = assertInstanceOf(CrmException.class, e.getCause());
        assertEquals(kind, crm.kind(), crm.getMessage());
        return crm;
    }

    /** Real HTTP on time the test drives: no deadline passes until {@code time.advance} says so. */
    static CrmContext drivenBy(ManualTime time) {
        return CrmContext.create(time.clock(), time.ticker(), time.scheduler());
    }

    /**
     * The failure of {@code answer}, a lookup that {@code silent} holds without answering, once the
     * test has moved time to the CRM's (default) timeout: nothing ends a moment before it.
     */
    static CrmException timesOutAtTheCrmTimeout(ManualTime time, CompletableFuture<LookupResult> answer, FakeCrmServer silent,
            int requests) throws InterruptedException {
        silent.awaitRequests(requests);
        time.advance(CrmSpec.DEFAULT_TIMEOUT.minusMillis(1));
        assertFalse(answer.isDone(), "nothing ends before the CRM's timeout, whatever the caller's budget");
        time.advance(Duration.ofMillis(1));
        return failure(answer, CrmException.Kind.TIMEOUT);
    }

    /** A ticker tests move by hand. */
    static final class FakeTicker implements Ticker {
        private final AtomicLong nanos = new AtomicLong();

        @Override
        public long read() {
            return nanos.get();
        }

        void advance(Duration duration) {
            nanos.addAndGet(duration.toNanos());
        }
    }

    /** A clock tests move by hand. */
    static final class FakeClock extends Clock {
        private volatile Instant now = Instant.parse("2025-01-15T10:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }
    }
}
