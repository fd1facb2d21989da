package io.crmroute.crm;

import java.util.Optional;

/** What connectors read alike off a {@link CrmWrite}: where the call key is kept, and the call described in words. */
final class CrmWrites {

    private CrmWrites() {}

    /** The field that holds the call key of a create or call log; an update has none. */
    static Optional<String> keyField(CrmWrite write) {
        if (write instanceof CrmWrite.Create create) return create.keyField();
        if (write instanceof CrmWrite.LogCall call) return call.keyField();
        return Optional.empty();
    }

    /**
     * {@link CrmConnector#retrySafe} of a vendor without idempotency key or client-chosen id: an update always, a create
     * or call log when a key field holds the call key (the vendor upserts on it, or the connector looks it up first).
     */
    static boolean safeWithKeyField(CrmWrite write) {
        return write instanceof CrmWrite.Update || keyField(write).isPresent();
    }

    /** {@code Inbound call from CALLER to DNID (Asterisk uniqueid ID)}, the note a call log carries where the vendor has no field for these. */
    static String describe(CrmWrite.CallFacts call) {
        return "Inbound call from " + call.callerId() + (call.dnid().isEmpty() ? "" : " to " + call.dnid())
                + " (Asterisk uniqueid " + call.uniqueid() + ")";
    }
}
