package io.crmroute.store;

/** The local route store could not write its file; nothing was changed. */
public final class LocalStoreException extends RuntimeException {

    public LocalStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
