package io.crmroute.store;

/** The database cannot be reached (or is not migrated yet); the caller should answer 503 or try later. */
public final class DatabaseUnavailableException extends RuntimeException {

    public DatabaseUnavailableException(String message) {
        super(message);
    }
}
