package io.crmroute.crm;

import io.crmroute.crm.FakeCrmServer.Reply;
import io.crmroute.crm.FakeCrmServer.Seen;
import io.crmroute.testing.ManualTime;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Predicate;

import static io.crmroute.crm.TestCrms.await;
import static io.crmroute.crm.TestCrms.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two ways a write's outcome is lost that the action queue retries after (the CRM stored the record, then
 * answered 500, or never answered within the budget), played against a fake CRM that keeps the records it is sent.
 */
final class WriteRetries {

    static final Duration BUDGET = Duration.ofSeconds(2);
    /** A call whose caller ID is {@link HubSpotCrmTest#HOSTILE}, as a call log tells it. */
    static final CrmWrite.CallFacts HOSTILE_CALL = new CrmWrite.CallFacts(HubSpotCrmTest.HOSTILE, "5551000", "1733110000.42",
            java.time.Instant.parse("2026-01-05T09:00:00Z"));

    private WriteRetries() {}

    /**
     * {@code crm}'s responder, except that the first request {@code write} accepts is carried out (the fake stores
     * its record) and then answered with {@code instead}: a 500, or {@link Reply#never()}.
     */
    static Function<Seen, Reply> firstReplyLost(Function<Seen, Reply> crm, Predicate<Seen> write, Reply instead) {
        AtomicBoolean lost = new AtomicBoolean();
        return seen -> {
            Reply reply = crm.apply(seen);
            return write.test(seen) && lost.compareAndSet(false, true) ? instead : reply;
        };
    }

    /** Sends {@code write} whose first reply the fake turns into a 500, then again: the answer of the retry. */
    static WriteResult retriedAfterA500(CrmConnector crm, CrmWrite write) throws Exception {
        CrmException first = failure(crm.write(new WriteRequest(write, BUDGET)), CrmException.Kind.HTTP_STATUS);
        assertEquals(500, first.status());
        assertTrue(first.worthRetrying(), "a 500 may be retried: " + first.getMessage());
        return await(crm.write(new WriteRequest(write, BUDGET)));
    }

    /**
     * Sends {@code write} whose first reply the fake holds for ever, ends it by moving {@code time} to the end of its
     * budget once {@code requests} requests have arrived, then sends it again: the answer of the retry.
     */
    static WriteResult retriedAfterATimeout(ManualTime time, FakeCrmServer server, int requests, CrmConnector crm, CrmWrite write)
            throws Exception {
        CompletableFuture<WriteResult> attempt = crm.write(new WriteRequest(write, BUDGET));
        server.awaitRequests(requests);
        time.advance(BUDGET.minusMillis(1));
        assertFalse(attempt.isDone(), "the attempt waits out its budget");
        time.advance(Duration.ofMillis(1));
        CrmException first = failure(attempt, CrmException.Kind.TIMEOUT);
        assertTrue(first.worthRetrying(), first.getMessage());
        return await(crm.write(new WriteRequest(write, BUDGET)));
    }

    /**
     * {@code crm}'s responder, except that the first request {@code held} accepts is answered only once {@code release}
     * opens, and every request after it is never answered.
     */
    static Function<Seen, Reply> heldThenSilent(Function<Seen, Reply> crm, Predicate<Seen> held, CountDownLatch release) {
        AtomicBoolean passed = new AtomicBoolean();
        return seen -> {
            if (passed.get()) return Reply.never();
            if (!held.test(seen)) return crm.apply(seen);
            passed.set(true);
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return crm.apply(seen);
        };
    }

    /**
     * Shows that the request a write sends after the held one (request number {@code heldAt}) has only what is left of
     * the write's {@link #BUDGET}: 1.5 s pass while the held one waits, and the next ends 500 ms after it is sent.
     */
    static void theNextRequestHasWhatIsLeft(ManualTime time, FakeCrmServer server, int heldAt, CountDownLatch release,
            CompletableFuture<WriteResult> answer) throws InterruptedException {
        server.awaitRequests(heldAt);
        time.advance(Duration.ofMillis(1500));
        release.countDown();
        server.awaitRequests(heldAt + 1);
        time.advance(Duration.ofMillis(499));
        assertFalse(answer.isDone(), "the next request has the 500 ms left");
        time.advance(Duration.ofMillis(1));
        String message = failure(answer, CrmException.Kind.TIMEOUT).getMessage();
        assertTrue(message.endsWith(": no answer within 500 ms"), message);
    }
}
