package io.crmroute.crm;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmroute.testing.ManualTime;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Values and steps the vendors' write tests share. */
final class WriteTesting {

    private WriteTesting() {}

    /** This action of this call, the same on every retry. */
    static final String CALL_KEY = "1733110000.42/sales/nomatch/0";

    /** A call from a caller ID that tries every quoting and query trick. */
    static final CrmWrite.CallFacts CALL = new CrmWrite.CallFacts(HubSpotCrmTest.HOSTILE, "5551000", "1733110000.42",
            Instant.parse("2026-01-05T09:00:00Z"));

    /** A write's budget in the tests that let it run out. */
    static final Duration BUDGET = Duration.ofMillis(800);

    /** {@code write} with a budget no test lets run out. */
    static WriteRequest request(CrmWrite write) {
        return new WriteRequest(write, Duration.ofSeconds(5));
    }

    /** A caller's name and number as {@code nameField} and {@code phoneField}, both with the hostile caller ID in them. */
    static Map<String, String> callerFields(String nameField, String phoneField) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(nameField, "Caller " + HubSpotCrmTest.HOSTILE);
        fields.put(phoneField, HubSpotCrmTest.HOSTILE);
        return fields;
    }

    /**
     * How a fake CRM answers the first create it has stored: a 500, or with {@link #timesOut} never; every later
     * create as made.
     */
    static final class FirstCreate {
        private FakeCrmServer.Reply failure = FakeCrmServer.Reply.status(500);
        private boolean answered;

        void timesOut() {
            failure = FakeCrmServer.Reply.never();
        }

        FakeCrmServer.Reply answer(FakeCrmServer.Reply made) {
            if (answered) return made;
            answered = true;
            return failure;
        }
    }

    /**
     * {@code write} sent twice, as the action queue retries it: the first attempt answered by a server error (after
     * the fake stored the record), the second found what the first made. Its answer.
     */
    static WriteResult sentAgainAfterAServerError(CrmConnector crm, CrmWrite write) throws Exception {
        assertTrue(crm.retrySafe(write), "retry-safe, so the queue sends it again");
        CrmException failure = TestCrms.failure(crm.write(request(write)), CrmException.Kind.HTTP_STATUS);
        assertTrue(failure.worthRetrying(), failure.getMessage());
        WriteResult again = TestCrms.await(crm.write(request(write)));
        assertTrue(again.earlier(), "the record the first attempt made");
        return again;
    }

    /**
     * {@code write} sent twice: the first attempt's request {@code requests} held unanswered by the fake (which
     * stored the record) until the budget ended, the second found what the first made. Its answer.
     */
    static WriteResult sentAgainAfterATimeout(ManualTime time, CrmConnector crm, CrmWrite write, FakeCrmServer server, int requests)
            throws Exception {
        assertTrue(crm.retrySafe(write), "retry-safe, so the queue sends it again");
        timedOut(time, crm.write(new WriteRequest(write, BUDGET)), server, requests);
        WriteResult again = TestCrms.await(crm.write(new WriteRequest(write, BUDGET)));
        assertTrue(again.earlier(), "the record the first attempt made");
        return again;
    }

    /** The body the fake received, parsed as JSON (for a fake's own answers too, so unchecked). */
    static JsonNode json(FakeCrmServer.Seen seen) {
        try {
            return CrmHttp.JSON.readTree(seen.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The failure of {@code first}, a write whose request {@code requests} the fake holds without an answer,
     * once the test has moved time to the end of its {@link #BUDGET}: a timeout, worth retrying.
     */
    static CrmException timedOut(ManualTime time, CompletableFuture<WriteResult> first, FakeCrmServer server, int requests) throws Exception {
        return timedOut(time, first, server, requests, BUDGET);
    }

    /** As {@link #timedOut(ManualTime, CompletableFuture, FakeCrmServer, int)}, with {@code left} of the budget when the held request went. */
    static CrmException timedOut(ManualTime time, CompletableFuture<WriteResult> first, FakeCrmServer server, int requests, Duration left)
            throws Exception {
        server.awaitRequests(requests);
        time.advance(left.minusMillis(1));
        assertFalse(first.isDone(), "the write waits for its answer until its budget ends");
        time.advance(Duration.ofMillis(1));
        CrmException failure = TestCrms.failure(first, CrmException.Kind.TIMEOUT);
        assertTrue(failure.worthRetrying(), failure.getMessage());
        return failure;
    }
}
