package io.crmroute.crm;

import com.github.benmanes.caffeine.cache.Ticker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static io.crmroute.crm.TestCrms.await;
import static io.crmroute.crm.TestCrms.failure;
import static io.crmroute.crm.TestCrms.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResilientConnectorTest {

    private static final LookupResult GOLD = LookupResult.of(List.of(new CrmRecord(Map.of("status", "GOLD"))));

    private final TestCrms.FakeClock clock = new TestCrms.FakeClock();
    private final TestCrms.FakeTicker ticker = new TestCrms.FakeTicker();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<String> listened = new CopyOnWriteArrayList<>();
    private final CrmContext context = new CrmContext(HttpClient.newHttpClient(), clock, scheduler, ticker,
            (crm, elapsed, failure, fromCache) -> listened.add(crm + (fromCache ? " cache" : " sent") + failure.map(f -> " " + f.kind()).orElse("")));

    @AfterEach
    void tearDown() {
        scheduler.shutdownNow();
    }

    /** A connector that counts its calls and answers with {@code answer}. */
    private static final class CountingCrm implements CrmConnector {
        final AtomicInteger calls = new AtomicInteger();
        final Function<LookupRequest, CompletableFuture<LookupResult>> answer;

        CountingCrm(Function<LookupRequest, CompletableFuture<LookupResult>> answer) {
            this.answer = answer;
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public CompletableFuture<LookupResult> lookup(LookupRequest request) {
            calls.incrementAndGet();
            return answer.apply(request);
        }
    }

    private static CrmSpec spec() {
        return TestCrms.spec("fake", HttpCrm.TYPE, Map.of("url", "https://crm.invalid/crm"));
    }

    @Test
    void simultaneousIdenticalLookupsShareOneRequest() throws Exception {
        CompletableFuture<LookupResult> pending = new CompletableFuture<>();
        CountingCrm fake = new CountingCrm(request -> pending);
        CrmConnector crm = new ResilientConnector(fake, spec(), context);
        ExecutorService callers = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<CompletableFuture<LookupResult>>> lookups = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            lookups.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return crm.lookup(request("contacts", "phone", "+15551234567"));
            }, callers));
        }
        go.countDown();
        List<CompletableFuture<LookupResult>> answers = new ArrayList<>();
        for (var lookup : lookups) answers.add(lookup.get(5, TimeUnit.SECONDS));
        pending.complete(GOLD);
        for (var answer : answers) assertEquals(GOLD, await(answer));
        callers.shutdownNow();
        assertEquals(1, fake.calls.get());
        assertEquals(99, listened.stream().filter(line -> line.endsWith("cache")).count());

        await(crm.lookup(request("contacts", "phone", "+15551234567")));
        assertEquals(2, fake.calls.get(), "without a cache, a finished lookup is not kept");
    }

    @Test
    void foundRecordsLiveTtlAndNoRecordLivesNegativeTtl() throws Exception {
        CountingCrm fake = new CountingCrm(request -> CompletableFuture.completedFuture(
                request.value().equals("known") ? GOLD : LookupResult.none()));
        CrmConnector crm = new ResilientConnector(fake,
                TestCrms.withCache(spec(), Duration.ofSeconds(60), Duration.ofSeconds(5)), context);

        assertEquals(GOLD, await(crm.lookup(request("contacts", "phone", "known"))));
        assertTrue(await(crm.lookup(request("contacts", "phone", "unknown"))).isEmpty());
        assertEquals(2, fake.calls.get());

        ticker.advance(Duration.ofSeconds(4));
        await(crm.lookup(request("contacts", "phone", "known")));
        await(crm.lookup(request("contacts", "phone", "unknown")));
        assertEquals(2, fake.calls.get());

        ticker.advance(Duration.ofSeconds(2));
        await(crm.lookup(request("contacts", "phone", "known")));
        await(crm.lookup(request("contacts", "phone", "unknown")));
        assertEquals(3, fake.calls.get(), "the empty answer expired after 5 s, the record did not");

        ticker.advance(Duration.ofSeconds(55));
        await(crm.lookup(request("contacts", "phone", "known")));
        assertEquals(4, fake.calls.get());
        assertEquals(List.of("fake sent", "fake sent", "fake cache", "fake cache", "fake cache", "fake sent", "fake sent"),
                listened);
    }

    @Test
    void failuresAreNeverCached() throws Exception {
        AtomicInteger attempt = new AtomicInteger();
        CountingCrm fake = new CountingCrm(request -> attempt.incrementAndGet() == 1
                ? CompletableFuture.failedFuture(new CrmException(CrmException.Kind.HTTP_STATUS, "crm fake: HTTP 500"))
                : CompletableFuture.completedFuture(GOLD));
        CrmConnector crm = new ResilientConnector(fake, TestCrms.withCache(spec(), Duration.ofSeconds(60), Duration.ofSeconds(60)), context);
        assertEquals("crm fake: HTTP 500", failure(crm.lookup(request("contacts", "phone", "x")), CrmException.Kind.HTTP_STATUS).getMessage());
        assertEquals(GOLD, await(crm.lookup(request("contacts", "phone", "x"))));
        assertEquals(2, fake.calls.get());
    }

    @Test
    void theBreakerOpensAfterRepeatedFailuresAndThenFailsAtOnce() throws Exception {
        CountingCrm fake = new CountingCrm(request -> CompletableFuture.failedFuture(
                new CrmException(CrmException.Kind.CONNECT, "crm fake: connection refused by 127.0.0.1:9")));
        CrmConnector crm = new ResilientConnector(fake, spec(), context);
        for (int i = 0; i < 10; i++) failure(crm.lookup(request("contacts", "phone", "n" + i)), CrmException.Kind.CONNECT);
        assertEquals("OPEN", crm.health().breaker());

        long start = System.nanoTime();
        CrmException open = failure(crm.lookup(request("contacts", "phone", "other")), CrmException.Kind.CIRCUIT_OPEN);
        assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(50));
        assertEquals("crm fake: circuit open after repeated failures", open.getMessage());
        assertEquals(10, fake.calls.get(), "an open circuit does not touch the CRM");
        assertEquals(Optional.of("crm fake: connection refused by 127.0.0.1:9"), crm.health().lastError());
        assertEquals(Optional.of(clock.instant()), crm.health().lastFailure());

        clock.advance(Duration.ofSeconds(11));
        failure(crm.lookup(request("contacts", "phone", "probe")), CrmException.Kind.CONNECT);
        assertEquals(11, fake.calls.get(), "after 10 s a trial call goes through");
    }

    @Test
    void noRecordIsNotAFailure() throws Exception {
        CountingCrm fake = new CountingCrm(request -> CompletableFuture.completedFuture(LookupResult.none()));
        CrmConnector crm = new ResilientConnector(fake, spec(), context);
        for (int i = 0; i < 20; i++) await(crm.lookup(request("contacts", "phone", "n" + i)));
        assertEquals("CLOSED", crm.health().breaker());
        assertEquals(Optional.of(clock.instant()), crm.health().lastSuccess());
        assertEquals(Optional.empty(), crm.health().lastFailure());
    }

    @Test
    void theRateLimitQueuesWithinTheBudgetAndFailsPastIt() throws Exception {
        CountingCrm fake = new CountingCrm(request -> CompletableFuture.completedFuture(GOLD));
        CrmConnector crm = new ResilientConnector(fake, TestCrms.withRateLimit(spec(), 1), context);
        LookupRequest first = request("contacts", "phone", "1");
        LookupRequest second = request("contacts", "phone", "2").withBudget(Duration.ofSeconds(3));
        LookupRequest third = request("contacts", "phone", "3").withBudget(Duration.ofMillis(100));

        assertEquals(GOLD, await(crm.lookup(first)));
        CompletableFuture<LookupResult> queued = crm.lookup(second);
        long start = System.nanoTime();
        CrmException e = failure(crm.lookup(third), CrmException.Kind.RATE_LIMITED);
        assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(50), "fails at once");
        assertTrue(e.getMessage().startsWith("crm fake: rate limit of 1.0/s"), e.getMessage());
        assertEquals(GOLD, await(queued));
        assertEquals(2, fake.calls.get());
        assertEquals("CLOSED", crm.health().breaker());
    }

    @Test
    void aConnectorThatNeverAnswersTimesOutAtTheBudget() throws Exception {
        CrmConnector crm = new ResilientConnector(new CountingCrm(request -> new CompletableFuture<>()), spec(), context);
        CrmException e = failure(crm.lookup(request("contacts", "phone", "x").withBudget(Duration.ofMillis(100))), CrmException.Kind.TIMEOUT);
        assertEquals("crm fake: no answer within 100 ms", e.getMessage());
    }

    @Test
    void unexpectedExceptionsBecomeCrmExceptions() throws Exception {
        CrmConnector crm = new ResilientConnector(new CountingCrm(request -> { throw new IllegalStateException("bug"); }), spec(), context);
        CrmException e = failure(crm.lookup(request("contacts", "phone", "x")), CrmException.Kind.BAD_RESPONSE);
        assertTrue(e.getMessage().contains("bug"), e.getMessage());
    }

    @Test
    void configProblemsDoNotOpenTheCircuit() throws Exception {
        CrmConnector crm = CrmConnectors.create(TestCrms.spec("sales", HubSpotCrm.TYPE, Map.of("auth.api-token", "t")), context);
        CrmException e = failure(crm.lookup(request("con tacts", "phone", "x")), CrmException.Kind.CONFIG);
        assertTrue(e.getMessage().startsWith("crm sales: ") && e.getMessage().contains("object"), e.getMessage());
        for (int i = 0; i < 20; i++) failure(crm.lookup(request("con tacts", "phone", "x" + i)), CrmException.Kind.CONFIG);
        assertEquals("CLOSED", crm.health().breaker(), "config problems do not open the circuit");
        assertFalse(listened.isEmpty());
    }

    @Test
    void productionContextHasTimeSources() {
        try (CrmContext production = CrmContext.create()) {
            assertTrue(production.http().executor().isPresent());
            assertEquals(Ticker.systemTicker(), production.ticker());
        }
    }
}
