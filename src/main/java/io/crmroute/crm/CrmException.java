package io.crmroute.crm;

/**
 * An interface failure: the CRM could not answer the lookup. The message is one line, safe to show
 * a caller's dialplan and an operator's log (no secrets).
 */
public final class CrmException extends RuntimeException {

    /** Why the CRM did not answer. */
    public enum Kind {
        TIMEOUT, CONNECT, DNS, AUTH, RATE_LIMITED, HTTP_STATUS, BAD_RESPONSE, CIRCUIT_OPEN, CONFIG,
        /** The CRM has no such thing to offer, e.g. the custom {@code http} CRM has no schema to list. */
        UNSUPPORTED
    }

    private final Kind kind;

    public CrmException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public CrmException(Kind kind, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
