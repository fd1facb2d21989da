package io.crmroute.cluster;

import io.crmroute.crm.RateBudget;
import io.crmroute.logging.LogText;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One CRM's {@code rate-limit} shared by the live nodes, with no database round trip per lookup. Time is cut
 * into windows of {@code permits} (aligned on the epoch, so every node counts the same ones); during
 * window w each node leases its share of window w+1 (the limit ÷ live nodes) from the shared counter row,
 * so lookups only ever spend permits already held. A node that runs low tops up from what is left of the
 * current window; halfway through a window it gives back what it is not using, for the others' top-ups.
 * A lookup takes the first held permit within its budget (waiting for its window on the scheduler, as with
 * one node) or fails at once. While the database cannot be reached a node grants itself its fallback
 * share, the limit ÷ the node count it last knew, never the whole.
 */
final class LeasedRateBudget implements RateBudget, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeasedRateBudget.class);

    private final String crm;
    private final int permits;
    private final long windowNanos;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Executor jdbc;
    private final RateLeases leases;
    private final IntSupplier liveNodes;
    private final TreeMap<Long, Lease> held = new TreeMap<>(); // guarded by this
    private int claimsUnderWay; // guarded by this
    private boolean fallingBack; // guarded by this
    private volatile boolean closed;

    /** What this node holds of one window. */
    private static final class Lease {
        int granted;
        int used;
        boolean toppingUp;
        boolean dry; // a top-up got less than it asked: nothing left in this window
        boolean fallback; // granted the fallback share once already
    }

    LeasedRateBudget(String crm, double perSecond, Clock clock, ScheduledExecutorService scheduler, Executor jdbc, RateLeases leases,
                     IntSupplier liveNodes) {
        this.crm = crm;
        this.permits = Math.max(1, (int) Math.floor(perSecond));
        this.windowNanos = (long) (permits / perSecond * 1_000_000_000L);
        this.clock = clock;
        this.scheduler = scheduler;
        this.jdbc = jdbc;
        this.leases = leases;
        this.liveNodes = liveNodes;
    }

    /** Leases the current and the next window, then one more at each window's start. */
    void start() {
        long now = now();
        long window = now / windowNanos;
        claim(window, share());
        tick(window);
    }

    @Override
    public long reserve(Duration within) {
        long now = now();
        long current = now / windowNanos;
        synchronized (this) {
            for (Map.Entry<Long, Lease> entry : held.tailMap(current, true).entrySet()) {
                long start = entry.getKey() * windowNanos;
                if (start - now > within.toNanos()) break;
                Lease lease = entry.getValue();
                if (lease.used < lease.granted) {
                    lease.used++;
                    if (entry.getKey() == current) topUpIfLow(current, lease);
                    return Math.max(0, start - now);
                }
            }
            Lease lease = held.get(current);
            if (lease != null) topUpIfLow(current, lease);
            return -1;
        }
    }

    /** Whether no claim is under way (tests wait for it before reading what is held). */
    synchronized boolean settled() {
        return claimsUnderWay == 0;
    }

    /** The permits this node holds of the window at {@code at}, and how many it used. */
    synchronized int[] heldAt(Instant at) {
        Lease lease = held.get(nanos(at) / windowNanos);
        return lease == null ? new int[] {0, 0} : new int[] {lease.granted, lease.used};
    }

    @Override
    public void close() {
        closed = true;
    }

    /** At the start of {@code window}: lease the next one, give back at half time, come back at the next start. */
    private void tick(long window) {
        if (closed) return;
        synchronized (this) {
            held.headMap(window - 1).clear();
        }
        claim(window + 1, share());
        long now = now();
        schedule(() -> giveBackSpare(window), window * windowNanos + windowNanos / 2 - now);
        schedule(() -> tick(window + 1), (window + 1) * windowNanos - now);
    }

    private void schedule(Runnable task, long delayNanos) {
        try {
            scheduler.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            closed = true;
        }
    }

    /** This node's share of a window: the limit ÷ live nodes, at least one permit (the row caps the total). */
    private int share() {
        return Math.max(1, permits / liveNodes.getAsInt());
    }

    private void topUpIfLow(long window, Lease lease) {
        int left = lease.granted - lease.used;
        if (lease.toppingUp || lease.dry || left > Math.max(1, lease.granted / 4)) return;
        lease.toppingUp = true;
        claim(window, share());
    }

    /** Halfway through: keeps as many as the first half used (at least one), gives the rest back; may top up again. */
    private void giveBackSpare(long window) {
        if (closed) return;
        int spare;
        synchronized (this) {
            Lease lease = held.get(window);
            if (lease == null) return;
            lease.dry = false; // the others give back now: worth asking again
            spare = lease.granted - lease.used - Math.max(1, lease.used);
            if (spare <= 0) return;
            lease.granted -= spare; // first here: never spend what is being given back
        }
        claim(window, -spare);
    }

    /** Claims {@code want} of {@code window} (negative: gives back) on the JDBC executor. */
    private void claim(long window, int want) {
        synchronized (this) {
            held.computeIfAbsent(window, ignored -> new Lease());
            claimsUnderWay++;
        }
        Runnable work = () -> {
            int granted;
            boolean failed = false;
            try {
                granted = leases.claim(crm, window, endOf(window), want, permits);
            } catch (Exception e) {
                granted = 0;
                failed = true;
                if (!fallingBack()) {
                    log.warn("crm {}: rate budget not leased ({}); this node keeps to {} of {} per window until the database answers",
                            LogText.safe(crm), e.getClass().getSimpleName(), fallbackShare(window), permits);
                }
            }
            settle(window, want, granted, failed);
        };
        try {
            jdbc.execute(work);
        } catch (RejectedExecutionException stopping) {
            settle(window, want, 0, true);
        }
    }

    private synchronized void settle(long window, int want, int granted, boolean failed) {
        claimsUnderWay--;
        Lease lease = held.get(window);
        if (lease == null) return; // the window is long past
        if (want < 0) return; // given back: already taken off what is held
        lease.toppingUp = false;
        if (failed) {
            if (!lease.fallback) { // once per window, and never on top of what the database granted
                lease.fallback = true;
                lease.granted = Math.max(lease.granted, fallbackShare(window));
            }
            return;
        }
        if (fallingBack) log.info("crm {}: rate budget leased again", LogText.safe(crm));
        fallingBack = false;
        lease.granted += granted;
        if (granted < want) lease.dry = true;
    }

    private synchronized boolean fallingBack() {
        boolean was = fallingBack;
        fallingBack = true;
        return was;
    }

    /** The limit ÷ the last known node count, spread so windows add up to it: 10 over 3 nodes is 3, 3, 4, 3, 3, 4. */
    private int fallbackShare(long window) {
        long nodes = liveNodes.getAsInt();
        return (int) (Math.floorDiv(permits * (window + 1), nodes) - Math.floorDiv(permits * window, nodes));
    }

    private Instant endOf(long window) {
        long end = (window + 1) * windowNanos;
        return Instant.ofEpochSecond(Math.floorDiv(end, 1_000_000_000L), Math.floorMod(end, 1_000_000_000L));
    }

    private long now() {
        return nanos(clock.instant());
    }

    private static long nanos(Instant at) {
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }
}
