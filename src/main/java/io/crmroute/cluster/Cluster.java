package io.crmroute.cluster;

import io.crmroute.concurrent.DaemonThreads;
import io.crmroute.crm.CrmSharing;
import io.crmroute.crm.RateBudget;
import io.crmroute.crm.TokenStore;
import io.crmroute.store.Database;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The nodes sharing one database: this node's heartbeat ({@link Membership}), each CRM's rate budget leased
 * from the shared counters ({@link LeasedRateBudget}) and, with {@value SecretBox#VARIABLE} set, each CRM's
 * credentials ({@link SharedTokenStore}). Without the key credentials stay per node (a rotating refresh token
 * then works on one node only; the server warns at start). Blocking JDBC work runs on two threads of its
 * own, token refreshes (which hold the CRM's lock while the CRM answers) on up to four more; the scheduler
 * only times things.
 */
public final class Cluster implements CrmSharing, AutoCloseable {

    /** How long a node waits for another's token refresh before its lookup fails. */
    static final Duration TOKEN_LOCK_WAIT = Duration.ofSeconds(30);

    private final Database database;
    private final Membership membership;
    private final Optional<SecretBox> box;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService jdbc;
    private final ExecutorService tokenWork;
    private final RateLeases leases;
    private final List<LeasedRateBudget> budgets = new CopyOnWriteArrayList<>();

    private Cluster(Database database, NodeIdentity self, Duration heartbeat, Optional<SecretBox> box, Clock clock,
                    ScheduledExecutorService scheduler) {
        this.database = database;
        this.box = box;
        this.clock = clock;
        this.scheduler = scheduler;
        this.jdbc = threads("crmroute-cluster", 2);
        // Each token refresh holds a pooled connection for its whole fetch (the advisory lock is a transaction's):
        // two at most, so heartbeats, rate leases, the audit and the route store keep the rest of the pool (4).
        this.tokenWork = threads("crmroute-cluster-token", 2);
        this.leases = new RateLeases(database);
        this.membership = new Membership(database, self, heartbeat, clock, scheduler, jdbc);
    }

    /** Joins: heartbeats start once the database is migrated. */
    public static Cluster join(Database database, NodeIdentity self, Duration heartbeat, Optional<SecretBox> box, Clock clock,
                               ScheduledExecutorService scheduler) {
        Cluster cluster = new Cluster(database, self, heartbeat, box, clock, scheduler);
        database.whenReady().thenRun(cluster.membership::start);
        return cluster;
    }

    @Override
    public RateBudget rateBudget(String crm, double perSecond) {
        LeasedRateBudget budget = new LeasedRateBudget(crm, perSecond, clock, scheduler, jdbc, leases, membership::liveNodes);
        budgets.add(budget);
        budget.start();
        return budget;
    }

    @Override
    public TokenStore tokenStore(String crm) {
        return box.<TokenStore>map(key -> new SharedTokenStore(crm, database, key, membership.self().id(), clock, tokenWork, TOKEN_LOCK_WAIT))
                .orElseGet(TokenStore::inMemory);
    }

    /** Whether credentials are shared (the key is set). */
    public boolean sharesCredentials() {
        return box.isPresent();
    }

    public NodeIdentity self() {
        return membership.self();
    }

    /** Every node the last heartbeat read, {@code up} judged now. */
    public List<NodeStatus> nodes() {
        return membership.nodes();
    }

    /** Stops leasing and beating and removes this node's row, so the others take its share at once. */
    @Override
    public void close() {
        budgets.forEach(LeasedRateBudget::close);
        membership.stopBeating();
        // A heartbeat already queued or running would write the row again after membership.close() deleted it.
        jdbc.shutdown();
        try {
            if (!jdbc.awaitTermination(5, TimeUnit.SECONDS)) jdbc.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            jdbc.shutdownNow();
        }
        membership.close();
        tokenWork.shutdownNow();
    }

    private static ExecutorService threads(String prefix, int count) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(count, count, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                DaemonThreads.named(prefix));
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}
