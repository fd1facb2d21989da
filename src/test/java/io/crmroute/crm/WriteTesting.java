package io.crmroute.crm;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmroute.testing.ManualTime;

import java.time.Duration;
import java.time.Instant;
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
