package io.crmroute.action;

import io.crmroute.crm.CrmConnector;
import io.crmroute.logging.LogText;
import io.crmroute.logging.RepeatedWarning;
import io.crmroute.store.OutboxTable;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Async actions made durable: with a database, {@link #offer} adds each as a row of the outbox (batched on the
 * store's executor; the call never waits) and the {@link OutboxWorker} of every live node writes the rows, each
 * once, even when the node that took the call dies. A row the database does not take (it is down) goes to this
 * node's in-memory {@link ActionQueue} instead, said in a log line and counted, so nothing is lost while the node
 * lives.
 */
public final class Outbox implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    private final OutboxTable table;
    private final OutboxWorker worker;
    private final ActionQueue fallback;
    private final Set<String> crms;
    private final ActionQueue.Time time;
    private final AtomicLong fallbacks = new AtomicLong();
    private final RepeatedWarning fallbackWarning;

    private Outbox(OutboxTable table, OutboxWorker worker, ActionQueue fallback, Set<String> crms, ActionQueue.Time time) {
        this.table = table;
        this.worker = worker;
        this.fallback = fallback;
        this.crms = crms;
        this.time = time;
        this.fallbackWarning = new RepeatedWarning(log, Duration.ofSeconds(10), time.nanoTime());
    }

    /** Starts this node's worker ({@code node} names its claims) on {@code crms}; {@code fallback} takes what the database does not. */
    public static Outbox start(OutboxTable table, String node, Map<String, CrmConnector> crms, OutboxWorker.Options options,
                               ActionQueue.Time time, ActionListener listener, ActionQueue fallback) {
        OutboxWorker worker = new OutboxWorker(table, node, crms, options, time, listener).start();
        return new Outbox(table, worker, fallback, Set.copyOf(crms.keySet()), time);
    }

    /** Adds {@code action} to the outbox; returns at once, whatever the database's state. */
    public void offer(ActionQueue.Queued action) {
        if (!crms.contains(action.crm())) {
            fallback.offer(action); // the queue records it failed: no such CRM
            return;
        }
        Instant now = time.clock().instant();
        table.add(new OutboxTable.NewRow(UUID.randomUUID(), action.crm(), action.route(), action.uniqueid(), action.write().callKey(),
                WriteJson.write(action.write()), now, now.plus(action.retryFor())), row -> keepHere(action));
    }

    private void keepHere(ActionQueue.Queued action) {
        fallbacks.incrementAndGet();
        fallbackWarning.warn("outbox: database not reached; action on call {} of route {} kept in this node's memory queue"
                + " (lost if this node stops before it is written)", LogText.safe(action.uniqueid()), LogText.safe(action.route()));
        fallback.offer(action);
    }

    /** Actions the database did not take, kept in this node's memory queue instead. */
    public long fallbacks() {
        return fallbacks.get();
    }

    /** Rows not ended yet, on any node, as the last poll counted them. */
    public long pending() {
        return worker.pending();
    }

    /**
     * Inserts (or hands to the memory queue) what was offered, lets this node's writes under way end within
     * {@code drain}, then releases its rows to the other nodes. Close the memory queue after this.
     */
    public void close(Duration drain) {
        table.flush(drain);
        worker.close(drain);
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }
}
