package io.crmroute.crm;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.crmroute.concurrent.Futures;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.internal.CircuitBreakerStateMachine;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every connector gets around it, in this order: identical lookups in flight share one
 * request (and, with {@code cache:}, one cached answer: found records for {@code ttl}, no record
 * for {@code negative-ttl}, failures never); then the circuit breaker (failing at once while the
 * CRM keeps failing); then the rate limit (a lookup waits on the scheduler for its turn, or fails
 * at once when its turn comes after its budget); then the budget itself as a hard deadline.
 * Failures always complete with a plain {@link CrmException}.
 */
final class ResilientConnector implements CrmConnector {

    private final CrmConnector delegate;
    private final CrmSpec spec;
    private final CrmContext context;
    private final CircuitBreaker breaker;
    private final AtomicRateLimiter limiter; // null without rate-limit
    // Answers only, filled by the single-flight path: a Caffeine loader would log every failed load.
    private final Cache<String, LookupResult> cache; // null without cache
    private final ConcurrentMap<String, CompletableFuture<LookupResult>> inFlight = new ConcurrentHashMap<>();
    private final AtomicReference<Seen> seen = new AtomicReference<>(new Seen(Optional.empty(), Optional.empty(), Optional.empty()));

    /** What calls have seen, for {@link #health}. */
    private record Seen(Optional<Instant> lastSuccess, Optional<Instant> lastFailure, Optional<String> lastError) {}

    ResilientConnector(CrmConnector delegate, CrmSpec spec, CrmContext context) {
        this.delegate = delegate;
        this.spec = spec;
        this.context = context;
        this.breaker = new CircuitBreakerStateMachine(spec.name(), breakerConfig(), context.clock());
        this.limiter = spec.rateLimit().isPresent() ? new AtomicRateLimiter(spec.name(), limiterConfig(spec.rateLimit().getAsDouble())) : null;
        this.cache = spec.cache().map(this::buildCache).orElse(null);
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public CompletableFuture<LookupResult> lookup(LookupRequest request) {
        long start = context.ticker().read();
        boolean[] sent = {false};
        LookupResult cached = cache == null ? null : cache.getIfPresent(request.cacheKey());
        CompletableFuture<LookupResult> shared;
        try {
            shared = cached != null ? CompletableFuture.completedFuture(cached) : singleFlight(request, sent);
        } catch (RuntimeException e) {
            shared = CompletableFuture.failedFuture(e);
        }
        // Each caller gets its own future: one caller cancelling must not touch the others.
        CompletableFuture<LookupResult> answer = new CompletableFuture<>();
        shared.whenComplete((result, error) -> {
            CrmException failure = error == null ? null : asCrmException(error);
            try {
                context.listener().onLookup(spec.name(), context.since(start), Optional.ofNullable(failure), !sent[0]);
            } catch (RuntimeException ignored) {
                // metrics must never break a call
            }
            if (failure == null) answer.complete(result);
            else answer.completeExceptionally(failure);
        });
        return answer;
    }

    @Override
    public CrmHealth health() {
        Seen now = seen.get();
        return new CrmHealth(spec.name(), now.lastSuccess(), now.lastFailure(), now.lastError(), breaker.getState().name());
    }

    @Override
    public void close() {
        delegate.close();
    }

    private CompletableFuture<LookupResult> singleFlight(LookupRequest request, boolean[] sent) {
        String key = request.cacheKey();
        CompletableFuture<LookupResult> mine = new CompletableFuture<>();
        CompletableFuture<LookupResult> running = inFlight.putIfAbsent(key, mine);
        if (running != null) return running;
        sent[0] = true;
        guarded(request).whenComplete((result, error) -> {
            if (error == null && cache != null) cache.put(key, result);
            inFlight.remove(key, mine);
            if (error == null) mine.complete(result);
            else mine.completeExceptionally(error);
        });
        return mine;
    }

    /** Breaker, rate limit and deadline around one real request. */
    private CompletableFuture<LookupResult> guarded(LookupRequest request) {
        if (!breaker.tryAcquirePermission()) {
            return CompletableFuture.failedFuture(failure(CrmException.Kind.CIRCUIT_OPEN, "circuit open after repeated failures"));
        }
        long waitNanos = limiter == null ? 0 : reserveTurn(request.budget());
        if (waitNanos < 0) {
            breaker.releasePermission();
            return CompletableFuture.failedFuture(failure(CrmException.Kind.RATE_LIMITED,
                    "rate limit of " + spec.rateLimit().getAsDouble() + "/s leaves no turn within " + request.budget().toMillis() + " ms"));
        }
        long start = context.ticker().read();
        CompletableFuture<LookupResult> call = waitNanos == 0
                ? callDelegate(request)
                : context.delay(Duration.ofNanos(waitNanos))
                        .thenCompose(ignored -> callDelegate(request.withBudget(request.budget().minusNanos(waitNanos))));
        return withDeadline(call, request.budget()).whenComplete((result, error) -> record(start, error));
    }

    /** Nanoseconds to wait for a turn, or -1 when the turn would come after {@code budget}. */
    private long reserveTurn(Duration budget) {
        // Estimate first: a permit reserved and then given up would push every later caller back.
        if (limiter.getDetailedMetrics().getNanosToWait() > budget.toNanos()) {
            return -1;
        }
        long wait = limiter.reservePermission();
        return wait > budget.toNanos() ? -1 : wait;
    }

    private CompletableFuture<LookupResult> callDelegate(LookupRequest request) {
        try {
            CompletableFuture<LookupResult> call = delegate.lookup(request);
            return call != null ? call : CompletableFuture.failedFuture(new IllegalStateException("connector answered null"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** {@code call}, or TIMEOUT when it has not answered within {@code budget}. */
    private CompletableFuture<LookupResult> withDeadline(CompletableFuture<LookupResult> call, Duration budget) {
        if (call.isDone()) return call; // the file CRM: nothing to schedule
        CompletableFuture<LookupResult> bounded = new CompletableFuture<>();
        ScheduledFuture<?> deadline = context.scheduler().schedule(
                () -> bounded.completeExceptionally(failure(CrmException.Kind.TIMEOUT, "no answer within " + budget.toMillis() + " ms")),
                budget.toNanos(), TimeUnit.NANOSECONDS);
        call.whenComplete((result, error) -> {
            deadline.cancel(false);
            if (error == null) bounded.complete(result);
            else bounded.completeExceptionally(asCrmException(error));
        });
        return bounded;
    }

    private void record(long start, Throwable error) {
        long elapsed = context.ticker().read() - start;
        Instant now = context.clock().instant();
        if (error == null) {
            breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
            seen.updateAndGet(s -> new Seen(Optional.of(now), s.lastFailure(), s.lastError()));
        } else {
            CrmException failure = asCrmException(error);
            breaker.onError(elapsed, TimeUnit.NANOSECONDS, failure);
            seen.updateAndGet(s -> new Seen(s.lastSuccess(), Optional.of(now), Optional.of(failure.getMessage())));
        }
    }

    private CrmException asCrmException(Throwable error) {
        Throwable cause = Futures.unwrap(error);
        if (cause instanceof CrmException crm) return crm;
        return failure(CrmException.Kind.BAD_RESPONSE, "unexpected failure: " + cause);
    }

    private CrmException failure(CrmException.Kind kind, String detail) {
        return CrmHttp.failure(spec, kind, detail);
    }

    private Cache<String, LookupResult> buildCache(CacheSpec cacheSpec) {
        return Caffeine.newBuilder()
                .ticker(context.ticker())
                .executor(Runnable::run)
                .maximumSize(100_000)
                .expireAfter(new Expiry<String, LookupResult>() {
                    @Override
                    public long expireAfterCreate(String key, LookupResult result, long now) {
                        return (result.isEmpty() ? cacheSpec.negativeTtl() : cacheSpec.ttl()).toNanos();
                    }

                    @Override
                    public long expireAfterUpdate(String key, LookupResult result, long now, long current) {
                        return expireAfterCreate(key, result, now);
                    }

                    @Override
                    public long expireAfterRead(String key, LookupResult result, long now, long current) {
                        return current;
                    }
                })
                .build();
    }

    private static CircuitBreakerConfig breakerConfig() {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(20)
                .minimumNumberOfCalls(10)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(10))
                .permittedNumberOfCallsInHalfOpenState(3)
                // A config problem says nothing about the CRM's health: it must not open the circuit.
                .ignoreException(e -> e instanceof CrmException crm && crm.kind() == CrmException.Kind.CONFIG)
                .writableStackTraceEnabled(false)
                .build();
    }

    /** {@code rate} per second as whole permits per period: 5/s is 5 per second, 0.5/s is 1 per 2 s. */
    private static RateLimiterConfig limiterConfig(double rate) {
        int permits = Math.max(1, (int) Math.floor(rate));
        return RateLimiterConfig.custom()
                .limitForPeriod(permits)
                .limitRefreshPeriod(Duration.ofNanos((long) (permits / rate * 1_000_000_000L)))
                .timeoutDuration(Duration.ofMinutes(1))
                .writableStackTraceEnabled(false)
                .build();
    }
}
