package io.crmroute.crm;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.crmroute.concurrent.Futures;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.internal.CircuitBreakerStateMachine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every connector gets around it, in this order: identical lookups in flight share one
 * request (and, with {@code cache:}, one cached answer: found records for {@code ttl}, no record
 * for {@code negative-ttl}, failures never); then the circuit breaker (failing at once while the
 * CRM keeps failing); then the rate limit (a lookup waits on the scheduler for its turn, or fails
 * at once when its turn comes after the first caller's budget). A shared request lives while at
 * least one caller waits, and at most the CRM's {@code timeout}; callers leave by cancelling their
 * own future. Failures always complete with a plain {@link CrmException}.
 *
 * <p>The schema ({@link #objects}, {@link #fields}) is kept {@link SchemaCache#TTL} and goes around the
 * breaker and the rate limit: it is asked by an admin (console, {@code fields}, {@code check --online}),
 * a few requests an hour, and a failing metadata endpoint or an unknown object says nothing about the
 * lookups calls make, so it must not open the circuit for them; nor should an open circuit hide from the
 * admin what the CRM answers. Each request is bounded by the CRM's {@code timeout} in the connector.
 */
final class ResilientConnector implements CrmConnector {

    // Counted by the breaker like a timeout: callers leave when their budget ends, so a CRM that keeps
    // them waiting past it opens the circuit as it did when each caller's deadline was timed here.
    private static final String EVERY_CALLER_LEFT = "every caller left before the answer";
    private static final Duration WRITE_DEADLINE_GRACE = Duration.ofMillis(50);

    private final CrmConnector delegate;
    private final CrmSpec spec;
    private final CrmContext context;
    private final boolean sendsCallData;
    private final CircuitBreaker breaker;
    private final RateBudget limiter; // null without rate-limit
    // Answers only, filled by the single-flight path: a Caffeine loader would log every failed load.
    private final Cache<String, LookupResult> cache; // null without cache
    private final ConcurrentMap<String, Flight> inFlight = new ConcurrentHashMap<>();
    private final SchemaCache<CrmObject> objects;
    private final SchemaCache<CrmField> fields;
    private final AtomicReference<Seen> seen = new AtomicReference<>(new Seen(Optional.empty(), Optional.empty(), Optional.empty()));

    /** What calls have seen, for {@link #health}. */
    private record Seen(Optional<Instant> lastSuccess, Optional<Instant> lastFailure, Optional<String> lastError) {}

    ResilientConnector(CrmConnector delegate, CrmSpec spec, CrmContext context) {
        this.delegate = delegate;
        this.spec = spec;
        this.context = context;
        this.sendsCallData = delegate.sendsCallData();
        this.breaker = new CircuitBreakerStateMachine(spec.name(), breakerConfig(), context.clock());
        this.limiter = spec.rateLimit().isPresent() ? context.sharing().rateBudget(spec.name(), spec.rateLimit().getAsDouble()) : null;
        this.cache = spec.cache().map(this::buildCache).orElse(null);
        this.objects = new SchemaCache<>(context.ticker());
        this.fields = new SchemaCache<>(context.ticker());
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public CompletableFuture<LookupResult> lookup(LookupRequest request) {
        String key = request.shareKey(sendsCallData);
        LookupResult cached = cache == null ? null : cache.getIfPresent(key);
        if (cached != null) return CompletableFuture.completedFuture(cached);
        Flight flight;
        try {
            flight = join(key, request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(asCrmException(e));
        }
        // This caller's own future: cancelling it is how the caller leaves; the others keep waiting.
        CompletableFuture<LookupResult> mine = new CompletableFuture<>();
        mine.whenComplete((result, error) -> flight.leave(Futures.unwrap(error) instanceof TimeoutException));
        flight.answer.whenComplete((result, error) -> {
            if (error == null) mine.complete(result);
            else mine.completeExceptionally(asCrmException(error));
        });
        return mine;
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

    @Override
    public CompletableFuture<List<CrmObject>> objects() {
        return objects.get("", () -> delegate.objects()).exceptionallyCompose(error -> CompletableFuture.failedFuture(asCrmException(error)));
    }

    @Override
    public CompletableFuture<List<CrmField>> fields(String object) {
        return fields.get(object, () -> delegate.fields(object))
                .exceptionallyCompose(error -> CompletableFuture.failedFuture(asCrmException(error)));
    }

    @Override
    public void forgetSchema() {
        objects.clear();
        fields.clear();
    }

    @Override
    public boolean namesIgnoreCase() {
        return delegate.namesIgnoreCase();
    }

    /**
     * A write through the same breaker and rate limit as lookups, bounded by the CRM's {@code timeout} (or the
     * request's budget when shorter); a write is never shared nor cached. It waits its turn in the rate limit
     * beside the lookups, and is not sent while the circuit is open; but its outcome is not counted by the
     * breaker: a CRM that answers lookups while its write endpoint fails (or holds every write) must not have
     * its calls' lookups failed by the open circuit. The action queue's back-off spares the CRM instead.
     */
    @Override
    public CompletableFuture<WriteResult> write(WriteRequest request) {
        if (!breaker.tryAcquirePermission()) {
            return CompletableFuture.failedFuture(failure(CrmException.Kind.CIRCUIT_OPEN, "circuit open after repeated failures"));
        }
        Duration attempt = request.budget().compareTo(spec.timeout()) < 0 ? request.budget() : spec.timeout();
        long waitNanos = limiter == null ? 0 : reserveTurn(attempt);
        if (waitNanos < 0) {
            breaker.releasePermission();
            return CompletableFuture.failedFuture(failure(CrmException.Kind.RATE_LIMITED,
                    "rate limit of " + spec.rateLimit().getAsDouble() + "/s leaves no turn within " + attempt.toMillis() + " ms"));
        }
        LookupAbort abort = LookupAbort.create();
        request.abort().onFire(abort::fire);
        WriteRequest bounded = new WriteRequest(request.write(), attempt.minusNanos(waitNanos), request.trace(), abort);
        CompletableFuture<WriteResult> answer = new CompletableFuture<>();
        // A backstop a moment after the connector's own deadline (the same instant would race it and hide which of
        // its requests ran out): it ends a write whose connector overran, e.g. in a slow login before the write.
        ScheduledFuture<?> deadline = context.scheduler().schedule(() -> answer.completeExceptionally(
                failure(CrmException.Kind.TIMEOUT, "no answer within " + attempt.toMillis() + " ms")),
                attempt.plus(WRITE_DEADLINE_GRACE).toNanos(), TimeUnit.NANOSECONDS);
        CompletableFuture<WriteResult> call = waitNanos == 0
                ? callWriter(bounded)
                : context.delay(Duration.ofNanos(waitNanos)).thenCompose(ignored -> callWriter(bounded));
        call.whenComplete((result, error) -> {
            if (error == null) answer.complete(result);
            else answer.completeExceptionally(asCrmException(error));
        });
        return answer.whenComplete((result, error) -> {
            deadline.cancel(false);
            abort.fire(); // a write past its deadline must not land later unseen: its exchange closes now
            breaker.releasePermission();
        }).exceptionallyCompose(error -> CompletableFuture.failedFuture(asCrmException(error)));
    }

    private CompletableFuture<WriteResult> callWriter(WriteRequest request) {
        if (request.abort().isFired()) return CompletableFuture.failedFuture(failure(CrmException.Kind.TIMEOUT, "write abandoned"));
        try {
            CompletableFuture<WriteResult> call = delegate.write(request);
            return call != null ? call : CompletableFuture.failedFuture(new IllegalStateException("connector answered null"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public java.util.Set<WriteKind> writeKinds() {
        return delegate.writeKinds();
    }

    @Override
    public boolean retrySafe(CrmWrite write) {
        return delegate.retrySafe(write);
    }

    /** The flight for {@code key}: the one in flight, joined, or a new one started for {@code request}. */
    private Flight join(String key, LookupRequest request) {
        while (true) {
            Flight fresh = new Flight(key);
            Flight running = inFlight.putIfAbsent(key, fresh);
            if (running == null) {
                try {
                    start(fresh, request);
                } catch (RuntimeException e) {
                    fresh.end(null, e); // never leave a flight in place that nothing will end
                }
                return fresh;
            }
            if (running.join()) return running;
            inFlight.remove(key, running); // every caller left it a moment ago: start afresh
        }
    }

    /** Breaker, rate limit and the CRM's timeout around one real request. */
    private void start(Flight flight, LookupRequest request) {
        if (!breaker.tryAcquirePermission()) {
            flight.end(null, failure(CrmException.Kind.CIRCUIT_OPEN, "circuit open after repeated failures"));
            return;
        }
        Duration timeout = spec.timeout();
        // The first caller's budget: a turn reserved past it would push every later lookup back, for a
        // request that, unless someone joins meanwhile, nobody waits for.
        Duration turnWithin = request.budget().compareTo(timeout) < 0 ? request.budget() : timeout;
        long waitNanos = limiter == null ? 0 : reserveTurn(turnWithin);
        if (waitNanos < 0) {
            breaker.releasePermission();
            flight.end(null, failure(CrmException.Kind.RATE_LIMITED,
                    "rate limit of " + spec.rateLimit().getAsDouble() + "/s leaves no turn within " + turnWithin.toMillis() + " ms"));
            return;
        }
        flight.sentAt = context.ticker().read();
        LookupRequest shared = request.withBudget(timeout.minusNanos(waitNanos)).withAbort(flight.abort);
        CompletableFuture<LookupResult> call = waitNanos == 0
                ? callDelegate(shared)
                : context.delay(Duration.ofNanos(waitNanos)).thenCompose(ignored -> callDelegate(shared));
        call.whenComplete(flight::end);
        flight.endAfter(timeout);
    }

    /**
     * One CRM request and the callers waiting for it. It ends once: with the CRM's answer, at the
     * CRM's timeout, or when its last caller leaves; then whatever is still under way is aborted.
     */
    private final class Flight {
        final String key;
        final CompletableFuture<LookupResult> answer = new CompletableFuture<>();
        final LookupAbort abort = LookupAbort.create();
        private final AtomicBoolean ended = new AtomicBoolean();
        private int waiting = 1; // guarded by this; the caller that started it
        private boolean someoneRanOutOfTime; // guarded by this: only then does giving up say the CRM was slow
        private volatile boolean abandoned; // every caller left before the answer
        volatile long sentAt = -1; // ticker reading when the breaker let the request through
        private volatile ScheduledFuture<?> deadline;

        Flight(String key) {
            this.key = key;
        }

        /** Adds a caller; false when every caller has already left. */
        synchronized boolean join() {
            if (waiting == 0) return false;
            waiting++;
            return true;
        }

        /** A caller left: its budget ended ({@code outOfTime}), or it hung up, or the answer reached it. */
        void leave(boolean outOfTime) {
            boolean last;
            synchronized (this) {
                if (outOfTime) someoneRanOutOfTime = true;
                last = --waiting == 0;
            }
            if (last) {
                abandoned = true;
                end(null, failure(CrmException.Kind.TIMEOUT, EVERY_CALLER_LEFT));
            }
        }

        private synchronized boolean ranOutOfTime() {
            return someoneRanOutOfTime;
        }

        /** Ends this flight at the CRM's {@code timeout}, unless it has ended already (the file CRM answers at once). */
        void endAfter(Duration timeout) {
            if (ended.get()) return;
            deadline = context.scheduler().schedule(
                    () -> end(null, failure(CrmException.Kind.TIMEOUT, "no answer within " + timeout.toMillis() + " ms")),
                    timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (ended.get()) deadline.cancel(false); // it ended while the timer was being set
        }

        void end(LookupResult result, Throwable error) {
            if (!ended.compareAndSet(false, true)) return;
            CrmException failure = error == null ? null : asCrmException(error);
            if (failure == null && cache != null) cache.put(key, result);
            inFlight.remove(key, this);
            ScheduledFuture<?> timer = deadline;
            if (timer != null) timer.cancel(false);
            abort.fire(); // nothing is under way when the CRM answered; otherwise its exchange closes now
            if (sentAt >= 0) {
                if (abandoned && !ranOutOfTime()) {
                    breaker.releasePermission(); // every caller hung up: nothing is known about the CRM
                } else {
                    record(sentAt, failure);
                }
            }
            if (failure == null) answer.complete(result);
            else answer.completeExceptionally(failure);
        }
    }

    /** Nanoseconds to wait for a turn, or -1 when the turn would come after {@code within}. */
    private long reserveTurn(Duration within) {
        return limiter.reserve(within);
    }

    private CompletableFuture<LookupResult> callDelegate(LookupRequest request) {
        if (request.abort().isFired()) return CompletableFuture.failedFuture(failure(CrmException.Kind.TIMEOUT, EVERY_CALLER_LEFT));
        try {
            CompletableFuture<LookupResult> call = delegate.lookup(request);
            return call != null ? call : CompletableFuture.failedFuture(new IllegalStateException("connector answered null"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
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
}
