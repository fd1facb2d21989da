package io.crmroute.store;

import io.crmroute.testing.Await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmroute.route.Destination;
import io.crmroute.route.Route;
import io.crmroute.testing.ManualTime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveRouteTableTest {

    static final LiveRouteTable.Options POLL_EVERY_2S = new LiveRouteTable.Options(Duration.ofSeconds(2), Optional.empty());

    /** Time that stands still unless a test moves it: without it moving no poll runs, so only a notification explains a change. */
    private final ManualTime time = new ManualTime();

    static String goldQueue(LiveRouteTable table, String route) {
        return table.route(route).map(r -> r.rules().get(0).to().target()).orElse("none");
    }

    @Test
    void importsTheConfigRoutesAndFollowsChangesOnTheNextLookup() throws Exception {
        try (Database database = Database.connect(TestPostgres.shared().createDatabase("live"), DatabaseTest.FAST);
             LiveRouteTable table = LiveRouteTable.start(database, TestRoutes.compiler(), Map.of("vip", TestRoutes.route("vip", "103")),
                     Map.of("vip", TestRoutes.document("103")), POLL_EVERY_2S, storeTime())) {
            assertEquals("103", goldQueue(table, "vip"));   // served from the config before the database answers
            Await.until("the first load", Duration.ofSeconds(30), () -> table.revision() > 0);
            RouteStore store = new RouteStore(database, TestRoutes.compiler());
            assertTrue(store.get("vip").get(10, TimeUnit.SECONDS).isPresent());

            Route inProgress = table.route("vip").orElseThrow();   // a call that started before the change
            store.put("vip", TestRoutes.document("777"), OptionalLong.empty()).get(10, TimeUnit.SECONDS);
            Await.until("the change, by NOTIFY", Duration.ofSeconds(10), () -> goldQueue(table, "vip").equals("777"));
            assertEquals(new Destination.Queue("103"), inProgress.rules().get(0).to());

            store.delete("vip", OptionalLong.empty()).get(10, TimeUnit.SECONDS);
            Await.until("the deletion", Duration.ofSeconds(10), () -> table.route("vip").isEmpty());
        }
    }

    @Test
    void keepsTheLastGoodVersionOfARouteChangedToSomethingInvalid() throws Exception {
        try (Database database = Database.connect(TestPostgres.shared().createDatabase("invalid"), DatabaseTest.FAST);
             LiveRouteTable table = LiveRouteTable.start(database, TestRoutes.compiler(), Map.of(), Map.of(), POLL_EVERY_2S, storeTime())) {
            database.whenReady().get(30, TimeUnit.SECONDS);
            RouteStore store = new RouteStore(database, TestRoutes.compiler());
            store.put("vip", TestRoutes.document("103"), OptionalLong.empty()).get(10, TimeUnit.SECONDS);
            Await.until("the route", Duration.ofSeconds(10), () -> goldQueue(table, "vip").equals("103"));

            // Written behind the API's back, past its validation: an unknown operator, and a second change.
            ObjectNode broken = TestRoutes.document("555");
            ((ObjectNode) broken.at("/rules/0")).put("op", "=~");
            sql(database, "UPDATE route SET document = ?::json, version = nextval('route_version') WHERE name = 'vip'", broken.toString());
            store.put("other", TestRoutes.document("1"), OptionalLong.empty()).get(10, TimeUnit.SECONDS);
            Await.until("the other route", Duration.ofSeconds(10), () -> table.route("other").isPresent());
            assertEquals("103", goldQueue(table, "vip"));
        }
    }

    @Test
    void pollsWhenNoNotificationComes() throws Exception {
        try (Database database = Database.connect(TestPostgres.shared().createDatabase("poll"), DatabaseTest.FAST);
             LiveRouteTable table = LiveRouteTable.start(database, TestRoutes.compiler(), Map.of(), Map.of(), POLL_EVERY_2S, storeTime())) {
            database.whenReady().get(30, TimeUnit.SECONDS);
            Await.until("the first load", Duration.ofSeconds(10), () -> table.revision() >= 0);
            // A change whose notification is lost: the trigger is bypassed.
            sql(database, "ALTER TABLE route DISABLE TRIGGER route_changed", null);
            sql(database, "INSERT INTO route (name, document) VALUES ('quiet', ?::json)", TestRoutes.document("42").toString());
            sql(database, "UPDATE route_revision SET revision = revision + 1", null);
            time.advance(Duration.ofMillis(1999));
            assertEquals("none", goldQueue(table, "quiet"), "no poll before the interval");

            time.advance(Duration.ofMillis(1));
            Await.until("the polled change", Duration.ofSeconds(10), () -> goldQueue(table, "quiet").equals("42"));
        }
    }

    @Test
    void servesTheLastSnapshotWhenTheDatabaseIsDownAtStart(@TempDir Path dir) throws Exception {
        Path snapshot = dir.resolve("routes-snapshot.json");
        LiveRouteTable.Options options = new LiveRouteTable.Options(Duration.ofMillis(200), Optional.of(snapshot));
        TestPostgres server = TestPostgres.startPrivate();
        try {
            io.crmroute.config.DatabaseSettings settings = server.createDatabase("snapshot");
            try (Database database = Database.connect(settings, DatabaseTest.FAST);
                 LiveRouteTable table = LiveRouteTable.start(database, TestRoutes.compiler(), Map.of(), Map.of(), options)) {
                database.whenReady().get(30, TimeUnit.SECONDS);
                new RouteStore(database, TestRoutes.compiler()).put("vip", TestRoutes.document("888"), OptionalLong.empty()).get(10, TimeUnit.SECONDS);
                Await.until("the snapshot file", Duration.ofSeconds(10), () -> Files.exists(snapshot) && goldQueue(table, "vip").equals("888"));
            }
            server.stop();
            try (Database database = Database.connect(settings, DatabaseTest.FAST);
                 LiveRouteTable table = LiveRouteTable.start(database, TestRoutes.compiler(),
                         Map.of("vip", TestRoutes.route("vip", "103")), Map.of(), options)) {
                assertEquals("888", goldQueue(table, "vip"));   // the last rules seen, not the config's
                assertTrue(!database.state().up());
            }
        } finally {
            server.stopIfRunning();
        }
    }

    private StoreTime storeTime() {
        return DecisionLogTest.storeTime(time);
    }

    private static void sql(Database database, String sql, String parameter) throws Exception {
        database.call(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                if (parameter != null) statement.setString(1, parameter);
                statement.execute();
            }
            return null;
        }).get(10, TimeUnit.SECONDS);
    }
}
