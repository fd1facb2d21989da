package io.crmroute.action;

import io.crmroute.crm.CrmException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmroute.crm.CrmWrite;
import io.crmroute.http.Metrics;
import io.crmroute.testing.ManualTime;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The async action queue under time the test drives: retries, back-off, deadlines, a full queue, the stop. */
class ActionQueueTest {

    private final ManualTime time = new ManualTime();
    private final ScriptedCrm crm = new ScriptedCrm();
    private final List<ActionRecord> ended = new CopyOnWriteArrayList<>();
    private final PrometheusMeterRegistry registry = Metrics.newRegistry();

    private ActionQueue queue(int capacity, int concurrency) {
        ActionListener listener = ActionListener.all(List.of(ended::add, new ActionMetrics(registry), new ActionLogger(time::nanoTime)));
        // jitter 1.0: the back-off is its full value, 1 s, 2 s, 4 s...
        return new ActionQueue(Map.of("crm", crm), new ActionQueue.Options(capacity, concurrency, Duration.ofSeconds(1), Duration.ofSeconds(8)),
                new ActionQueue.Time(time.clock(), time::nanoTime, time.scheduler(), () -> 1.0), listener);
    }

    private static ActionQueue.Queued upsert(String uniqueid, Duration retryFor) {
        return new ActionQueue.Queued(uniqueid, "sales", "crm",
                new CrmWrite.Create("Lead", Map.of("Phone", "+15551230001"), Optional.of("Call_Key__c"), uniqueid + ":sales:nomatch:0"), retryFor);
    }

    private static ActionQueue.Queued plainCreate(String uniqueid) {
        return new ActionQueue.Queued(uniqueid, "sales", "crm",
                new CrmWrite.Create("Lead", Map.of("Phone", "+15551230001"), Optional.empty(), uniqueid + ":sales:nomatch:0"), Duration.ofMinutes(10));
    }

    @Test
    void aWriteRefusedWithA500IsSentAgainAfterTheBackOffAndRecordedWrittenOnce() {
        ActionQueue queue = queue(10, 1);
        queue.offer(upsert("1.1", Duration.ofMinutes(10)));
        assertEquals(1, crm.writes.size(), "sent at once");
        crm.fails(0, 500);
        time.advance(Duration.ofMillis(999));
        assertEquals(1, crm.writes.size(), "not before the back-off");
        time.advance(Duration.ofMillis(1));
        assertEquals(2, crm.writes.size());
        assertEquals(crm.writes.get(0).write(), crm.writes.get(1).write(), "the same write, the same call key");
        crm.written(1, "00Q1");
        assertEquals(1, ended.size());
        assertEquals(ActionRecord.Result.WRITTEN, ended.get(0).result());
        assertEquals(0, time.pendingTasks(), "its deadline's timer is cancelled with it");
        assertEquals(Optional.of("00Q1"), ended.get(0).recordId());
        assertEquals(2, ended.get(0).attempts());
        assertEquals(1.0, registry.get("crmroute.actions").tags("crm", "crm", "kind", "create", "result", "written").counter().count());
    }

    @Test
    void aTimedOutWriteIsRetriedAndEachAttemptGetsOnlyTheTimeLeft() {
        ActionQueue queue = queue(10, 1);
        queue.offer(upsert("1.2", Duration.ofSeconds(30)));
        assertEquals(Duration.ofSeconds(30), crm.writes.get(0).budget());
        time.advance(Duration.ofSeconds(2));
        crm.fails(0, 0);
        time.advance(Duration.ofSeconds(1));
        assertEquals(2, crm.writes.size());
        assertEquals(Duration.ofSeconds(27), crm.writes.get(1).budget(), "30 s less the 2 s attempt and the 1 s back-off");
        crm.written(1, "00Q2");
        assertEquals(ActionRecord.Result.WRITTEN, ended.get(0).result());
    }

    @Test
    void theBackOffDoublesUpToItsMaximumWithJitterFromTheInjectedSource() {
        ActionQueue full = queue(10, 1);
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(8)),
                List.of(full.backoff(1), full.backoff(2), full.backoff(3), full.backoff(4), full.backoff(5)));
        ActionQueue half = new ActionQueue(Map.of("crm", crm), new ActionQueue.Options(10, 1, Duration.ofSeconds(1), Duration.ofSeconds(8)),
                new ActionQueue.Time(time.clock(), time::nanoTime, time.scheduler(), () -> 0.0), ActionListener.NONE);
        assertEquals(Duration.ofMillis(2000), half.backoff(3), "jitter 0 halves the wait");

        queue(10, 1).offer(upsert("1.3", Duration.ofMinutes(10)));
        crm.fails(0, 503);
        time.advance(Duration.ofSeconds(1));
        crm.fails(1, 503);
        time.advance(Duration.ofMillis(1999));
        assertEquals(2, crm.writes.size());
        time.advance(Duration.ofMillis(1));
        assertEquals(3, crm.writes.size(), "the third attempt 2 s after the second failed");
    }

    @Test
    void anActionStillFailingAtItsDeadlineGivesUpWithTheLastError() {
        ActionQueue queue = queue(10, 1);
        queue.offer(upsert("1.4", Duration.ofSeconds(5)));
        crm.fails(0, 503); // t=0: retry at 1 s
        time.advance(Duration.ofSeconds(1));
        crm.fails(1, 503); // t=1: retry at 3 s
        time.advance(Duration.ofSeconds(2));
        crm.fails(2, 503); // t=3: the next would be at 7 s, past the deadline at 5 s
        assertEquals(3, crm.writes.size());
        assertEquals(1, ended.size());
        ActionRecord record = ended.get(0);
        assertEquals(ActionRecord.Result.GAVE_UP, record.result());
        assertEquals(3, record.attempts());
        assertEquals(Optional.of("crm scripted: HTTP 503"), record.error());
        time.advance(Duration.ofMinutes(1));
        assertEquals(3, crm.writes.size(), "nothing more is sent");
    }

    @Test
    void aCreateThatIsNotRetrySafeIsRecordedFailedAfterAnAmbiguousFailureNotSentAgain() {
        ActionQueue queue = queue(10, 1);
        queue.offer(plainCreate("1.5"));
        crm.fails(0, 0);
        time.advance(Duration.ofMinutes(1));
        assertEquals(1, crm.writes.size());
        assertEquals(ActionRecord.Result.FAILED, ended.get(0).result());
        assertTrue(ended.get(0).error().orElseThrow().contains("not retried"), ended.get(0).error().orElseThrow());
    }

    @Test
    void aCreateThatIsNotRetrySafeIsSentAgainAfterAFailureThatNeverReachedTheCrm() {
        ActionQueue queue = queue(10, 1);
        queue.offer(plainCreate("1.7"));
        crm.fails(0, new CrmException(CrmException.Kind.CIRCUIT_OPEN, "crm scripted: circuit open after repeated failures"));
        time.advance(Duration.ofMinutes(1));
        assertEquals(2, crm.writes.size(), "nothing was sent the first time, so nothing can be made twice");
        crm.fails(1, new CrmException(CrmException.Kind.RATE_LIMITED, "crm scripted: HTTP 429 (rate limited)", 429));
        time.advance(Duration.ofMinutes(1));
        assertEquals(3, crm.writes.size());
        crm.written(2, "00Q9");
        assertEquals(ActionRecord.Result.WRITTEN, ended.get(0).result());
        assertEquals(3, ended.get(0).attempts());
    }

    @Test
    void aWriteTheCrmRefusedAsGivenIsNotRetried() {
        ActionQueue queue = queue(10, 1);
        queue.offer(upsert("1.6", Duration.ofMinutes(10)));
        crm.fails(0, 400);
        time.advance(Duration.ofMinutes(1));
        assertEquals(1, crm.writes.size());
        assertEquals(ActionRecord.Result.FAILED, ended.get(0).result());
    }

    @Test
    void aFullQueueDropsItsOldestActionCountsAndNeverBlocks() {
        ActionQueue queue = queue(2, 1);
        queue.offer(upsert("2.0", Duration.ofMinutes(10))); // being written
        queue.offer(upsert("2.1", Duration.ofMinutes(10)));
        queue.offer(upsert("2.2", Duration.ofMinutes(10)));
        queue.offer(upsert("2.3", Duration.ofMinutes(10))); // the queue holds 2: 2.1 goes
        assertEquals(1, ended.size());
        assertEquals("2.1", ended.get(0).uniqueid());
        assertEquals(ActionRecord.Result.DROPPED, ended.get(0).result());
        assertEquals(0, ended.get(0).attempts());
        assertEquals(1.0, registry.get("crmroute.actions.dropped").tags("crm", "crm").counter().count());
        assertTrue(registry.scrape().contains("crmroute_actions_dropped_total{crm=\"crm\"} 1.0"));
        crm.written(0, "a");
        crm.written(1, "b");
        crm.written(2, "c");
        assertEquals(List.of("2.2:sales:nomatch:0", "2.3:sales:nomatch:0"),
                crm.writes.subList(1, 3).stream().map(request -> request.write().callKey()).toList(), "oldest first");
    }

    @Test
    void queuedActionsGiveUpAtTheirDeadlineEvenWhileTheCrmHoldsTheOneInFlight() {
        ActionQueue queue = queue(10, 1);
        queue.offer(upsert("3.0", Duration.ofSeconds(10)));
        queue.offer(upsert("3.1", Duration.ofSeconds(10)));
        time.advance(Duration.ofSeconds(10));
        assertEquals(List.of("3.1"), ended.stream().map(ActionRecord::uniqueid).toList());
        assertEquals(ActionRecord.Result.GAVE_UP, ended.get(0).result());
        assertEquals(1, queue.counters().open(), "the write in flight ends with its attempt");
        crm.fails(0, 0);
        assertEquals(ActionRecord.Result.GAVE_UP, ended.get(1).result());
        assertEquals(0, queue.counters().open());
    }

    @Test
    void stoppingRecordsWhatWasNotDoneAsGivenUpAndRefusesNewActions() {
        ActionQueue queue = queue(10, 1);
        queue.offer(upsert("4.0", Duration.ofMinutes(10)));
        queue.offer(upsert("4.1", Duration.ofMinutes(10)));
        queue.close(Duration.ZERO);
        assertEquals(List.of(ActionRecord.Result.GAVE_UP, ActionRecord.Result.GAVE_UP), ended.stream().map(ActionRecord::result).toList());
        queue.offer(upsert("4.2", Duration.ofMinutes(10)));
        assertEquals(ActionRecord.Result.GAVE_UP, ended.get(2).result());
        assertEquals(1, crm.writes.size(), "nothing sent after the stop");
        crm.written(0, "late");
        assertEquals(3, ended.size(), "an action ends once");
    }
}
