package io.crmroute.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The load generator's judge: a right decision passes, anything else is named as wrong. */
class CallersTest {

    private static final String GOLD_CALLER = "15552000001";

    @Test
    void theExpectedDecisionPassesAndCrmFieldsAreIgnored() {
        Map<String, String> received = new HashMap<>(BenchRoutes.decide("GOLD", "0001"));
        received.put("CRM_contacts_RECORD_COUNT", "1");
        assertEquals(Map.of("CRMROUTE_STATUS", "MATCH", "CRMROUTE_TYPE", "queue", "CRMROUTE_DEST", "103",
                "CRMROUTE_VOICEMAIL", "no", "CRMROUTE_RULE", "gold", "CRMROUTE_VALUE", "GOLD", "CRMROUTE_DIGITS", "0001"),
                Variables.crmroute(received));
        assertTrue(Callers.check(GOLD_CALLER, false, false, false, received).isEmpty());
    }

    @Test
    void aWrongDestinationOrAMissingVariableIsAWrongAnswer() {
        Map<String, String> wrongDest = new HashMap<>(BenchRoutes.decide("GOLD", "0001"));
        wrongDest.put("CRMROUTE_DEST", "104");
        assertTrue(Callers.check(GOLD_CALLER, false, false, false, wrongDest).orElseThrow().contains("CRMROUTE_DEST"));

        Map<String, String> noDigits = new HashMap<>(BenchRoutes.decide("GOLD", "0001"));
        noDigits.remove("CRMROUTE_DIGITS");
        assertTrue(Callers.check(GOLD_CALLER, false, false, false, noDigits).isPresent());
        assertTrue(Callers.check(GOLD_CALLER, false, false, false, Map.of()).isPresent(), "no decision at all");
    }

    @Test
    void theFailurePathIsRightOnlyWhereTheCrmMayFail() {
        Map<String, String> failed = BenchRoutes.failed("0001", "connection refused");
        assertTrue(Callers.check(GOLD_CALLER, false, true, false, failed).isEmpty(), "CRM down");
        assertTrue(Callers.check(GOLD_CALLER, true, false, false, failed).isEmpty(), "flaky CRM");
        assertTrue(Callers.check(GOLD_CALLER, false, false, false, failed).isPresent(), "healthy CRM");
        assertTrue(Callers.check(GOLD_CALLER, false, true, false, BenchRoutes.decide("GOLD", "0001")).isPresent(),
                "a decision while the CRM is down");
    }

    @Test
    void aCallerWhoHungUpMayGetNoDecisionButNotAWrongOne() {
        assertTrue(Callers.check(GOLD_CALLER, false, false, true, Map.of()).isEmpty());
        assertTrue(Callers.check(GOLD_CALLER, false, false, true, BenchRoutes.decide("GOLD", "")).isEmpty());
        assertTrue(Callers.check(GOLD_CALLER, false, false, true, BenchRoutes.decide("SILVER", "0001")).isPresent());
    }

    @Test
    void commandLinesSplitAsAsteriskDoes() {
        assertEquals(List.of("SET", "VARIABLE", "CRMROUTE_ERROR", "say \"hi\" \\ there"),
                AsteriskSession.split("SET VARIABLE \"CRMROUTE_ERROR\" \"say \\\"hi\\\" \\\\ there\""));
        assertEquals(List.of("GET", "DATA", "enter-account", "5000", "4"), AsteriskSession.split("GET DATA enter-account 5000 4"));
        assertEquals(List.of("SET", "VARIABLE", "X", ""), AsteriskSession.split("SET VARIABLE X \"\""));
    }
}
