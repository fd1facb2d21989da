package io.crmroute.crm;

import static io.crmroute.crm.TestCrms.await;
import static io.crmroute.crm.TestCrms.failure;
import static io.crmroute.crm.TestCrms.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmroute.testing.ManualTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Writes through the CRM's breaker, rate limit and timeout: not sent while the circuit is open, in turn with the
 * lookups, each bounded by the CRM's timeout; and failing writes never open the circuit for the calls' lookups.
 */
class ResilientWriteTest {

    private static final WriteResult MADE = WriteResult.made("Lead", "00Q1", Optional.empty());

    private final ManualTime time = new ManualTime();
    private final CrmContext context = CrmContext.create(time.clock(), time.ticker(), time.scheduler());

    /** Lookups refused, writes answered by {@code answer}; keeps the write requests. */
    private static final class WritingCrm implements CrmConnector {
        final List<WriteRequest> writes = new CopyOnWriteArrayList<>();
        final Function<WriteRequest, CompletableFuture<WriteResult>> answer;
        int lookups;

        WritingCrm(Function<WriteRequest, CompletableFuture<WriteResult>> answer) {
            this.answer = answer;
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public CompletableFuture<LookupResult> lookup(LookupRequest request) {
            lookups++;
            return CompletableFuture.failedFuture(new CrmException(CrmException.Kind.CONNECT, "crm fake: connection refused"));
        }

        @Override
        public CompletableFuture<WriteResult> write(WriteRequest request) {
            writes.add(request);
            return answer.apply(request);
        }
    }

    private static WriteRequest create(Duration budget) {
        return new WriteRequest(new CrmWrite.Create("Lead", Map.of("Phone", "+15551230001"), Optional.empty(), "1.1:r:nomatch:0"), budget);
    }

    private static CrmSpec spec() {
        return TestCrms.spec("fake", HttpCrm.TYPE, Map.of("url", "https://crm.invalid/crm")); // timeout 5 s
    }

    @Test
    void anOpenCircuitRefusesAWriteAtOnceWithoutTouchingTheCrm() {
        WritingCrm fake = new WritingCrm(request -> CompletableFuture.completedFuture(MADE));
        CrmConnector crm = new ResilientConnector(fake, spec(), context);
        for (int i = 0; i < 10; i++) failure(crm.lookup(request("contacts", "phone", "n" + i)), CrmException.Kind.CONNECT);

        CompletableFuture<WriteResult> refused = crm.write(create(Duration.ofSeconds(10)));
        assertTrue(refused.isDone());
        assertTrue(failure(refused, CrmException.Kind.CIRCUIT_OPEN).worthRetrying(), "the queue tries again later");
        assertEquals(0, fake.writes.size());
    }

    @Test
    void failingWritesNeverOpenTheCircuitForTheCallsLookups() {
        WritingCrm fake = new WritingCrm(request -> CompletableFuture.failedFuture(
                new CrmException(CrmException.Kind.HTTP_STATUS, "crm fake: HTTP 503", 503)));
        CrmConnector crm = new ResilientConnector(fake, spec(), context);
        for (int i = 0; i < 30; i++) failure(crm.write(create(Duration.ofSeconds(10))), CrmException.Kind.HTTP_STATUS);
        assertEquals("CLOSED", crm.health().breaker());
        assertEquals(30, fake.writes.size());
    }

    @Test
    void aWriteIsBoundedByTheCrmsTimeoutAndItsExchangeAbortedThen() {
        CompletableFuture<WriteResult> never = new CompletableFuture<>();
        WritingCrm fake = new WritingCrm(request -> never);
        CrmConnector crm = new ResilientConnector(fake, spec(), context);
        CompletableFuture<WriteResult> write = crm.write(create(Duration.ofMinutes(10)));
        assertEquals(Duration.ofSeconds(5), fake.writes.get(0).budget(), "the CRM's timeout, not the action's ten minutes");

        // The connector's own requests end at 5000 ms; this one never does, and the backstop ends it 50 ms later.
        time.advance(Duration.ofMillis(5049));
        assertFalse(write.isDone());
        assertFalse(fake.writes.get(0).abort().isFired());
        time.advance(Duration.ofMillis(1));
        CrmException timedOut = failure(write, CrmException.Kind.TIMEOUT);
        assertEquals("crm fake: no answer within 5000 ms", timedOut.getMessage());
        assertTrue(fake.writes.get(0).abort().isFired(), "the exchange is closed: the write cannot land unseen later");
    }

    @Test
    void aWriteWaitsItsTurnInTheRateLimitBesideTheLookupsOrFailsRateLimited() throws Exception {
        WritingCrm fake = new WritingCrm(request -> CompletableFuture.completedFuture(MADE));
        CrmConnector crm = new ResilientConnector(fake, TestCrms.withRateLimit(spec(), 1), context);
        assertEquals(MADE, await(crm.write(create(Duration.ofSeconds(10)))));
        CompletableFuture<WriteResult> waiting = crm.write(create(Duration.ofSeconds(10)));
        CompletableFuture<WriteResult> refused = crm.write(create(Duration.ofMillis(100)));
        assertEquals(CrmException.Kind.RATE_LIMITED, failure(refused, CrmException.Kind.RATE_LIMITED).kind());
        assertFalse(waiting.isDone());
        assertEquals(1, fake.writes.size());

        time.advance(Duration.ofSeconds(1));
        assertEquals(MADE, await(waiting));
        assertEquals(2, fake.writes.size());
    }
}
