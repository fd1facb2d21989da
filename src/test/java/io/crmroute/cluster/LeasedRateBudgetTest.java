package io.crmroute.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmroute.config.DatabaseSettings;
import io.crmroute.store.Database;
import io.crmroute.store.TestPostgres;
import io.crmroute.testing.Await;
import io.crmroute.testing.ManualTime;
import java.net.ServerSocket;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A rate limit of 10/s shared by in-process "nodes" through one real PostgreSQL, on time the test drives:
 * together they never spend more than the limit in a window, each gets its share, a stopped node's share
 * goes to the others, an idle node gives back what it does not use, and without the database a node keeps
 * to the limit ÷ the node count it last knew.
 */
class LeasedRateBudgetTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration SECOND = Duration.ofSeconds(1);

    private final ManualTime time = new ManualTime();
    private final ExecutorService jdbc = Executors.newFixedThreadPool(2);
    private final List<LeasedRateBudget> budgets = new ArrayList<>();
    private Database database;

    @AfterEach
    void close() throws InterruptedException {
        budgets.forEach(LeasedRateBudget::close);
        jdbc.shutdownNow();
        jdbc.awaitTermination(10, TimeUnit.SECONDS);
        if (database != null) database.close();
    }

    private Database database() throws Exception {
        database = Database.connect(TestPostgres.shared().createDatabase("leased_budget"));
        return database.whenReady().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private LeasedRateBudget node(Database on, AtomicInteger liveNodes) {
        LeasedRateBudget budget = new LeasedRateBudget("crm", 10, time.clock(), time.scheduler(), jdbc, new RateLeases(on), liveNodes::get);
        budgets.add(budget);
        budget.start();
        return budget;
    }

    private void settle() {
        Await.until("every claim answered", WAIT, () -> budgets.stream().allMatch(LeasedRateBudget::settled));
    }

    /** Turns taken at once until none is left, topping up in between, as a burst of lookups would. */
    private int drain(LeasedRateBudget budget) {
        int taken = 0;
        while (true) {
            while (budget.reserve(Duration.ZERO) == 0) taken++;
            settle(); // a top-up may have gone out as it ran low
            if (budget.reserve(Duration.ZERO) != 0) return taken;
            taken++;
        }
    }

    private int claimedInDatabase(Instant at) throws Exception {
        long window = (at.getEpochSecond() * 1_000_000_000L + at.getNano()) / 1_000_000_000L;
        return database.callBlocking(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT claimed FROM cluster_rate WHERE crm = 'crm' AND window_no = ?")) {
                select.setLong(1, window);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? row.getInt(1) : 0;
                }
            }
        });
    }

    @Test
    void threeNodesTogetherSpendTheLimitPerWindowAndNeverMore() throws Exception {
        Database shared = database();
        AtomicInteger live = new AtomicInteger(3);
        List<LeasedRateBudget> nodes = List.of(node(shared, live), node(shared, live), node(shared, live));
        settle();
        for (int window = 0; window < 5; window++) {
            for (LeasedRateBudget node : nodes) {
                assertTrue(node.heldAt(time.clock().instant())[0] >= 3, "each node leased its share (10 ÷ 3) before the window began");
            }
            int total = 0;
            for (LeasedRateBudget node : nodes) total += drain(node);
            assertEquals(10, total, "window " + window + ": the whole limit, spent by the three");
            assertEquals(10, claimedInDatabase(time.clock().instant()));
            time.advance(SECOND);
            settle();
        }
    }

    @Test
    void aLookupWaitsForItsTurnInTheNextWindowWhenItsBudgetReachesIt() throws Exception {
        LeasedRateBudget alone = node(database(), new AtomicInteger(1));
        settle();
        assertEquals(10, drain(alone));
        assertEquals(-1, alone.reserve(Duration.ofMillis(999)), "the next window begins after this budget");
        assertEquals(1_000_000_000L, alone.reserve(Duration.ofMillis(1500)), "a turn at the start of the next window");
        time.advance(SECOND);
        settle();
        assertEquals(9, drain(alone), "one of this window's ten was reserved ahead");
    }

    @Test
    void aStoppedNodesShareGoesToTheOthersOnceTheyCountOneNodeLess() throws Exception {
        Database shared = database();
        AtomicInteger live = new AtomicInteger(3);
        LeasedRateBudget first = node(shared, live);
        LeasedRateBudget second = node(shared, live);
        LeasedRateBudget stopped = node(shared, live);
        settle();
        assertEquals(3, first.heldAt(time.clock().instant())[0]);
        stopped.close();
        live.set(2); // what the heartbeats say once the third has been silent three times
        time.advance(SECOND); // during this window, the next is leased at the new share
        settle();
        time.advance(SECOND);
        settle();
        assertEquals(5, first.heldAt(time.clock().instant())[0], "10 ÷ 2");
        assertEquals(5, second.heldAt(time.clock().instant())[0]);
        assertEquals(10, drain(first) + drain(second));
    }

    @Test
    void anIdleNodeGivesBackHalfwayWhatItDoesNotUseAndABusyOneTakesIt() throws Exception {
        Database shared = database();
        AtomicInteger live = new AtomicInteger(3);
        LeasedRateBudget busy = node(shared, live);
        node(shared, live);
        node(shared, live);
        settle();
        int firstHalf = drain(busy);
        assertEquals(4, firstHalf, "its share and the one left over");
        time.advance(Duration.ofMillis(500)); // the idle ones keep one each and give back two each
        settle();
        int secondHalf = drain(busy);
        assertEquals(4, secondHalf, "what the idle nodes gave back");
        assertEquals(10, claimedInDatabase(time.clock().instant()), "never more than the limit");
    }

    @Test
    void withoutTheDatabaseANodeKeepsToTheLimitOverTheNodeCountItLastKnew() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        database = Database.connect(new DatabaseSettings("jdbc:postgresql://127.0.0.1:" + closedPort + "/none", "crmroute", ""));
        LeasedRateBudget cutOff = node(database, new AtomicInteger(3));
        settle();
        int[] perWindow = new int[6];
        for (int window = 0; window < perWindow.length; window++) {
            perWindow[window] = drain(cutOff);
            assertTrue(perWindow[window] == 3 || perWindow[window] == 4, "window " + window + ": " + perWindow[window]);
            time.advance(SECOND);
            settle();
        }
        assertEquals(20, java.util.Arrays.stream(perWindow).sum(), "10 ÷ 3 per window over six windows");
    }
}
