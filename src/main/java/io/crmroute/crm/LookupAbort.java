package io.crmroute.crm;

import java.util.concurrent.CompletableFuture;

/**
 * Fired once when nobody waits for a lookup's answer any more (every caller left, or the CRM's
 * timeout passed): an HTTP exchange under way is aborted, its connection closed, so a stalled CRM cannot
 * hold a connection for a call that has moved on; a request waiting out a Retry-After is not sent when
 * its wait ends (the wait itself is only a timer). Only this package
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
