package io.crmroute.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmroute.action.ActionListener;
import io.crmroute.action.ActionQueue;
import io.crmroute.action.ActionRecord;
import io.crmroute.action.CallActions;
import io.crmroute.agi.AgiServer;
import io.crmroute.agi.FakeAsterisk;
import io.crmroute.call.CallHandler;
import io.crmroute.call.CallReport;
import io.crmroute.config.ConfigLoader;
import io.crmroute.config.ConfigResult;
import io.crmroute.config.CrmrouteConfig;
import io.crmroute.config.DatabaseSettings;
import io.crmroute.crm.CrmConnector;
import io.crmroute.crm.CrmConnectors;
import io.crmroute.crm.CrmContext;
import io.crmroute.route.RouteTable;
import io.crmroute.store.ActionLog;
import io.crmroute.store.ActionRow;
import io.crmroute.store.Database;
import io.crmroute.store.DecisionLog;
import io.crmroute.store.TestPostgres;
import io.crmroute.testing.Await;
import io.crmroute.testing.FakeSalesforce;
import io.crmroute.testing.ManualTime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 calls whose async actions go to a Salesforce whose write endpoint holds every request: every call gets
 * its decision while the CRM still holds every write (no caller waits on an action) and asks the CRM once,
 * as a call without actions does; once the actions' deadline passes (time the test drives) every action is
 * recorded as given up, in the log, the metrics' listener and crm_action in a real PostgreSQL.
 */
class ActionFloodEndToEndTest {

    private static final int CALLS = 1000;

    @TempDir
    Path dir;

    @Test
    void callsNeverWaitOnActionsToADownCrmAndEveryActionEndsGivenUp() throws Exception {
        ManualTime time = new ManualTime();
        DatabaseSettings db = TestPostgres.shared().createDatabase("flood");
        CompletableFuture<Void> writesReleased = new CompletableFuture<>();
        List<ActionRecord> ended = new CopyOnWriteArrayList<>();
        List<CallReport> decided = new CopyOnWriteArrayList<>();
        ExecutorService callers = Executors.newFixedThreadPool(32);
        try (FakeSalesforce salesforce = new FakeSalesforce();
             Database database = Database.connect(db);
             ActionLog audit = ActionLog.start(database, DecisionLog.Options.defaults())) {
            salesforce.holdEveryWrite(writesReleased);
            Files.writeString(dir.resolve("crmroute.yaml"), """
                    crms:
                    CRM_ENTRY
                    routes:
                      sales:
                        crm: sf
                        object: Contact
                        field: Phone
                        default: { to: { queue: "200" } }
                        nomatch: { to: { queue: "209" } }
                        actions:
                          nomatch: [ { create: Lead, key-field: Call_Key__c, retry-for: 1m, set: { Phone: "{callerid}" } } ]
                    """.replace("CRM_ENTRY", salesforce.crmEntry()));
            ConfigResult loaded = ConfigLoader.load(dir.resolve("crmroute.yaml"), Map.of("SF_SECRET", "s3cr3t"));
            assertEquals(List.of(), loaded.problems());
            CrmrouteConfig config = loaded.config().orElseThrow();
            CrmContext context = CrmContext.create(time.clock(), time.ticker(), time.scheduler());
            CrmConnector crm = CrmConnectors.create(config.crms().get("sf"), context);
            ActionListener listener = ActionListener.all(List.of(ended::add, record -> audit.record(ActionRow.of(record.time(),
                    record.uniqueid(), record.route(), record.crm(), record.kindLabel(), record.object(), record.recordId(),
                    record.result().label(), record.attempts(), record.error()))));
            ActionQueue queue = new ActionQueue(Map.of("sf", crm), ActionQueue.Options.defaults(),
                    new ActionQueue.Time(time.clock(), time::nanoTime, time.scheduler(), () -> 1.0), listener);
            CallHandler handler = new CallHandler(RouteTable.of(config.routes()), Map.of("sf", crm), Map.of(), decided::add,
                    Clock.systemUTC(), System::nanoTime, new CallActions(queue, listener, time.clock(), time::nanoTime));
            try (AgiServer agi = AgiServer.start(CrmrouteServer.agiOptions(config.server()), handler)) {
                List<Future<FakeAsterisk.Call>> calls = new ArrayList<>();
                for (int i = 0; i < CALLS; i++) {
                    Map<String, String> env = new LinkedHashMap<>();
                    env.put("network_script", "sales");
                    env.put("callerid", String.format("+1555%07d", i));
                    env.put("uniqueid", "1733110000." + i);
                    calls.add(callers.submit(() -> FakeAsterisk.call(agi.port(), env, FakeAsterisk.Responder.asterisk())));
                }
                for (Future<FakeAsterisk.Call> call : calls) {
                    Map<String, String> set = call.get(60, TimeUnit.SECONDS).variables();
                    assertEquals("NOMATCH", set.get("CRMROUTE_STATUS"));
                    assertEquals("209", set.get("CRMROUTE_DEST"));
                }
                // Every decision was set while Salesforce still held every write it had been sent: none was answered.
                assertFalse(writesReleased.isDone());
                assertEquals(0, salesforce.records("Lead"));
                assertTrue(salesforce.writes() <= ActionQueue.Options.defaults().concurrency(), "writes sent: " + salesforce.writes());
                assertEquals(CALLS, salesforce.lookups(), "one lookup per call, as without actions");
                assertEquals(CALLS, decided.size());
                assertTrue(ended.isEmpty(), "no action has ended yet: " + ended.size());

                // The actions' retry-for (1 minute) passes: the held writes time out, the queued ones give up.
                Await.until(() -> ended.size() + " of " + CALLS + " actions ended", Duration.ofSeconds(60), () -> {
                    time.advance(Duration.ofSeconds(30));
                    return ended.size() == CALLS;
                });
                assertEquals(List.of(ActionRecord.Result.GAVE_UP), ended.stream().map(ActionRecord::result).distinct().toList());
                assertEquals(CALLS, ended.stream().map(ActionRecord::uniqueid).distinct().count());
                assertEquals(0, queue.counters().open());
                assertEquals(0, salesforce.records("Lead"));
            } finally {
                queue.close();
                crm.close();
                context.close();
            }
            Await.until("every action audited", Duration.ofSeconds(60), () -> audit.counters().written() == CALLS);
            assertEquals(List.of(Integer.toString(CALLS)), WriteActionsEndToEndTest.query(db,
                    "SELECT count(*) FROM crm_action WHERE result = ? AND route = 'sales' AND kind = 'create' AND object = 'Lead'", "gave_up"));
        } finally {
            writesReleased.complete(null);
            callers.shutdownNow();
        }
    }
}
