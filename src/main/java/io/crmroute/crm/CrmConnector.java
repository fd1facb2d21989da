package io.crmroute.crm;

import java.util.concurrent.CompletableFuture;

/**
 * One configured CRM. {@link #lookup} never throws: a failure completes the future exceptionally
 * with a {@link CrmException} whose message is one line fit for a channel variable.
 */
public interface CrmConnector extends AutoCloseable {

    /** The CRM's name under {@code crms:}. */
    String name();

    CompletableFuture<LookupResult> lookup(LookupRequest request);

    /** Health as last seen by calls; connectors that do not track it answer {@link CrmHealth#unknown}. */
    default CrmHealth health() {
        return CrmHealth.unknown(name());
    }

    @Override
    default void close() {}
}
