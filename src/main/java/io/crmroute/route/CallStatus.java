package io.crmroute.route;

/** The value of CRMROUTE_STATUS: which path a call took. */
public enum CallStatus {
    /** A rule held. */
    MATCH,
    /** A record was found and no rule held. */
    DEFAULT,
    /** No record was found (or there was no value to look up). */
    NOMATCH,
    /** Several records where the route wanted one. */
    MULTIPLE,
    /** The caller withheld the number the route matches on; no CRM was asked. */
    WITHHELD,
    /** The CRM could not answer in time or at all. */
    FAILED,
    /** A config or internal error: unknown route, broken config, a bug. */
    ERROR,
    /** The caller hung up before a decision; set for the {@code h} extension, no destination. */
    HANGUP
}
