package io.crmroute.crm;

import java.util.Objects;

/**
 * One field of a {@link CrmObject} as the CRM's metadata API lists it for the configured CRM user.
 *
 * @param name       the API name a route's {@code match.field}, {@code field} and {@code retrieve} take
 * @param label      what the CRM's screens call it, or the name when the CRM gives no label
 * @param type       the vendor's own type name (string, phone, picklist, ...), as it says it
 * @param filterable whether a lookup may match on it (the vendor's own flag where it has one, e.g.
 *                   Salesforce {@code filterable}; true where the vendor has no such flag)
 * @param readable   whether the CRM user may read it (false where the vendor lists fields the user cannot
 *                   read; vendors that leave those out list only readable ones)
 */
public record CrmField(String name, String label, String type, boolean filterable, boolean readable) {

    public CrmField {
        Objects.requireNonNull(name, "name");
        label = label == null || label.isBlank() ? name : label;
        type = type == null ? "" : type;
    }
}
