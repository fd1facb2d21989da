package io.crmroute.cli;

import io.crmroute.crm.CrmConnector;
import io.crmroute.crm.CrmConnectors;
import io.crmroute.crm.CrmContext;
import io.crmroute.crm.CrmSpec;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Connectors for a command that asks CRMs directly ({@code fields}, {@code check --online}), closed together. */
final class OpenCrms implements AutoCloseable {

    private final CrmContext context = CrmContext.create();
    private final Map<String, CrmConnector> connectors = new LinkedHashMap<>();

    OpenCrms(Collection<CrmSpec> specs) {
        for (CrmSpec spec : specs) connectors.put(spec.name(), CrmConnectors.create(spec, context));
    }

    Map<String, CrmConnector> connectors() {
        return connectors;
    }

    @Override
    public void close() {
        connectors.values().forEach(CrmConnector::close);
        context.close();
    }
}
