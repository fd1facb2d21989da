package io.crmroute.crm;

/**
 * What the nodes serving one CRM account share: its rate budget and its credentials. {@link #LOCAL}
 * shares nothing (one node); with a database, the cluster package shares both through PostgreSQL.
 */
public interface CrmSharing {

    /** The budget of {@code perSecond} lookups for the CRM named {@code crm}. */
    RateBudget rateBudget(String crm, double perSecond);

    /** Where the CRM named {@code crm} keeps its credential. */
    TokenStore tokenStore(String crm);

    CrmSharing LOCAL = new CrmSharing() {
        @Override
        public RateBudget rateBudget(String crm, double perSecond) {
            return RateBudget.local(crm, perSecond);
        }

        @Override
        public TokenStore tokenStore(String crm) {
            return TokenStore.inMemory();
        }
    };
}
