package io.crmroute.crm;

import java.util.concurrent.CompletableFuture;

/**
 * Fired once when nobody waits for a lookup's answer any more (every caller left, or the CRM's
 * timeout passed): whatever the lookup still has under way, an HTTP exchange or a Retry-After wait,
 * stops, so a stalled CRM cannot hold a connection for a call that has moved on. Only this package
 * fires it ({@code ResilientConnector}); connectors read it through their {@link LookupRequest}.
 */
public final class LookupAbort {

    /** Never fires: requests outside a shared lookup (token fetches, bare connectors). */
    public static final LookupAbort NEVER = new LookupAbort(null);

    private final CompletableFuture<Void> fired; // null for NEVER, so it keeps no listeners

    private LookupAbort(CompletableFuture<Void> fired) {
        this.fired = fired;
    }

    static LookupAbort create() {
        return new LookupAbort(new CompletableFuture<>());
    }

    public boolean isFired() {
        return fired != null && fired.isDone();
    }

    /** Runs {@code action} when this fires, at once if it already has. */
    void onFire(Runnable action) {
        if (fired != null) fired.thenRun(action);
    }

    void fire() {
        if (fired != null) fired.complete(null);
    }
}
