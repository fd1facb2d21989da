package io.crmroute.crm;

import com.github.benmanes.caffeine.cache.Ticker;
import io.crmroute.testing.ManualTime;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
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

    /**
     * An entry of {@code type} read from its keys' texts as a config file gives them, by key path
     * ({@code base-url}, {@code auth.client-id}; {@code allow-insecure} too): the test fails on any problem.
     */
    static CrmSpec spec(String name, CrmType<?> type, Map<String, String> texts) {
        return spec(name, type, texts, Path.of("."));
    }

    /** As {@link #spec(String, CrmType, Map)}, relative paths starting at {@code configDir}. */
    static CrmSpec spec(String name, CrmType<?> type, Map<String, String> texts, Path configDir) {
        Map<String, String> keys = new HashMap<>(texts);
        boolean insecure = Boolean.parseBoolean(keys.remove("allow-insecure"));
        List<String> problems = new ArrayList<>();
        Optional<?> settings = type.read(keys, new CrmKey.Context(configDir, insecure), collect(problems));
        assertEquals(List.of(), problems, "problems reading " + texts);
        return new CrmSpec(name, type, settings.orElseThrow(), CrmSpec.DEFAULT_TIMEOUT, OptionalDouble.empty(), Optional.empty(),
                Optional.empty(), Map.of(), insecure, Set.of());
    }

    /** What is wrong with an entry of {@code type} written as {@code texts}: {@code "key: message"} each. */
    static List<String> problems(CrmType<?> type, Map<String, String> texts) {
        return problems(type, texts, Path.of("."));
    }

    static List<String> problems(CrmType<?> type, Map<String, String> texts, Path configDir) {
        Map<String, String> keys = new HashMap<>(texts);
        boolean insecure = Boolean.parseBoolean(keys.remove("allow-insecure"));
        List<String> problems = new ArrayList<>();
        Optional<?> settings = type.read(keys, new CrmKey.Context(configDir, insecure), collect(problems));
        assertEquals(problems.isEmpty(), settings.isPresent(), "settings exactly when there are no problems");
        return problems;
    }

    private static KeyProblems collect(List<String> problems) {
        return new KeyProblems() {
            @Override
            public void invalid(String key, String text, String expected) {
                problems.add(key + ": \"" + text + "\": " + expected);
            }

            @Override
            public void problem(String key, String message) {
                problems.add(key + ": " + message);
            }
        };
    }

    static CrmSpec withCache(CrmSpec s, Duration ttl, Duration negativeTtl) {
        return new CrmSpec(s.name(), s.type(), s.settings(), s.timeout(), s.rateLimit(), Optional.of(new CacheSpec(ttl, negativeTtl)),
                s.phone(), s.headers(), s.allowInsecure(), s.secrets());
    }

    static CrmSpec withRateLimit(CrmSpec s, double perSecond) {
        return new CrmSpec(s.name(), s.type(), s.settings(), s.timeout(), OptionalDouble.of(perSecond), s.cache(),
                s.phone(), s.headers(), s.allowInsecure(), s.secrets());
    }

    static CrmSpec withHeaders(CrmSpec s, Map<String, String> headers, Set<String> secrets) {
        return new CrmSpec(s.name(), s.type(), s.settings(), s.timeout(), s.rateLimit(), s.cache(),
                s.phone(), headers, s.allowInsecure(), secrets);
    }

    /** {@code s} with {@code secrets} as the values that came from the environment. */
    static CrmSpec withSecrets(CrmSpec s, Set<String> secrets) {
        return withHeaders(s, s.headers(), secrets);
    }

    /** Match {@code value} against {@code object.field}, retrieving {@code field}, 1.5 s budget. */
    static LookupRequest request(String object, String field, String value) {
        return new LookupRequest(object, field, value, Optional.empty(), List.of(field), 1, "", "", Duration.ofMillis(1500), null);
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
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
