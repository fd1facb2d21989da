package io.crmroute.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One write action as audited ({@code crm_action}): which call and route it was for, what it wrote to which
 * CRM, and how it ended ({@code written}, {@code failed}, {@code gave_up}, {@code dropped}) after how many
 * attempts. {@code id} is made when the row is recorded and makes the write idempotent; text is bounded here.
 */
public record ActionRow(UUID id, Instant time, String uniqueid, String route, String crm, String kind, String object,
                        Optional<String> recordId, String result, int attempts, Optional<String> error) {

    public ActionRow {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(time, "time");
        uniqueid = DecisionRow.bound(uniqueid, DecisionRow.MAX_TEXT);
        route = DecisionRow.bound(route, DecisionRow.MAX_TEXT);
        crm = DecisionRow.bound(crm, DecisionRow.MAX_TEXT);
        kind = DecisionRow.bound(kind, DecisionRow.MAX_TEXT);
        object = DecisionRow.bound(object, DecisionRow.MAX_TEXT);
        recordId = recordId == null ? Optional.empty() : recordId.map(text -> DecisionRow.bound(text, DecisionRow.MAX_TEXT));
        result = DecisionRow.bound(result, DecisionRow.MAX_TEXT);
        error = error == null ? Optional.empty() : error.map(text -> DecisionRow.bound(text, DecisionRow.MAX_ERROR));
    }

    public static ActionRow of(Instant time, String uniqueid, String route, String crm, String kind, String object,
                               Optional<String> recordId, String result, int attempts, Optional<String> error) {
        return new ActionRow(UUID.randomUUID(), time, uniqueid, route, crm, kind, object, recordId, result, attempts, error);
    }
}
