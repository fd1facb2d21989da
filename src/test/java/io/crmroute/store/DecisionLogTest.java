package io.crmroute.store;

import io.crmroute.testing.Await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmroute.config.DatabaseSettings;
import io.crmroute.route.Decision;
import io.crmroute.testing.ManualTime;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DecisionLogTest {

    static final DecisionLog.Options FAST = new DecisionLog.Options(100_000, 50, Duration.ofMillis(20),
            Duration.ofMillis(50), Duration.ofMillis(300), Duration.ofSeconds(5));
    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    static DecisionRow row(String caller, String route, String status, Instant time) {
        return new DecisionRow(UUID.randomUUID(), time, "1700000000." + caller, "SIP/trunk-0001", caller, route, "", "demo",
                Optional.of("GOLD"), Optional.of(1), status, "gold", Optional.of("queue"), Optional.of("103"), false,
                Optional.of(12L), Optional.empty());
    }

    @Test
    void writesRowsAndReadsThemBackNewestFirstByFilter() throws Exception {
        try (Database database = Database.connect(TestPostgres.shared().createDatabase("decisions"), DatabaseTest.FAST);
             DecisionLog log = DecisionLog.start(database, FAST)) {
            log.record(row("+15550001", "vip", "MATCH", T0));
            log.record(row("+15550001", "vip", "FAILED", T0.plusSeconds(60)));
            log.record(row("+15550002", "sales", "MATCH", T0.plusSeconds(120)));
            log.record(DecisionRow.of(T0.plusSeconds(180), "1700.9", "SIP/x", "'; DROP TABLE call_decision; --", "demo",
                    Decision.error("nosuch", "", "unknown route nosuch"), Optional.empty()));
            Await.until("four rows written", Duration.ofSeconds(30), () -> log.counters().written() == 4);

            List<DecisionRow> vip = log.query(new DecisionFilter(Optional.of("+15550001"), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), 100)).get(10, TimeUnit.SECONDS);
            assertEquals(List.of("FAILED", "MATCH"), statuses(vip));
            assertEquals(Optional.of(12L), vip.get(0).crmMillis());

            List<DecisionRow> window = log.query(new DecisionFilter(Optional.empty(), Optional.empty(), Optional.of("MATCH"),
                    Optional.of(T0), Optional.of(T0.plusSeconds(121)), 100)).get(10, TimeUnit.SECONDS);
            assertEquals(List.of("sales", "vip"), routes(window));

            List<DecisionRow> error = log.query(new DecisionFilter(Optional.empty(), Optional.of("nosuch"), Optional.empty(),
                    Optional.empty(), Optional.empty(), 1)).get(10, TimeUnit.SECONDS);
            assertEquals(Optional.of("unknown route nosuch"), error.get(0).error());
            assertEquals("'; DROP TABLE call_decision; --", error.get(0).caller());
            assertEquals(Optional.empty(), error.get(0).crmMillis());
        }
    }

    @Test
    void countsTheRowsAFullBufferRefuses() {
        DatabaseSettings nowhere = new DatabaseSettings("jdbc:postgresql://127.0.0.1:1/none", "crmroute", "secret");
        DecisionLog.Options small = new DecisionLog.Options(10, 5, Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200));
        try (Database database = Database.connect(nowhere, DatabaseTest.FAST);
             DecisionLog log = DecisionLog.start(database, small)) {
            for (int i = 0; i < 25; i++) log.record(row("+1555" + i, "vip", "MATCH", T0));
            // The writer may hold one batch of the ten; either way 25 = buffered + refused.
            DecisionLog.Counters counters = log.counters();
            assertEquals(25, counters.recorded());
            assertEquals(25, counters.pending() + counters.dropped());
            assertTrue(counters.dropped() >= 10, "dropped: " + counters.dropped());
            assertEquals(counters.dropped(), database.state().droppedAuditRows());
            assertFalse(database.state().up());
        }
    }

    @Test
    void aPartialBatchWaitsForTheFlushIntervalAndAFullOneIsWrittenAtOnce() throws Exception {
        ManualTime time = new ManualTime();
        DecisionLog.Options options = new DecisionLog.Options(1000, 5, Duration.ofSeconds(1), Duration.ofMillis(50),
                Duration.ofMillis(300), Duration.ofSeconds(5));
        try (Database database = Database.connect(TestPostgres.shared().createDatabase("flush"), DatabaseTest.FAST);
             DecisionLog log = DecisionLog.start(database, options, storeTime(time))) {
            database.whenReady().get(30, TimeUnit.SECONDS);
            for (int i = 0; i < 3; i++) log.record(row("+1555000" + i, "vip", "MATCH", T0));
            assertEquals(0, log.counters().written(), "three rows wait for the flush");

            time.advance(Duration.ofSeconds(1));
            Await.until("the flushed rows in the database", Duration.ofSeconds(10), () -> log.counters().written() == 3);

            for (int i = 0; i < 5; i++) log.record(row("+1555100" + i, "vip", "MATCH", T0));
            Await.until("a full batch written with time standing still", Duration.ofSeconds(10), () -> log.counters().written() == 8);
            assertEquals(0, log.counters().pending());
        }
    }

    @Test
    void writesEveryRowExactlyOnceAcrossAnOutageRetryingAfterTheBackOff() throws Exception {
        ManualTime time = new ManualTime();
        TestPostgres server = TestPostgres.startPrivate();
        try {
            DatabaseSettings settings = server.createDatabase("outage");
            try (Database database = Database.connect(settings, DatabaseTest.FAST);
                 DecisionLog log = DecisionLog.start(database, FAST, storeTime(time))) {
                database.whenReady().get(30, TimeUnit.SECONDS);
                Set<UUID> recorded = new HashSet<>();
                int calls = 0;
                for (int i = 0; i < 300; i++, calls++) recordOne(log, recorded, calls);
                Await.until("full batches written", Duration.ofSeconds(30), () -> log.counters().written() == 300);

                server.stop();   // calls go on while the database is down
                for (int i = 0; i < 700; i++, calls++) recordOne(log, recorded, calls);
                Await.until("the writer to notice the outage", Duration.ofSeconds(30), () -> !database.state().up());
                for (int i = 0; i < 300; i++, calls++) recordOne(log, recorded, calls);
                assertTrue(log.counters().pending() > 0, "rows wait in the buffer");

                server.start();
                for (int i = 0; i < 200; i++, calls++) recordOne(log, recorded, calls);
                assertEquals(300, log.counters().written(), "nothing is retried before the back-off has passed");
                // Each step passes the longest back-off; the database, restarting, may refuse a try or two.
                Await.until(() -> "all rows written: " + log.counters(), Duration.ofSeconds(30), () -> {
                    time.advance(FAST.retryMax());
                    return log.counters().pending() == 0;
                });

                assertEquals(0, log.counters().dropped());
                assertEquals(1500, log.counters().written());
                List<UUID> stored = database.call(connection -> {
                    List<UUID> ids = new ArrayList<>();
                    try (ResultSet result = connection.createStatement().executeQuery("SELECT id FROM call_decision")) {
                        while (result.next()) ids.add(result.getObject(1, UUID.class));
                    }
                    return ids;
                }).get(10, TimeUnit.SECONDS);
                assertEquals(1500, stored.size());
                assertEquals(recorded, new HashSet<>(stored));
            }
        } finally {
            server.stopIfRunning();
        }
    }

    @Test
    void closeWritesEveryBufferedRowAndCountsThemWritten() throws Exception {
        ManualTime time = new ManualTime();
        try (Database database = Database.connect(TestPostgres.shared().createDatabase("drain"), DatabaseTest.FAST)) {
            database.whenReady().get(30, TimeUnit.SECONDS);
            DecisionLog log = DecisionLog.start(database, FAST, storeTime(time));
            for (int i = 0; i < 30; i++) log.record(row("+1555200" + i, "vip", "MATCH", T0));   // less than a batch: no flush yet

            log.close();

            assertEquals(new DecisionLog.Counters(30, 30, 0, 0), log.counters());
            assertEquals(30L, database.call(connection -> {
                try (ResultSet result = connection.createStatement().executeQuery("SELECT count(*) FROM call_decision")) {
                    result.next();
                    return result.getLong(1);
                }
            }).get(10, TimeUnit.SECONDS));
            log.record(row("+15559999", "vip", "MATCH", T0));
            assertEquals(1, log.counters().dropped(), "a closed log takes no more rows");
        }
    }

    @Test
    void closeWithTheDatabaseDownRetriesUntilItsTimeoutThenCountsTheRowsLeft() throws Exception {
        ManualTime time = new ManualTime();
        DatabaseSettings nowhere = new DatabaseSettings("jdbc:postgresql://127.0.0.1:1/none", "crmroute", "secret");
        try (Database database = Database.connect(nowhere, DatabaseTest.FAST)) {
            DecisionLog log = DecisionLog.start(database, FAST, storeTime(time));
            for (int i = 0; i < 30; i++) log.record(row("+1555300" + i, "vip", "MATCH", T0));

            CompletableFuture<Void> closing = CompletableFuture.runAsync(log::close);
            Duration step = FAST.retryMax();
            Duration[] advanced = {Duration.ZERO};
            Await.until("close to give up", Duration.ofSeconds(30), () -> {
                if (closing.isDone()) return true;
                time.advance(step);
                advanced[0] = advanced[0].plus(step);
                return false;
            });
            closing.get(10, TimeUnit.SECONDS);

            assertTrue(advanced[0].compareTo(FAST.closeTimeout()) >= 0, "gave up only at its timeout, after " + advanced[0]);
            assertEquals(new DecisionLog.Counters(30, 0, 0, 30), log.counters(), "written none, 30 left");
        }
    }

    static StoreTime storeTime(ManualTime time) {
        return new StoreTime(time.scheduler(), time::nanoTime);
    }

    private static void recordOne(DecisionLog log, Set<UUID> recorded, int call) {
        DecisionRow row = row("+1555" + call, "vip", "MATCH", T0.plusMillis(call));
        recorded.add(row.id());
        log.record(row);
    }

    private static List<String> statuses(List<DecisionRow> rows) {
        List<String> statuses = new ArrayList<>();
        for (DecisionRow row : rows) statuses.add(row.status());
        return statuses;
    }

    private static List<String> routes(List<DecisionRow> rows) {
        List<String> routes = new ArrayList<>();
        for (DecisionRow row : rows) routes.add(row.route());
        return routes;
    }
}
