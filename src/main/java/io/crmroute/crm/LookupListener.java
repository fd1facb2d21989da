package io.crmroute.crm;

import java.time.Duration;
import java.util.Optional;

/**
 * Told of every lookup a connector answered, so metrics can keep a latency histogram without this
 * package depending on a metrics library. Called on the thread that completed the lookup: keep it cheap.
 */
@FunctionalInterface
public interface LookupListener {

    LookupListener NONE = (crm, elapsed, failure, fromCache) -> {};

    /**
     * @param fromCache true when this lookup sent no CRM request of its own (a cached answer, or one
     *                  shared with an identical lookup already in flight)
     */
    void onLookup(String crm, Duration elapsed, Optional<CrmException> failure, boolean fromCache);
}
