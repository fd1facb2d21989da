package io.crmroute.crm;

import java.time.Duration;

/**
 * A CRM's {@code rate-limit} as lookups meet it: each lookup reserves a turn, waits for it on the
 * scheduler, or fails at once when its turn would come after its budget. One node keeps the whole
 * budget ({@link #local}); several nodes sharing one CRM account lease slices of it (the cluster
 * package), so the account never sees more than its limit.
 */
public interface RateBudget {

    /** Nanoseconds until the turn reserved now; or -1, nothing reserved, when the turn would come after {@code within}. */
    long reserve(Duration within);

    /** The whole budget on this node, as before there were several. */
    static RateBudget local(String crm, double perSecond) {
        return new LocalRateBudget(crm, perSecond);
    }
}
