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
    private final int status;

    public CrmException(Kind kind, String message) {
        this(kind, message, 0);
    }

    /** A failure the CRM answered with HTTP {@code status} (0: no status, the exchange itself failed). */
    public CrmException(Kind kind, String message, int status) {
        super(message, null, false, false);
        this.kind = kind;
        this.status = status;
    }

    public CrmException(Kind kind, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
        this.status = 0;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status the CRM answered, or 0 when the failure had none (timeout, refused connection...). */
    public int status() {
        return status;
    }

    /** The same failure (kind and status) told with {@code message}, e.g. with the vendor's error code added. */
    public CrmException withMessage(String message) {
        return new CrmException(kind, message, status);
    }

    /**
     * Whether the CRM may have carried out the request although it failed here: it may have received it and its
     * answer was lost (a timeout, a connection that failed under it) or it failed midway on its side (5xx, 408). A
     * request refused before it was sent (circuit open, rate limit, DNS) or refused as a whole (credentials, 429, any
     * other 4xx) did nothing, so even a write that is not retry-safe may be sent again after it.
     */
    public boolean mayHaveBeenDone() {
        return switch (kind) {
            case TIMEOUT, CONNECT, BAD_RESPONSE -> true; // BAD_RESPONSE: it answered, in a shape we could not read
            case HTTP_STATUS -> status == 0 || status >= 500 || status == 408;
            case DNS, AUTH, RATE_LIMITED, CIRCUIT_OPEN, CONFIG, UNSUPPORTED -> false;
        };
    }

    /**
     * Whether sending the same request again may succeed: the CRM did not answer, was busy, refused the
     * credentials (a token is fetched again) or failed on its side (5xx). A request it refused as given
     * (other 4xx), a config problem or an unsupported operation fails the same way every time, so a
     * write action is not retried after those.
     */
    public boolean worthRetrying() {
        return switch (kind) {
            case TIMEOUT, CONNECT, DNS, AUTH, RATE_LIMITED, CIRCUIT_OPEN -> true;
            case HTTP_STATUS -> status == 0 || status >= 500 || status == 408;
            case BAD_RESPONSE, CONFIG, UNSUPPORTED -> false;
        };
    }
}
