package io.crmroute.crm;


/** The package's entry point: one ready connector per configured CRM. */
public final class CrmConnectors {

    private CrmConnectors() {}

    /**
     * The connector for {@code spec}, wrapped in single-flight, cache, rate limit and circuit
     * breaker. Throws {@link IllegalArgumentException} when the CRM cannot be set up at all (a
     * missing records file); problems found per lookup fail the lookup with {@code Kind.CONFIG}.
     */
    public static CrmConnector create(CrmSpec spec, CrmContext context) {
        return new ResilientConnector(connectorFor(spec, context), spec, context);
    }

    /** The bare connector of the spec's type: one line per type. */
    static CrmConnector connectorFor(CrmSpec spec, CrmContext context) {
        return switch (spec.type()) {
            case FILE -> FileCrm.load(spec);
            case HTTP -> new HttpCrm(spec, context);
            case SALESFORCE -> new SalesforceCrm(spec, context);
            case DYNAMICS -> new DynamicsCrm(spec, context);
            case ZOHO -> new ZohoCrm(spec, context);
            case HUBSPOT -> new HubSpotCrm(spec, context);
            case PIPEDRIVE -> new PipedriveCrm(spec, context);
            case ZENDESK -> new ZendeskCrm(spec, context);
            case BULLHORN -> new BullhornCrm(spec, context);
            case SUGARCRM -> new SugarCrm(spec, context);
            case SUITECRM -> new SuiteCrm(spec, context);
            case VTIGER -> new VtigerCrm(spec, context);
        };
    }
}
