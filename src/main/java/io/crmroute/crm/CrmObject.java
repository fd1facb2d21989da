package io.crmroute.crm;

import java.util.Objects;

/**
 * One object (Salesforce sObject, HubSpot object type, Dataverse entity, Zoho module...) as the CRM's
 * own metadata API lists it for the configured CRM user.
 *
 * @param name  the API name a route's {@code object:} takes
 * @param label what the CRM's screens call it, or the name when the CRM gives no label
 */
public record CrmObject(String name, String label) {

    public CrmObject {
        Objects.requireNonNull(name, "name");
        label = label == null || label.isBlank() ? name : label;
    }
}
