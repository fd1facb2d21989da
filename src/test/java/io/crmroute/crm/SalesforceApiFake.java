package io.crmroute.crm;

import io.crmroute.crm.FakeCrmServer.Reply;
import java.util.Map;

/**
 * A Salesforce org for connector tests: {@code api} answers a script of replies (and records what it was
 * asked), {@code login} hands out the token {@code tok-1} naming {@code api} as its instance_url.
 */
final class SalesforceApiFake implements AutoCloseable {

    final FakeCrmServer api;
    final FakeCrmServer login;

    SalesforceApiFake(Reply... replies) throws Exception {
        api = new FakeCrmServer(replies);
        login = new FakeCrmServer(Reply.json("{\"access_token\": \"tok-1\", \"instance_url\": \"" + api.url("") + "\", \"token_type\": \"Bearer\"}"));
    }

    /** A connector {@code sf} on this org (http allowed: the fakes are on 127.0.0.1). */
    CrmConnector connector(CrmContext context) {
        return CrmConnectors.create(TestCrms.spec("sf", SalesforceCrm.TYPE, Map.of("base-url", login.url(""), "allow-insecure", "true",
                "auth.client-id", "3MVG9-client", "auth.client-secret", "secret")), context);
    }

    @Override
    public void close() {
        api.close();
        login.close();
    }
}
