package io.crmroute.action;

import io.crmroute.crm.WriteKind;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How one action ended, for the log, the metrics and the audit: the record written (its id), or why not, and
 * after how many attempts.
 */
public record ActionRecord(Instant time, String uniqueid, String route, String crm, WriteKind kind, String object,
                           Optional<String> recordId, Result result, int attempts, Optional<String> error) {

    /** written: the CRM has the record; failed: it refused, or a retry could make a second record; gave_up: out of time; dropped: the queue was full. */
    public enum Result {
        WRITTEN, FAILED, GAVE_UP, DROPPED;

        /** As in metrics and the audit: {@code written}, {@code failed}, {@code gave_up}, {@code dropped}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ActionRecord {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(result, "result");
        recordId = recordId == null ? Optional.empty() : recordId;
        error = error == null ? Optional.empty() : error;
    }

    /** {@code create}, {@code update}, {@code log-call}. */
    public String kindLabel() {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
