package io.crmroute.crm;

import java.util.List;
import java.util.Optional;

/** Every CRM type crmroute speaks to: the one list a new connector's {@code TYPE} is added to. */
public final class CrmTypes {

    private static final List<CrmType<?>> ALL = List.of(
            FileCrm.TYPE, HttpCrm.TYPE, SalesforceCrm.TYPE, HubSpotCrm.TYPE, DynamicsCrm.TYPE, PipedriveCrm.TYPE,
            ZendeskCrm.TYPE, ZohoCrm.TYPE, SugarCrm.TYPE, SuiteCrm.TYPE, VtigerCrm.TYPE, BullhornCrm.TYPE);

    private CrmTypes() {}

    public static List<CrmType<?>> all() {
        return ALL;
    }

    public static Optional<CrmType<?>> byId(String id) {
        return ALL.stream().filter(type -> type.id().equals(id)).findFirst();
    }

    /** The type named {@code id}; {@link IllegalArgumentException} when there is none. */
    public static CrmType<?> named(String id) {
        return byId(id).orElseThrow(() -> new IllegalArgumentException("no CRM type " + id));
    }
}
