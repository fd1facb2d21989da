package io.crmroute.crm;

import com.github.benmanes.caffeine.cache.Ticker;
import io.crmroute.testing.ManualTime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
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

    private final ManualTime time = new ManualTime();
    private final CrmContext context = CrmContext.create(time.clock(), time.ticker(), time.scheduler());

    /** A connector that counts its calls, keeps the requests it was sent and answers with {@code answer}. */
    /** What the Call hands back when its budget ends before the CRM answered. */
    private static final TimeoutException BUDGET_ENDED = new TimeoutException("caller's budget ended");

    private static final class CountingCrm implements CrmConnector {
        final AtomicInteger calls = new AtomicInteger();
        final List<LookupRequest> sent = new CopyOnWriteArrayList<>();
        final Function<LookupRequest, CompletableFuture<LookupResult>> answer;
        final boolean sendsCallData;

        CountingCrm(Function<LookupRequest, CompletableFuture<LookupResult>> answer) {
            this(answer, false);
        }

        /** {@code sendsCallData}: stands for the custom http CRM, whose requests carry the caller ID and digits. */
        CountingCrm(Function<LookupRequest, CompletableFuture<LookupResult>> answer, boolean sendsCallData) {
            this.answer = answer;
            this.sendsCallData = sendsCallData;
        }

        @Override
        public boolean sendsCallData() {
            return sendsCallData;
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public CompletableFuture<LookupResult> lookup(LookupRequest request) {
            calls.incrementAndGet();
            sent.add(request);
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

        time.advance(Duration.ofSeconds(4));
        await(crm.lookup(request("contacts", "phone", "known")));
        await(crm.lookup(request("contacts", "phone", "unknown")));
        assertEquals(2, fake.calls.get());

        time.advance(Duration.ofSeconds(2));
        await(crm.lookup(request("contacts", "phone", "known")));
        await(crm.lookup(request("contacts", "phone", "unknown")));
        assertEquals(3, fake.calls.get(), "the empty answer expired after 5 s, the record did not");

        time.advance(Duration.ofSeconds(55));
        await(crm.lookup(request("contacts", "phone", "known")));
        assertEquals(4, fake.calls.get());
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

        CompletableFuture<LookupResult> refused = crm.lookup(request("contacts", "phone", "other"));
        assertTrue(refused.isDone(), "fails at once, waiting for nothing");
        CrmException open = failure(refused, CrmException.Kind.CIRCUIT_OPEN);
        assertEquals("crm fake: circuit open after repeated failures", open.getMessage());
        assertEquals(10, fake.calls.get(), "an open circuit does not touch the CRM");
        assertEquals(Optional.of("crm fake: connection refused by 127.0.0.1:9"), crm.health().lastError());
        assertEquals(Optional.of(time.clock().instant()), crm.health().lastFailure());

        time.advance(Duration.ofSeconds(11));
        failure(crm.lookup(request("contacts", "phone", "probe")), CrmException.Kind.CONNECT);
        assertEquals(11, fake.calls.get(), "after 10 s a trial call goes through");
    }

    @Test
    void noRecordIsNotAFailure() throws Exception {
        CountingCrm fake = new CountingCrm(request -> CompletableFuture.completedFuture(LookupResult.none()));
        CrmConnector crm = new ResilientConnector(fake, spec(), context);
        for (int i = 0; i < 20; i++) await(crm.lookup(request("contacts", "phone", "n" + i)));
        assertEquals("CLOSED", crm.health().breaker());
        assertEquals(Optional.of(time.clock().instant()), crm.health().lastSuccess());
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
        CompletableFuture<LookupResult> refused = crm.lookup(third);
        assertTrue(refused.isDone(), "fails at once");
        CrmException e = failure(refused, CrmException.Kind.RATE_LIMITED);
        assertTrue(e.getMessage().startsWith("crm fake: rate limit of 1.0/s leaves no turn within 100 ms"), e.getMessage());
        assertFalse(queued.isDone(), "the second waits on the scheduler for its turn");
        assertEquals(1, fake.calls.get());

        time.advance(Duration.ofSeconds(1));
        assertEquals(GOLD, await(queued));
        assertEquals(2, fake.calls.get());
        assertEquals("CLOSED", crm.health().breaker());
    }

    @Test
    void aConnectorThatNeverAnswersTimesOutAtTheCrmTimeoutNotTheCallersBudget() throws Exception {
        CountingCrm fake = new CountingCrm(request -> new CompletableFuture<>());
        CrmConnector crm = new ResilientConnector(fake, spec(), context);
        CompletableFuture<LookupResult> answer = crm.lookup(request("contacts", "phone", "x").withBudget(Duration.ofMillis(100)));
        assertEquals(CrmSpec.DEFAULT_TIMEOUT, fake.sent.get(0).budget(), "the shared request may take the CRM's timeout");

        time.advance(CrmSpec.DEFAULT_TIMEOUT.minusMillis(1));
        assertFalse(answer.isDone(), "the caller's budget is the caller's to keep (by cancelling)");
        time.advance(Duration.ofMillis(1));
        assertEquals("crm fake: no answer within 5000 ms", failure(answer, CrmException.Kind.TIMEOUT).getMessage());
        assertTrue(fake.sent.get(0).abort().isFired(), "what was under way is aborted");
        assertEquals(0, time.pendingTasks(), "no timer left behind");
    }

    @Test
    void eachCallerKeepsItsOwnBudgetInASharedLookup() throws Exception {
        CompletableFuture<LookupResult> crmAnswer = new CompletableFuture<>();
        CountingCrm fake = new CountingCrm(request -> crmAnswer);
        CrmConnector crm = new ResilientConnector(fake, spec(), context);

        CompletableFuture<LookupResult> a = crm.lookup(request("contacts", "phone", "+15551234567").withBudget(Duration.ofMillis(100)));
        time.advance(Duration.ofMillis(60));
        CompletableFuture<LookupResult> b = crm.lookup(request("contacts", "phone", "+15551234567").withBudget(Duration.ofSeconds(2)));
        time.advance(Duration.ofMillis(40));
        assertTrue(a.completeExceptionally(BUDGET_ENDED), "caller A's budget ends: the Call ends A's own future");
        assertFalse(b.isDone(), "B still waits");
        assertFalse(fake.sent.get(0).abort().isFired(), "the shared request is not cancelled while B waits");
        assertFalse(crmAnswer.isCancelled());

        time.advance(Duration.ofMillis(400));
        crmAnswer.complete(GOLD);
        assertEquals(GOLD, await(b));
        assertTrue(a.isCompletedExceptionally());
        assertEquals(1, fake.calls.get(), "one request sent for both callers");
    }

    @Test
    void whenEveryCallerHasLeftTheSharedRequestIsCancelled() throws Exception {
        CountingCrm fake = new CountingCrm(request -> new CompletableFuture<>());
        CrmConnector crm = new ResilientConnector(fake, spec(), context);
        CompletableFuture<LookupResult> a = crm.lookup(request("contacts", "phone", "+15551234567"));
        CompletableFuture<LookupResult> b = crm.lookup(request("contacts", "phone", "+15551234567"));
        LookupAbort shared = fake.sent.get(0).abort();

        a.completeExceptionally(BUDGET_ENDED);
        assertFalse(shared.isFired());
        b.completeExceptionally(BUDGET_ENDED);
        assertTrue(shared.isFired(), "the last caller left: the request is aborted");
        assertEquals(0, time.pendingTasks(), "its CRM timeout is no longer timed");
        assertTrue(crm.health().lastError().orElseThrow().endsWith("every caller left before the answer"), crm.health().lastError().toString());

        CompletableFuture<LookupResult> c = crm.lookup(request("contacts", "phone", "+15551234567"));
        assertEquals(2, fake.calls.get(), "a later caller does not join the abandoned request");
        assertFalse(fake.sent.get(1).abort().isFired());
        assertFalse(c.isDone());
    }

    @Test
    void callersWhoHangUpSayNothingAboutTheCrmButCallersOutOfBudgetDo() {
        CountingCrm slow = new CountingCrm(request -> new CompletableFuture<>());
        CrmConnector crm = new ResilientConnector(slow, spec(), context);
        for (int i = 0; i < 20; i++) crm.lookup(request("contacts", "phone", "+1555000" + i)).cancel(false);
        assertEquals(20, slow.calls.get());
        assertEquals("CLOSED", crm.health().breaker(), "twenty callers hung up while the CRM worked: the CRM is not to blame");
        assertEquals(Optional.empty(), crm.health().lastError());

        for (int i = 0; i < 20; i++) crm.lookup(request("contacts", "phone", "+1666000" + i)).completeExceptionally(BUDGET_ENDED);
        assertEquals("OPEN", crm.health().breaker(), "twenty callers ran out of budget: the CRM is too slow");
    }

    @Test
    void vendorLookupsAreSharedAndCachedWhoeverCallsAndWhateverTheyDialled() throws Exception {
        CountingCrm hubspot = new CountingCrm(request -> CompletableFuture.completedFuture(GOLD));
        CrmConnector vendor = new ResilientConnector(hubspot,
                TestCrms.withCache(spec(), Duration.ofSeconds(60), Duration.ofSeconds(5)), context);
        assertEquals(GOLD, await(vendor.lookup(account("4711", "+15551230001"))));
        assertEquals(GOLD, await(vendor.lookup(account("4711", "+15551230002"))));
        assertEquals(1, hubspot.calls.get(), "a DTMF account lookup sends only the account number: one answer for every caller");

        CountingCrm custom = new CountingCrm(request -> CompletableFuture.completedFuture(GOLD), true);
        CrmConnector http = new ResilientConnector(custom,
                TestCrms.withCache(spec(), Duration.ofSeconds(60), Duration.ofSeconds(5)), context);
        await(http.lookup(account("4711", "+15551230001")));
        await(http.lookup(account("4711", "+15551230002")));
        assertEquals(2, custom.calls.get(), "the custom http CRM is sent the caller ID and digits: they are part of the question");
    }

    private static LookupRequest account(String digits, String callerId) {
        return new LookupRequest("accounts", "number", digits, Optional.empty(), List.of("status"), 1, digits, callerId,
                Duration.ofMillis(1500), null);
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
    }

    @Test
    void productionContextHasTimeSources() {
        try (CrmContext production = CrmContext.create()) {
            assertEquals(Ticker.systemTicker(), production.ticker());
            assertEquals(java.time.Clock.systemUTC(), production.clock());
        }
    }
}
