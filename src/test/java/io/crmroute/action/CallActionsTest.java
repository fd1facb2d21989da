package io.crmroute.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmroute.config.RouteParser;
import io.crmroute.crm.CrmRecord;
import io.crmroute.crm.CrmSpec;
import io.crmroute.crm.CrmTypes;
import io.crmroute.crm.CrmWrite;
import io.crmroute.route.ActionOutcome;
import io.crmroute.route.Route;
import io.crmroute.testing.ManualTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A call's actions as the route names them: what each write carries, sync ones within the budget, async ones queued. */
class CallActionsTest {

    private static final String HOSTILE = "'\"\\)(*:{}[]^~!&|+-/ OR 1=1 --\r\nX";

    private final ManualTime time = new ManualTime();
    private final ScriptedCrm crm = new ScriptedCrm();
    private final List<ActionRecord> ended = new CopyOnWriteArrayList<>();
    private final ActionQueue queue = new ActionQueue(Map.of("sf", crm), ActionQueue.Options.defaults(),
            new ActionQueue.Time(time.clock(), time::nanoTime, time.scheduler(), () -> 1.0), ended::add);
    private final CallActions actions = new CallActions(queue, ended::add, time.clock(), time::nanoTime);

    private static Route route(String actions) throws Exception {
        return RouteParser.parse("sales", new ObjectMapper().readTree("{\"crm\": \"sf\", \"object\": \"Contact\", \"field\": \"Phone\","
                + " \"records\": 3, \"default\": {\"to\": {\"queue\": \"1\"}}, \"actions\": " + actions + "}"),
                Map.of("sf", CrmSpec.standIn("sf", CrmTypes.named("salesforce"))), "").route().orElseThrow();
    }

    private ActionCall call(ActionOutcome outcome, List<CrmRecord> records) {
        return new ActionCall("sales", outcome, "1733110000.42", "PJSIP/trunk-1", HOSTILE, "5550100", "7", List.of("a", "gold"),
                time.clock().instant(), Map.of("CRM_Contact_Tier__c", "GOLD"), records);
    }

    private static CrmRecord record(String id) {
        return new CrmRecord(Map.of("Phone", "+15551230001"), Optional.of(id), Optional.empty());
    }

    @Test
    void eachWriteCarriesTheRenderedValuesAndACallKeyOfItsOwn() throws Exception {
        Route route = route("{\"match\": [{\"update\": \"records\", \"set\": {\"Note__c\": \"{arg2} {CRM_Contact_Tier__c} {digits} at {now}\"}},"
                + " {\"log-call\": true, \"subject\": \"Call from {callerid} to {dnid}\", \"key-field\": \"K__c\"}]}");
        actions.queueAsync(route, call(ActionOutcome.MATCH, List.of(record("003A"), record("003B"), new CrmRecord(Map.of()))));

        List<CrmWrite> sent = crm.writes.stream().map(request -> request.write()).toList();
        assertEquals(List.of(
                new CrmWrite.Update("Contact", "003A", Map.of("Note__c", "gold GOLD 7 at 2026-01-05T09:00:00Z"), "1733110000.42:sales:match:0:0"),
                new CrmWrite.Update("Contact", "003B", Map.of("Note__c", "gold GOLD 7 at 2026-01-05T09:00:00Z"), "1733110000.42:sales:match:0:1"),
                new CrmWrite.LogCall("Contact", "003A", "Call from '\"\\)(*:{}[]^~!&|+-/ OR 1=1 --  X to 5550100",
                        Map.of(), // the connector keeps the call key in the key field, each in its vendor's way
                        new CrmWrite.CallFacts(HOSTILE, "5550100", "1733110000.42", time.clock().instant()), Optional.of("K__c"),
                        "1733110000.42:sales:match:1")),
                sent, "a record without an id is not updated");
    }

    @Test
    void syncCreatesAreWrittenInOrderAndAnswerTheirRecords() throws Exception {
        Route route = route("{\"nomatch\": [{\"create\": \"Lead\", \"mode\": \"sync\", \"set\": {\"Phone\": \"{callerid}\"}},"
                + " {\"create\": \"Task\", \"mode\": \"sync\", \"set\": {\"Subject\": \"x\"}}, {\"create\": \"Case\", \"set\": {\"Subject\": \"y\"}}]}");
        ActionCall call = call(ActionOutcome.NOMATCH, List.of());
        assertTrue(actions.hasSync(route, call));
        CompletableFuture<CallActions.SyncOutcome> sync = actions.runSync(crm, route, call, Duration.ofMillis(1500), time.scheduler());
        assertEquals(1, crm.writes.size(), "one after another");
        assertEquals(Duration.ofMillis(1500), crm.writes.get(0).budget());
        crm.written(0, "00Q1");
        time.advance(Duration.ofMillis(500));
        crm.written(1, "00T1");

        CallActions.SyncOutcome outcome = sync.join();
        assertEquals(Optional.empty(), outcome.failure());
        assertEquals(List.of("00Q1", "00T1"), outcome.created().stream().map(made -> made.id()).toList());
        assertEquals(2, crm.writes.size(), "the async create is not run here");
        assertEquals(List.of(ActionRecord.Result.WRITTEN, ActionRecord.Result.WRITTEN), ended.stream().map(ActionRecord::result).toList());
    }

    @Test
    void aSyncActionOutOfTimeFailsTheCallAndIsStillRecordedWhenItEnds() throws Exception {
        Route route = route("{\"nomatch\": [{\"create\": \"Lead\", \"mode\": \"sync\", \"set\": {\"Phone\": \"{callerid}\"}}]}");
        CompletableFuture<CallActions.SyncOutcome> sync = actions.runSync(crm, route, call(ActionOutcome.NOMATCH, List.of()),
                Duration.ofMillis(300), time.scheduler());
        time.advance(Duration.ofMillis(299));
        assertFalse(sync.isDone());
        time.advance(Duration.ofMillis(1));
        assertEquals(Optional.of("crm scripted: sync actions not done within 300 ms"), sync.join().failure());
        assertTrue(ended.isEmpty());

        crm.written(0, "00Q9");
        assertEquals(Optional.of("00Q9"), ended.get(0).recordId(), "the write went on and is audited");
        assertEquals(Optional.of("crm scripted: no time left for the sync actions"),
                actions.runSync(crm, route, call(ActionOutcome.NOMATCH, List.of()), Duration.ZERO, time.scheduler()).join().failure());
    }

    @Test
    void aRefusedSyncActionStopsTheOthersAndNamesTheReason() throws Exception {
        Route route = route("{\"nomatch\": [{\"create\": \"Lead\", \"mode\": \"sync\", \"set\": {\"Phone\": \"{callerid}\"}},"
                + " {\"create\": \"Task\", \"mode\": \"sync\", \"set\": {\"Subject\": \"x\"}}]}");
        CompletableFuture<CallActions.SyncOutcome> sync = actions.runSync(crm, route, call(ActionOutcome.NOMATCH, List.of()),
                Duration.ofSeconds(1), time.scheduler());
        crm.fails(0, 400);
        assertEquals(Optional.of("crm scripted: HTTP 400"), sync.join().failure());
        assertEquals(1, crm.writes.size());
        assertEquals(ActionRecord.Result.FAILED, ended.get(0).result());
    }

    @Test
    void noActionRunsWithoutAQueueAsSimulateWants() throws Exception {
        Route route = route("{\"nomatch\": [{\"create\": \"Lead\", \"mode\": \"sync\", \"set\": {\"Phone\": \"{callerid}\"}}]}");
        assertFalse(CallActions.NONE.hasSync(route, call(ActionOutcome.NOMATCH, List.of())));
        CallActions.NONE.queueAsync(route, call(ActionOutcome.NOMATCH, List.of()));
        assertEquals(0, crm.writes.size());
    }
}
