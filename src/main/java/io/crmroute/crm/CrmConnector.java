package io.crmroute.crm;

import java.util.List;
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
     * completing it with a {@link java.util.concurrent.TimeoutException} when its budget ends (the CRM
     * was too slow for it: the breaker counts that) or by cancelling it ({@code cancel(false)}) when it
     * hangs up (which says nothing about the CRM); nothing else is touched. Identical lookups in flight share one CRM request ({@link CrmConnectors#create}), never
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

    /**
     * The objects the CRM user may use, from the vendor's own metadata API (for {@code crmroute fields},
     * {@code check --online} and the console's choices). Never throws: a failure, or a CRM without a
     * schema ({@link CrmException.Kind#UNSUPPORTED}, e.g. the custom {@code http} CRM), completes the
     * future exceptionally with a {@link CrmException}.
     */
    default CompletableFuture<List<CrmObject>> objects() {
        return CompletableFuture.failedFuture(new CrmException(CrmException.Kind.UNSUPPORTED, "crm " + name() + ": has no schema to list"));
    }

    /**
     * The fields of {@code object} the CRM user may see, from the vendor's metadata API; an object the CRM
     * does not know fails with {@link CrmException.Kind#HTTP_STATUS} or {@link CrmException.Kind#CONFIG}
     * naming it. Never throws, as {@link #objects()}.
     */
    default CompletableFuture<List<CrmField>> fields(String object) {
        return CompletableFuture.failedFuture(new CrmException(CrmException.Kind.UNSUPPORTED, "crm " + name() + ": has no schema to list"));
    }

    /**
     * Drops whatever objects and fields are kept from earlier calls, so the next {@link #objects()} and
     * {@link #fields(String)} ask the CRM again (the admin added a field a moment ago). Bare connectors keep
     * nothing; {@link CrmConnectors#create} keeps answers a few minutes.
     */
    default void forgetSchema() {}

    /**
     * Writes {@code request}'s record (create, update, log the call). Never throws: a failure completes the
     * future exceptionally with a {@link CrmException} (one line, masked; {@link CrmException.Kind#UNSUPPORTED}
     * for a kind this connector does not do). A connector that writes also answers {@link #writeKinds} and
     * {@link #retrySafe}; callers (the action queue) retry a failure only when it is
     * {@linkplain CrmException#worthRetrying worth retrying} and the write is retry-safe.
     */
    default CompletableFuture<WriteResult> write(WriteRequest request) {
        return CompletableFuture.failedFuture(new CrmException(CrmException.Kind.UNSUPPORTED,
                "crm " + name() + ": cannot " + WriteKind.of(request.write()).name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')));
    }

    /** The kinds of write {@link #write} does; {@code check} names an action this CRM cannot do. */
    default java.util.Set<WriteKind> writeKinds() {
        return java.util.Set.of();
    }

    /**
     * Whether sending {@code write} again after a failure that left its outcome unknown (a timeout, a 5xx)
     * can never make a second record: an update always; a create or call log when the vendor has an
     * idempotency key or a client-chosen id, or {@code keyField} names where the call key is kept (an
     * upsert, or a lookup before the create). The action queue retries only retry-safe writes after such a
     * failure, and {@code check} warns of an action that is not.
     */
    default boolean retrySafe(CrmWrite write) {
        return write instanceof CrmWrite.Update;
    }

    /**
     * Whether the CRM takes object and field names in any case ({@code phone} for {@code Phone}), as
     * Salesforce's SOQL does; {@code check --online} then compares names ignoring case.
     */
    default boolean namesIgnoreCase() {
        return false;
    }
}
