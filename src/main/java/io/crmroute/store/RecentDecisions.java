package io.crmroute.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The last decisions kept in memory, for a server without a database: {@code /api/decisions} answers
 * from here with the same filters, and history starts again at each restart. The oldest row leaves
 * when a new one comes to a full buffer.
 */
public final class RecentDecisions implements DecisionHistory {

    public static final int DEFAULT_CAPACITY = 10_000;

    private final int capacity;
    /** Oldest first. */
    private final ArrayDeque<DecisionRow> rows;

    public RecentDecisions(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity: " + capacity + " (expected: at least 1)");
        this.capacity = capacity;
        this.rows = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    public int capacity() {
        return capacity;
    }

    /** Keeps the row, dropping the oldest when full; never blocks for long, never throws. */
    public void record(DecisionRow row) {
        if (row == null) return;
        synchronized (rows) {
            if (rows.size() == capacity) rows.pollFirst();
            rows.addLast(row);
        }
    }

    @Override
    public CompletableFuture<List<DecisionRow>> query(DecisionFilter filter) {
        List<DecisionRow> found = new ArrayList<>();
        synchronized (rows) {
            for (DecisionRow row : rows) if (passes(filter, row)) found.add(row);
        }
        // Rows come in the order their calls ended, the answer is by decision time as the database's: sort all
        // that pass before cutting, or a long call that started first would push a later one off the page.
        found.sort((a, b) -> b.time().compareTo(a.time()));
        return CompletableFuture.completedFuture(found.size() > filter.limit() ? List.copyOf(found.subList(0, filter.limit())) : found);
    }

    private static boolean passes(DecisionFilter filter, DecisionRow row) {
        return filter.caller().map(row.caller()::equals).orElse(true)
                && filter.route().map(row.route()::equals).orElse(true)
                && filter.status().map(row.status()::equals).orElse(true)
                && filter.from().map(from -> !row.time().isBefore(from)).orElse(true)
                && filter.to().map(row.time()::isBefore).orElse(true);
    }
}
