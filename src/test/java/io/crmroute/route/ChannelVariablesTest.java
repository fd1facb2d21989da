package io.crmroute.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.crmroute.crm.CrmRecord;
import io.crmroute.crm.LookupResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    void aRecordASyncActionMadeIsNamedByItsObjectAndMadeSafeForTheDialplan() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("CRM_Lead_ID", "00Q1%2CHANGUP%0A");
        expected.put("CRM_Lead_URL", "https://acme.lightning.force.com/lightning/r/Lead/00Q1/view");
        assertEquals(expected, ChannelVariables.ofWritten("Lead", "00Q1,HANGUP\n",
                Optional.of("https://acme.lightning.force.com/lightning/r/Lead/00Q1/view")));
        assertEquals(Map.of("CRM_ns__Call_Log__c_ID", "a01"), ChannelVariables.ofWritten("ns__Call.Log__c", "a01", Optional.empty()));
    }

    @Test
    void aRecordsIdAndPageFollowItsFieldsForAScreenPop() {
        CrmRecord record = new CrmRecord(Map.of("status", "GOLD"), Optional.of("003A"),
                Optional.of("https://acme.lightning.force.com/lightning/r/Contact/003A/view"));
        Decision decision = Router.decide(Routes.vip(1), "", new LookupOutcome.Found(LookupResult.of(List.of(record))));
        Map<String, String> variables = ChannelVariables.of(decision);
        assertEquals("003A", variables.get("CRM_contacts_ID"));
        assertEquals("https://acme.lightning.force.com/lightning/r/Contact/003A/view", variables.get("CRM_contacts_URL"));
        assertEquals(List.of("CRM_contacts_status", "CRM_contacts_balance", "CRM_contacts_ID", "CRM_contacts_URL", "CRM_contacts_RECORD_COUNT"),
                variables.keySet().stream().filter(name -> name.startsWith("CRM_")).toList());
    }

    @Test
    void aHostileIdOrPageCannotAddArgumentsOrAmiHeadersWhereTheDialplanHandsItOn() {
        // UserEvent(CrmPop,url: ${CRM_contacts_URL},id: ${CRM_contacts_ID}) splits its arguments after substitution
        CrmRecord record = new CrmRecord(Map.of("status", "GOLD"), Optional.of("7,Channel: PJSIP/ceo"),
                Optional.of("https://crm.example.com/p?a=1,b)\"x y"));
        Map<String, String> variables = ChannelVariables.of(Router.decide(Routes.vip(1), "",
                new LookupOutcome.Found(LookupResult.of(List.of(record)))));
        assertEquals("7%2CChannel:%20PJSIP/ceo", variables.get("CRM_contacts_ID"));
        assertEquals("https://crm.example.com/p?a=1%2Cb%29%22x%20y", variables.get("CRM_contacts_URL"));
    }

    @Test
    void severalRecordsNumberTheirIdsAndPagesAndLeaveUnknownOnesUnset() {
        Decision decision = Router.decide(Routes.vip(3), "", new LookupOutcome.Found(LookupResult.of(List.of(
                new CrmRecord(Map.of("status", "GOLD"), Optional.of("1"), Optional.of("https://crm.example.com/contacts/1")),
                new CrmRecord(Map.of("status", "SILVER"), Optional.of("2\r\nHANGUP"), Optional.empty())))));
        Map<String, String> variables = ChannelVariables.of(decision);
        assertEquals("1", variables.get("CRM_contacts_ID_01"));
        assertEquals("https://crm.example.com/contacts/1", variables.get("CRM_contacts_URL_01"));
        assertEquals("2%0D%0AHANGUP", variables.get("CRM_contacts_ID_02"), "an id from the wire stays on one line");
        assertFalse(variables.containsKey("CRM_contacts_URL_02"), "no page, no variable");
        assertFalse(variables.containsKey("CRM_contacts_ID"), "numbered, not bare, when several are retrieved");
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
