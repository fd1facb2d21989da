package io.crmroute.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmroute.config.ConfigLoader;
import io.crmroute.config.ConfigResult;
import io.crmroute.config.CrmrouteConfig;
import io.crmroute.crm.CrmConnector;
import io.crmroute.crm.CrmConnectors;
import io.crmroute.crm.CrmContext;
import io.crmroute.crm.CrmRecord;
import io.crmroute.route.ActionOutcome;
import io.crmroute.route.Route;
import io.crmroute.testing.Await;
import io.crmroute.testing.FakeSalesforce;
import io.crmroute.testing.ManualTime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An async action retried after Salesforce kept the record but answered 500, or kept it and never answered
 * within the attempt's timeout, still makes exactly one record: the fake Salesforce (real HTTP on 127.0.0.1)
 * counts what it keeps. The route comes from a config file; time (the attempt's deadline, the back-off) is
 * driven by the test.
 */
class ActionsExactlyOnceTest {

    @TempDir
    Path dir;

    private final ManualTime time = new ManualTime();
    private final List<ActionRecord> ended = new CopyOnWriteArrayList<>();
    private FakeSalesforce salesforce;
    private CrmContext context;
    private CrmConnector crm;
    private ActionQueue queue;
    private CallActions actions;
    private Route route;

    @BeforeEach
    void start() throws Exception {
        salesforce = new FakeSalesforce();
        Files.writeString(dir.resolve("crmroute.yaml"), """
                crms:
                CRM_ENTRY
                routes:
                  sales:
                    crm: sf
                    object: Contact
                    field: Phone
                    default: { to: { queue: "200" } }
                    actions:
                      nomatch: [ { create: Lead, key-field: Call_Key__c, set: { LastName: "Caller {callerid}", Phone: "{callerid}" } } ]
                      match:   [ { log-call: true, subject: "Inbound call to {dnid}" } ]
                """.replace("CRM_ENTRY", salesforce.crmEntry()));
        ConfigResult loaded = ConfigLoader.load(dir.resolve("crmroute.yaml"), Map.of("SF_SECRET", "s3cr3t"));
        assertEquals(List.of(), loaded.problems());
        CrmrouteConfig config = loaded.config().orElseThrow();
        route = config.routes().get("sales");
        context = CrmContext.create(time.clock(), time.ticker(), time.scheduler());
        crm = CrmConnectors.create(config.crms().get("sf"), context);
        queue = new ActionQueue(Map.of("sf", crm), ActionQueue.Options.defaults(),
                new ActionQueue.Time(time.clock(), time::nanoTime, time.scheduler(), () -> 1.0), ended::add);
        actions = new CallActions(queue, ended::add, time.clock(), time::nanoTime);
    }

    @AfterEach
    void stop() {
        queue.close();
        salesforce.close();
        crm.close();
        context.close();
    }

    private ActionCall call(ActionOutcome outcome, List<CrmRecord> records) {
        return new ActionCall("sales", outcome, "1733110000.42", "PJSIP/trunk-00000001", "+15559990000", "5550100", "", List.of(),
                time.clock().instant(), Map.of(), records);
    }

    private void awaitEnded() {
        Await.until(() -> "the action's end, so far " + ended, Duration.ofSeconds(30), () -> ended.size() == 1);
    }

    private void awaitRetryScheduled() {
        Await.until("the retry to be scheduled", Duration.ofSeconds(30), () -> queue.counters().retrying() == 1);
    }

    @Test
    void aCreateRetriedAfterA500MakesOneLead() {
        salesforce.keepThenFail(1, 500);
        actions.queueAsync(route, call(ActionOutcome.NOMATCH, List.of()));
        awaitRetryScheduled();
        assertEquals(1, salesforce.records("Lead"), "Salesforce kept it before it failed");
        time.advance(Duration.ofSeconds(1));
        awaitEnded();

        assertEquals(ActionRecord.Result.WRITTEN, ended.get(0).result());
        assertEquals(2, ended.get(0).attempts());
        assertEquals(2, salesforce.writes());
        assertEquals(1, salesforce.records("Lead"), "the retry's upsert found the Lead the first attempt made");
        assertEquals("Caller +15559990000", salesforce.recordsOf("Lead").get(0).path("LastName").asText());
        assertEquals(ended.get(0).recordId(), Optional.of(salesforce.recordsOf("Lead").get(0).path("Id").asText()));
    }

    @Test
    void aCreateRetriedAfterATimeoutMakesOneLead() {
        salesforce.keepThenHoldNext();
        actions.queueAsync(route, call(ActionOutcome.NOMATCH, List.of()));
        Await.until("the Lead to be kept", Duration.ofSeconds(30), () -> salesforce.records("Lead") == 1);
        time.advance(Duration.ofSeconds(2)); // the attempt's timeout: no answer yet
        awaitRetryScheduled();
        time.advance(Duration.ofSeconds(1));
        awaitEnded();

        assertEquals(ActionRecord.Result.WRITTEN, ended.get(0).result());
        assertEquals(2, ended.get(0).attempts());
        assertEquals(1, salesforce.records("Lead"));
    }

    @Test
    void aCallLogRetriedAfterATimeoutFindsTheTaskByItsCallObject() {
        salesforce.keepThenHoldNext();
        actions.queueAsync(route, call(ActionOutcome.MATCH, List.of(new CrmRecord(Map.of("Phone", "+15559990000"), Optional.of("003A"),
                Optional.empty()))));
        Await.until("the Task to be kept", Duration.ofSeconds(30), () -> salesforce.records("Task") == 1);
        time.advance(Duration.ofSeconds(2));
        awaitRetryScheduled();
        time.advance(Duration.ofSeconds(1));
        awaitEnded();

        assertEquals(ActionRecord.Result.WRITTEN, ended.get(0).result());
        assertEquals(1, salesforce.writes(), "the retry found the Task and sent no second create");
        assertEquals(1, salesforce.records("Task"));
        assertEquals("Inbound call to 5550100", salesforce.recordsOf("Task").get(0).path("Subject").asText());
        assertEquals("1733110000.42:sales:match:0", salesforce.recordsOf("Task").get(0).path("CallObject").asText());
        assertTrue(ended.get(0).recordId().orElseThrow().startsWith("00T"));
    }
}
