package io.crmroute.crm;


/** The package's entry point: one ready connector per configured CRM. */
public final class CrmConnectors {

    private CrmConnectors() {}

    /**
     * The connector for {@code spec}, wrapped in single-flight, cache, rate limit and circuit
     * breaker. Every setting was read and checked at load ({@link CrmType#read}), so building a
     * connector cannot fail on its config.
     */
    public static CrmConnector create(CrmSpec spec, CrmContext context) {
        return new ResilientConnector(connectorFor(spec, context), spec, context);
    }

    /** The bare connector of the spec's type. */
    static CrmConnector connectorFor(CrmSpec spec, CrmContext context) {
        return spec.type().connect(spec, context);
    }
}
