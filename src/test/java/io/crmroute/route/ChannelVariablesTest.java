package io.crmroute.route;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crmroute.crm.CrmRecord;
import io.crmroute.crm.LookupResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannelVariablesTest {

    @Test
    void aMatchSetsTheDestinationAndEachRetrievedField() {
        Decision decision = Router.decide(Routes.vip(1), "42",
                new LookupOutcome.Found(LookupResult.of(List.of(new CrmRecord(Map.of("status", "GOLD", "balance", "12.50"))))));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("CRMROUTE_STATUS", "MATCH");
        expected.put("CRMROUTE_TYPE", "queue");
        expected.put("CRMROUTE_DEST", "103");
        expected.put("CRMROUTE_VOICEMAIL", "no");
        expected.put("CRMROUTE_RULE", "gold");
        expected.put("CRMROUTE_VALUE", "GOLD");
        expected.put("CRMROUTE_DIGITS", "42");
        expected.put("CRM_contacts_status", "GOLD");
        expected.put("CRM_contacts_balance", "12.50");
        expected.put("CRM_contacts_RECORD_COUNT", "1");
        assertEquals(List.copyOf(expected.entrySet()), List.copyOf(ChannelVariables.of(decision).entrySet()));
    }

    @Test
    void severalRecordsAreNumberedFromZeroOne() {
        Decision decision = Router.decide(Routes.vip(3), "", new LookupOutcome.Found(LookupResult.of(List.of(
                new CrmRecord(Map.of("status", "GOLD", "balance", "1")),
                new CrmRecord(Map.of("status", "SILVER"))))));
        Map<String, String> variables = ChannelVariables.of(decision);
        assertEquals("GOLD", variables.get("CRM_contacts_status_01"));
        assertEquals("SILVER", variables.get("CRM_contacts_status_02"));
        assertEquals("", variables.get("CRM_contacts_balance_02"), "a missing field is set empty");
        assertEquals("2", variables.get("CRM_contacts_RECORD_COUNT"));
    }

    @Test
    void anErrorSetsOnlyStatusAndReason() {
        assertEquals(Map.of("CRMROUTE_STATUS", "ERROR", "CRMROUTE_ERROR", "unknown route: nope"),
                ChannelVariables.of(Decision.error("nope", "", "unknown route: nope")));
    }

    @Test
    void aHangUpSetsStatusRuleAndTheDigitsPressedOnly() {
        Decision decision = Router.decide(Routes.vip(1), "0042", new LookupOutcome.HungUp());
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("CRMROUTE_STATUS", "HANGUP");
        expected.put("CRMROUTE_RULE", "hangup");
        expected.put("CRMROUTE_DIGITS", "0042");
        assertEquals(List.copyOf(expected.entrySet()), List.copyOf(ChannelVariables.of(decision).entrySet()));
    }

    @Test
    void namesAndValuesAreMadeSafeForTheDialplan() {
        assertEquals("Custom_Field__c", ChannelVariables.name("Custom.Field__c"));
        assertEquals("a_b_c", ChannelVariables.name("a b-c"));
        assertEquals("line one line two", ChannelVariables.value("line one\nline two"));
        assertEquals(ChannelVariables.MAX_VALUE_LENGTH, ChannelVariables.value("x".repeat(5000)).length());
    }
}
