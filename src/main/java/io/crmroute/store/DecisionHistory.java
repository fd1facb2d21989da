package io.crmroute.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Recorded call decisions read back: {@link DecisionLog} (PostgreSQL) or {@link RecentDecisions} (memory). */
public interface DecisionHistory {

    /** The decisions that pass the filter, newest first. */
    CompletableFuture<List<DecisionRow>> query(DecisionFilter filter);
}
