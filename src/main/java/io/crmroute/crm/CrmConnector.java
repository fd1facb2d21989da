package io.crmroute.crm;

import java.util.concurrent.CompletableFuture;

/**
 * One configured CRM. {@link #lookup} never throws: a failure completes the future exceptionally
 * with a {@link CrmException} whose message is one line fit for a channel variable.
 */
public interface CrmConnector extends AutoCloseable {

    /** The CRM's name under {@code crms:}. */
    String name();

    /**
     * Looks {@code request} up. The future returned is this caller's own: the caller leaves by
     * cancelling it ({@code cancel(false)}) when its budget ends or it hangs up; nothing else is
     * touched. Identical lookups in flight share one CRM request ({@link CrmConnectors#create}), never
     * a deadline: the shared request lives while at least one of its callers still waits, and at most
     * the CRM's {@code timeout}; when its last caller has left it is cancelled, down to its HTTP
     * exchange. A caller that never cancels gets an answer or a failure within the CRM's
     * {@code timeout} (plus a rate-limit wait of at most its own budget).
     */
    CompletableFuture<LookupResult> lookup(LookupRequest request);

    /** Health as last seen by calls; connectors that do not track it answer {@link CrmHealth#unknown}. */
    default CrmHealth health() {
        return CrmHealth.unknown(name());
    }

    @Override
    default void close() {}

    /**
     * Whether requests carry the call's digits and caller ID besides the match value (only the custom
     * {@code http} CRM sends them): lookups are shared and cached by what is sent, so for every other
     * connector two callers asking for the same value share one request.
     */
    default boolean sendsCallData() {
        return false;
    }
}
