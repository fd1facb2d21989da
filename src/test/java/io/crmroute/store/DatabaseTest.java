package io.crmroute.store;

import io.crmroute.testing.Await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmroute.config.DatabaseSettings;
import io.crmroute.testing.ManualTime;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DatabaseTest {

    static final Database.Options FAST = new Database.Options(4, 2, Duration.ofMillis(500), Duration.ofMillis(100), Duration.ofMillis(500));

    @Test
    void migratesAnEmptyDatabase() throws Exception {
        DatabaseSettings settings = TestPostgres.shared().createDatabase("migrate");
        try (Database database = Database.connect(settings, FAST)) {
            database.whenReady().get(30, TimeUnit.SECONDS);
            List<String> tables = database.call(connection -> {
                List<String> names = new ArrayList<>();
                try (ResultSet result = connection.createStatement().executeQuery(
                        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")) {
                    while (result.next()) names.add(result.getString(1));
                }
                return names;
            }).get(10, TimeUnit.SECONDS);
            assertEquals(List.of("action_outbox", "call_decision", "cluster_node", "cluster_rate", "cluster_token", "crm_action", "flyway_schema_history", "route",
                    "route_revision", "route_rule", "store_fact"), tables);
            assertTrue(database.state().up());
        }
        // A second start finds the schema in place and migrates nothing.
        try (Database again = Database.connect(settings, FAST)) {
            again.whenReady().get(30, TimeUnit.SECONDS);
            assertTrue(again.state().up());
        }
    }

    @Test
    void startsWithTheDatabaseDownAndConnectsAfterTheBackOffWhenItComesUp() throws Exception {
        ManualTime time = new ManualTime();
        TestPostgres server = TestPostgres.startPrivate();
        DatabaseSettings settings = server.createDatabase("late");
        server.stop();
        try (Database database = Database.connect(settings, FAST, DecisionLogTest.storeTime(time))) {
            Await.until("a failed first attempt and its retry set", Duration.ofSeconds(20),
                    () -> database.state().lastError().isPresent() && time.pendingTasks() == 1);
            assertFalse(database.state().up());
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> database.call(connection -> 1).get(10, TimeUnit.SECONDS));
            assertInstanceOf(DatabaseUnavailableException.class, refused.getCause());

            server.start();
            assertFalse(database.whenReady().isDone(), "no new attempt before the back-off");
            // Each step passes the longest back-off; an attempt may still meet the database starting up.
            Await.until("the schema migrated", Duration.ofSeconds(30), () -> {
                time.advance(FAST.retryMax());
                return database.whenReady().isDone();
            });
            assertTrue(database.state().up());
            assertEquals(1, database.call(connection -> 1).get(10, TimeUnit.SECONDS));
        } finally {
            server.stopIfRunning();
        }
    }
}
