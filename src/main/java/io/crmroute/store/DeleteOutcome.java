package io.crmroute.store;

/** What a delete of a route came to. */
public enum DeleteOutcome {
    DELETED,
    NOT_FOUND,
    /** The route is no longer at the version the writer read; nothing was deleted. */
    STALE
}
