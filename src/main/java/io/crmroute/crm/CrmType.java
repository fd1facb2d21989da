package io.crmroute.crm;

import java.util.Arrays;
import java.util.Optional;

/** The CRM kinds crmroute speaks to, by the name used in {@code type:}. */
public enum CrmType {
    FILE, HTTP, SALESFORCE, HUBSPOT, DYNAMICS, PIPEDRIVE, ZENDESK, ZOHO, SUGARCRM, SUITECRM, VTIGER, BULLHORN;

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Optional<CrmType> byId(String id) {
        return Arrays.stream(values()).filter(t -> t.id().equals(id)).findFirst();
    }
}
