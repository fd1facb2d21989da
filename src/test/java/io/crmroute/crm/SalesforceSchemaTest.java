package io.crmroute.crm;

import io.crmroute.crm.FakeCrmServer.Reply;
import io.crmroute.crm.TestCrms.FakeClock;
import io.crmroute.crm.TestCrms.FakeTicker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.crmroute.crm.TestCrms.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Salesforce's describeGlobal and sObject describe, as documented (REST v61.0), faked on 127.0.0.1. */
class SalesforceSchemaTest {

    static final String SOBJECTS = """
            {"encoding": "UTF-8", "maxBatchSize": 200, "sobjects": [
              {"name": "Account", "label": "Account", "labelPlural": "Accounts", "keyPrefix": "001", "custom": false,
               "createable": true, "updateable": true, "queryable": true, "searchable": true,
               "urls": {"describe": "/services/data/v61.0/sobjects/Account/describe"}},
              {"name": "Contact", "label": "Contact", "queryable": true, "custom": false},
              {"name": "Vip__c", "label": "VIP", "queryable": true, "custom": true},
              {"name": "AccountChangeEvent", "label": "Account Change Event", "queryable": false}]}""";
    static final String CONTACT = """
            {"name": "Contact", "label": "Contact", "fields": [
              {"name": "Id", "label": "Contact ID", "type": "id", "filterable": true, "createable": false},
              {"name": "Phone", "label": "Business Phone", "type": "phone", "filterable": true, "createable": true,
               "updateable": true, "externalId": false},
              {"name": "Description", "label": "Contact Description", "type": "textarea", "filterable": false},
              {"name": "Tier__c", "label": "Tier", "type": "picklist", "filterable": true}]}""";

    private final CrmContext context = CrmContext.create(new FakeClock(), new FakeTicker());
    private SalesforceApiFake org;

    @AfterEach
    void tearDown() {
        if (org != null) org.close();
        context.close();
    }

    private CrmConnector salesforce(Reply... replies) throws Exception {
        if (org != null) org.close();
        org = new SalesforceApiFake(replies);
        return org.connector(context);
    }

    @Test
    void listsTheQueryableSObjectsAndAnObjectsFieldsWithTheirFilterableFlag() throws Exception {
        CrmConnector crm = salesforce(Reply.json(SOBJECTS), Reply.json(CONTACT));

        assertEquals(List.of(new CrmObject("Account", "Account"), new CrmObject("Contact", "Contact"), new CrmObject("Vip__c", "VIP")),
                crm.objects().get(5, TimeUnit.SECONDS));
        assertEquals(List.of(
                new CrmField("Id", "Contact ID", "id", true, true),
                new CrmField("Phone", "Business Phone", "phone", true, true),
                new CrmField("Description", "Contact Description", "textarea", false, true),
                new CrmField("Tier__c", "Tier", "picklist", true, true)), crm.fields("Contact").get(5, TimeUnit.SECONDS));

        assertEquals("/services/data/v61.0/sobjects/", org.api.seen().get(0).path());
        assertEquals("/services/data/v61.0/sobjects/Contact/describe", org.api.seen().get(1).path());
        assertEquals("Bearer tok-1", org.api.seen().get(1).header("Authorization"));
        assertEquals(1, org.login.seen().size(), "one token for both");
        assertTrue(crm.namesIgnoreCase(), "SOQL names are case-insensitive");
    }

    @Test
    void anUnknownSObjectIsAConfigFailureNamingIt() throws Exception {
        CrmConnector crm = salesforce(new Reply(404, "application/json",
                "[{\"errorCode\": \"NOT_FOUND\", \"message\": \"The requested resource does not exist\"}]", Map.of()));
        CrmException unknown = failure(crm.fields("Contakt"), CrmException.Kind.CONFIG);
        assertEquals("crm sf: no sObject Contakt the CRM user can see", unknown.getMessage());

        CrmException hostile = failure(crm.fields("Contact/../../limits"), CrmException.Kind.CONFIG);
        assertTrue(hostile.getMessage().contains("not an sObject name"), hostile.getMessage());
        assertEquals(1, org.api.seen().size(), "a name that is no sObject name is never sent");
    }

    @Test
    void aServerErrorIsAnHttpFailureWithItsErrorCode() throws Exception {
        CrmConnector crm = salesforce(new Reply(500, "application/json", "[{\"errorCode\": \"UNKNOWN_EXCEPTION\", \"message\": \"x\"}]", Map.of()));
        assertEquals("crm sf: HTTP 500: UNKNOWN_EXCEPTION", failure(crm.objects(), CrmException.Kind.HTTP_STATUS).getMessage());
    }
}
