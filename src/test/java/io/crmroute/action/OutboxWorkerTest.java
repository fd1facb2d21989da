package io.crmroute.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmroute.config.DatabaseSettings;
import io.crmroute.crm.CrmWrite;
import io.crmroute.crm.WriteRequest;
import io.crmroute.store.Database;
import io.crmroute.store.OutboxTable;
import io.crmroute.store.TestPostgres;
import io.crmroute.testing.Await;
import io.crmroute.testing.ManualTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The outbox on a real PostgreSQL, under time the test drives: two workers never write one row twice, a worker
 * that dies leaves its rows to another once its lease ends (redone only when retry-safe), one that stops lets
 * go of them at once, a failure is retried after the back-off until the deadline, and an action the database
 * does not take goes to the node's memory queue.
 */
class OutboxWorkerTest {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static DatabaseSettings settings;
    private static Database database;
    private static OutboxTable table;

    private final ManualTime time = new ManualTime();
    private final List<ActionRecord> ended = new CopyOnWriteArrayList<>();
    private final List<OutboxWorker> workers = new ArrayList<>();
    private int made; // rows added so far: each call key once

    @BeforeAll
    static void connect() throws Exception {
        settings = TestPostgres.shared().createDatabase("outbox");
        database = Database.connect(settings);
        database.whenReady().get(60, TimeUnit.SECONDS);
        table = new OutboxTable(database);
    }

    @AfterAll
    static void disconnect() {
        database.close();
    }

    @BeforeEach
    void empty() throws SQLException {
        sql("DELETE FROM action_outbox");
    }

    @AfterEach
    void stopWorkers() {
        workers.forEach(OutboxWorker::halt);
    }

    private OutboxWorker worker(String node, ScriptedCrm crm, int maxHeld, int concurrency) {
        OutboxWorker worker = new OutboxWorker(table, node, Map.of("crm", crm),
                new OutboxWorker.Options(LEASE, POLL, maxHeld, concurrency, Duration.ofSeconds(1), Duration.ofSeconds(8)),
                new ActionQueue.Time(time.clock(), time::nanoTime, time.scheduler(), () -> 1.0), ended::add);
        workers.add(worker);
        return worker.start();
    }

    /** Adds {@code count} rows of creates ({@code keyField} makes them retry-safe), due now, given up after {@code retryFor}. */
    private void rows(int count, Optional<String> keyField, Duration retryFor) {
        Instant now = time.clock().instant();
        for (int i = made; i < made + count; i++) {
            CrmWrite write = new CrmWrite.Create("Lead", Map.of("LastName", "Caller " + i), keyField, "1733110000." + i + ":sales:nomatch:0");
            table.add(new OutboxTable.NewRow(UUID.randomUUID(), "crm", "sales", "1733110000." + i, write.callKey(), WriteJson.write(write),
                    now, now.plus(retryFor)), row -> { throw new AssertionError("not stored: " + row); });
        }
        made += count;
        table.flush(WAIT);
    }

    /** Moves time a poll forward and waits until {@code worker}'s poll has ended. */
    private void poll(OutboxWorker worker) {
        Await.until("the last poll ended", WAIT, () -> !worker.polling()); // else the next is skipped
        long before = worker.polls();
        time.advance(POLL);
        Await.until("a poll of the worker", WAIT, () -> worker.polls() > before);
    }

    @Test
    void twoWorkersClaimingAtOnceWriteEachOfFiftyRowsOnce() throws Exception {
        rows(50, Optional.of("Call_Key__c"), Duration.ofMinutes(10));
        ScriptedCrm a = new ScriptedCrm();
        ScriptedCrm b = new ScriptedCrm();
        a.writeAtOnce = true;
        b.writeAtOnce = true;
        // Ten rows a claim each: the first poll of both already shares the rows out.
        worker("node-a", a, 10, 4);
        worker("node-b", b, 10, 4);
        time.advance(Duration.ZERO);
        Await.until(() -> "50 rows done; states " + states(), WAIT, () -> {
            if (count("state = 'done'") == 50) return true;
            time.advance(POLL);
            return false;
        });

        List<String> keys = new ArrayList<>();
        a.writes.forEach(write -> keys.add(write.write().callKey()));
        b.writes.forEach(write -> keys.add(write.write().callKey()));
        Map<String, Long> perKey = keys.stream().collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
        assertEquals(50, perKey.size(), "every row written");
        assertTrue(perKey.values().stream().allMatch(n -> n == 1), "no row written twice: " + perKey);
        assertTrue(!a.writes.isEmpty() && !b.writes.isEmpty(), "both wrote: " + a.writes.size() + " and " + b.writes.size());
        Await.until("50 written records", WAIT, () -> ended.size() == 50);
        assertTrue(ended.stream().allMatch(record -> record.result() == ActionRecord.Result.WRITTEN && record.attempts() == 1));
        assertEquals(50, count("attempts = 1 AND record_id IS NOT NULL AND claimed_by IS NULL AND NOT in_flight"));
    }

    @Test
    void aDeadWorkersRowsAreTakenAfterItsLeaseAndThoseItWasWritingRedoneOnlyWhenRetrySafe() throws Exception {
        rows(2, Optional.of("Call_Key__c"), Duration.ofMinutes(10));
        time.advance(Duration.ofSeconds(1)); // the plain creates fall due after: A takes the upserts first
        rows(3, Optional.empty(), Duration.ofMinutes(10));
        ScriptedCrm a = new ScriptedCrm(); // never answers
        OutboxWorker dying = worker("node-a", a, 200, 2);
        time.advance(Duration.ZERO);
        Await.until("A holds all 5, writing the 2 upserts", WAIT, () -> dying.held() == 5 && a.writes.size() == 2);
        assertTrue(a.writes.stream().allMatch(write -> write.write().keyField().isPresent()));
        // To make it die mid-write of a plain create too, let one upsert end.
        a.written(0, "00Q-a");
        Await.until("A writing a plain create", WAIT, () -> a.writes.size() == 3);
        assertTrue(a.writes.get(2).write().keyField().isEmpty());
        dying.halt(); // killed: no more polls, no renewals, no release

        ScriptedCrm b = new ScriptedCrm();
        b.writeAtOnce = true;
        OutboxWorker taking = worker("node-b", b, 200, 4);
        time.advance(Duration.ZERO);
        for (Duration passed = Duration.ZERO; passed.compareTo(LEASE.minus(POLL)) < 0; passed = passed.plus(POLL)) poll(taking);
        assertEquals(0, b.writes.size(), "nothing taken while A's lease lasts");
        assertEquals(4, count("claimed_by = 'node-a'"));

        Await.until(() -> "B ends the 4 rows; states " + states(), WAIT, () -> {
            if (count("state <> 'queued'") == 5) return true;
            time.advance(POLL);
            return false;
        });
        List<String> redone = b.writes.stream().map(WriteRequest::write).map(CrmWrite::callKey).sorted().toList();
        String upsertA = a.writes.get(1).write().callKey();
        String plainA = a.writes.get(2).write().callKey();
        assertTrue(redone.contains(upsertA), "the upsert A was writing is redone: its call key finds what A made " + redone);
        assertTrue(!redone.contains(plainA), "the plain create A was writing is not: it may have made the record " + redone);
        assertEquals(3, redone.size(), "the upsert and the 2 plain creates A had not begun: " + redone);
        assertEquals(1, count("state = 'failed' AND last_error = '" + OutboxWorker.DIED_MID_WRITE + "'"));
        assertEquals(4, count("state = 'done'"));
        assertTrue(taking.held() == 0);
    }

    @Test
    void aStoppingWorkerReleasesItsRowsSoAnotherTakesThemAtOnce() throws Exception {
        rows(3, Optional.of("Call_Key__c"), Duration.ofMinutes(10));
        ScriptedCrm a = new ScriptedCrm();
        OutboxWorker stopping = worker("node-a", a, 200, 1);
        time.advance(Duration.ZERO);
        Await.until("A holds 3, writing 1", WAIT, () -> stopping.held() == 3 && a.writes.size() == 1);
        stopping.close(Duration.ZERO);
        assertEquals(0, count("claimed_by IS NOT NULL"), "released");

        ScriptedCrm b = new ScriptedCrm();
        b.writeAtOnce = true;
        worker("node-b", b, 200, 4);
        time.advance(Duration.ZERO); // within A's lease
        Await.until(() -> "3 done by B; states " + states(), WAIT, () -> count("state = 'done'") == 3);
        assertEquals(3, b.writes.size());
    }

    @Test
    void aFailureIsRetriedAfterTheBackOffByWhicheverNodeClaimsItAndGivesUpAtTheDeadline() throws Exception {
        rows(1, Optional.of("Call_Key__c"), Duration.ofSeconds(10));
        ScriptedCrm crm = new ScriptedCrm();
        OutboxWorker worker = worker("node-a", crm, 200, 4);
        time.advance(Duration.ZERO);
        Await.until("attempt 1", WAIT, () -> crm.writes.size() == 1);
        // jitter 1.0: back-offs of 1 s, 2 s, 4 s: attempts at 0, 1, 3 and 7 s; the next, at 15 s, is past the deadline.
        List<Integer> attemptSeconds = new ArrayList<>(List.of(0));
        for (int n = 0; n < 3; n++) {
            crm.fails(n, 503);
            int attempts = n + 1;
            Await.until(() -> "back in the queue after attempt " + attempts + ": " + states(), WAIT,
                    () -> count("claimed_by IS NULL AND attempts = " + attempts) == 1);
            int sent = crm.writes.size();
            do {
                poll(worker);
                // A claimed row's attempt is sent once its start is recorded, maybe after the poll ended.
                Await.until("the claimed row sent", WAIT, () -> crm.writes.size() > sent || worker.held() == 0);
            } while (crm.writes.size() == sent);
            attemptSeconds.add((int) Duration.ofNanos(time.nanoTime()).toSeconds());
        }
        assertEquals(List.of(0, 1, 3, 7), attemptSeconds);
        crm.fails(3, 503);
        Await.until(() -> "gave up; " + states(), WAIT, () -> count("state = 'gave_up'") == 1);
        Await.until("its record", WAIT, () -> ended.size() == 1);
        assertEquals(ActionRecord.Result.GAVE_UP, ended.get(0).result());
        assertEquals(4, ended.get(0).attempts());
        assertEquals(Optional.of("crm scripted: HTTP 503"), ended.get(0).error());
    }

    @Test
    void anActionTheDatabaseDoesNotTakeGoesToTheMemoryQueueAndIsWritten() throws Exception {
        try (Database down = Database.connect(new DatabaseSettings("jdbc:postgresql://127.0.0.1:1/nowhere", "crmroute", "x"))) {
            ScriptedCrm crm = new ScriptedCrm();
            ActionQueue.Time queueTime = new ActionQueue.Time(time.clock(), time::nanoTime, time.scheduler(), () -> 1.0);
            ActionQueue memory = new ActionQueue(Map.of("crm", crm), ActionQueue.Options.defaults(), queueTime, ended::add);
            Outbox outbox = Outbox.start(new OutboxTable(down), "node-a", Map.of("crm", crm), OutboxWorker.Options.defaults(), queueTime,
                    ended::add, memory);
            outbox.offer(new ActionQueue.Queued("1733110000.9", "sales", "crm",
                    new CrmWrite.Create("Lead", Map.of("LastName", "Caller"), Optional.of("Call_Key__c"), "1733110000.9:sales:nomatch:0"),
                    Duration.ofMinutes(10)));
            Await.until("written through the memory queue", WAIT, () -> crm.writes.size() == 1);
            crm.written(0, "00Q9");
            assertEquals(1, outbox.fallbacks());
            assertEquals(List.of(ActionRecord.Result.WRITTEN), ended.stream().map(ActionRecord::result).toList());
            outbox.close(Duration.ZERO);
            memory.close();
        }
    }

    @Test
    void endedRowsAreRemovedADayAfterTheyEndedAndQueuedOnesNever() throws Exception {
        rows(1, Optional.of("Call_Key__c"), Duration.ofMinutes(10));
        ScriptedCrm crm = new ScriptedCrm();
        crm.writeAtOnce = true;
        OutboxWorker writing = worker("node-a", crm, 200, 4);
        time.advance(Duration.ZERO);
        Await.until(() -> "done: " + states(), WAIT, () -> count("state = 'done'") == 1);
        writing.halt();
        rows(1, Optional.of("Call_Key__c"), Duration.ofDays(30)); // stays queued: no worker of its CRM runs
        Duration hourly = Duration.ofHours(1);
        OutboxWorker sweeping = new OutboxWorker(table, "node-b", Map.of(),
                new OutboxWorker.Options(LEASE, hourly, 200, 4, Duration.ofSeconds(1), Duration.ofSeconds(8)),
                new ActionQueue.Time(time.clock(), time::nanoTime, time.scheduler(), () -> 1.0), ended::add);
        workers.add(sweeping);
        sweeping.start();
        time.advance(Duration.ZERO);
        Await.until("the first poll", WAIT, () -> sweeping.polls() == 1 && !sweeping.polling());
        assertEquals(2, count("true"), "kept while the day lasts: " + states());

        time.advance(OutboxWorker.FORGET_AFTER);
        Await.until("the last poll ended", WAIT, () -> !sweeping.polling());
        long before = sweeping.polls();
        time.advance(hourly);
        Await.until("a poll a day after", WAIT, () -> sweeping.polls() > before && !sweeping.polling());
        assertEquals(0, count("state = 'done'"), "the done row is gone: " + states());
        assertEquals(1, count("state = 'queued'"), "the queued one stays: " + states());
        assertEquals(1, sweeping.pending());
    }

    @Test
    void aWriteOfEveryKindComesBackFromItsJsonAsItWas() {
        Instant started = Instant.parse("2026-01-05T09:00:00Z");
        List<CrmWrite> writes = List.of(
                new CrmWrite.Create("Lead", Map.of("LastName", "Caller \"quoted\"", "Phone", "+1555"), Optional.of("Call_Key__c"), "k:0"),
                new CrmWrite.Create("Lead", Map.of(), Optional.empty(), "k:1"),
                new CrmWrite.Update("Contact", "003A", Map.of("Description", "line\nbreak"), "k:2:0"),
                new CrmWrite.LogCall("Contact", "003A", "Inbound call", Map.of("Status", "Completed"),
                        new CrmWrite.CallFacts("+15551230001", "5550100", "1733110000.1", started), Optional.of("CallObject"), "k:3"));
        for (CrmWrite write : writes) assertEquals(write, WriteJson.read(WriteJson.write(write)));
    }

    private static long count(String where) {
        try (Connection connection = connection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM action_outbox WHERE " + where)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String states() {
        try (Connection connection = connection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT state, claimed_by, attempts, count(*) FROM action_outbox GROUP BY 1, 2, 3")) {
            List<String> shown = new ArrayList<>();
            while (rows.next()) shown.add(rows.getString(1) + "/" + rows.getString(2) + "/" + rows.getInt(3) + "=" + rows.getLong(4));
            return shown.toString();
        } catch (SQLException e) {
            return e.toString();
        }
    }

    private static void sql(String statement) throws SQLException {
        try (Connection connection = connection(); Statement run = connection.createStatement()) {
            run.execute(statement);
        }
    }

    private static Connection connection() throws SQLException {
        return DriverManager.getConnection(settings.url(), settings.user(), settings.password());
    }
}
