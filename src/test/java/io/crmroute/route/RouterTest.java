package io.crmroute.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmroute.crm.CrmRecord;
import io.crmroute.crm.LookupResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouterTest {

    private static LookupOutcome found(Map<String, String>... records) {
        return new LookupOutcome.Found(LookupResult.of(java.util.Arrays.stream(records).map(CrmRecord::new).toList()));
    }

    @Test
    void theFirstRuleThatHoldsWins() {
        Decision decision = Router.decide(Routes.vip(1), "", found(Map.of("status", "GOLD", "balance", "5000")));
        assertEquals(CallStatus.MATCH, decision.status());
        assertEquals("gold", decision.rule());
        assertEquals(Optional.of(new Destination.Queue("103")), decision.destination());
        assertEquals(Optional.of("GOLD"), decision.value());
        assertEquals(1, decision.evaluations().size(), "rules after the winner are not evaluated");
    }

    @Test
    void anUnnamedRuleIsNamedByItsPositionAndComparesItsOwnField() {
        Decision decision = Router.decide(Routes.vip(1), "", found(Map.of("status", "BRONZE", "balance", "2500")));
        assertEquals(CallStatus.MATCH, decision.status());
        assertEquals("2", decision.rule());
        assertEquals(Optional.of("2500"), decision.value());
        assertEquals("rule 2: balance \"2500\" >= \"1000\" -> holds", decision.evaluations().get(1).explain());
    }

    @Test
    void aRecordNoRuleHoldsForGoesToTheDefaultWithItsVoicemail() {
        Decision decision = Router.decide(Routes.vip(1), "", found(Map.of("status", "BRONZE", "balance", "10")));
        assertEquals(CallStatus.DEFAULT, decision.status());
        assertEquals("default", decision.rule());
        assertEquals(Optional.of(new Destination.Extension("100")), decision.destination());
        assertTrue(decision.voicemail());
        assertEquals(3, decision.evaluations().size());
    }

    @Test
    void aHangUpIsDecidedWithoutADestinationOrARecord() {
        Decision decision = Router.decide(Routes.vip(1), "", new LookupOutcome.HungUp());
        assertEquals(CallStatus.HANGUP, decision.status());
        assertEquals("hangup", decision.rule());
        assertEquals(Optional.empty(), decision.destination());
        assertEquals(Optional.empty(), decision.recordCount(), "the CRM's answer, if any, was not awaited");
        assertEquals(Optional.empty(), decision.error());
    }

    @Test
    void eachOtherPathHasItsOwnDestination() {
        Route route = Routes.vip(1);
        assertEquals(new Destination.Queue("500"), Router.decide(route, "", found()).destination().orElseThrow());
        assertEquals(new Destination.Queue("501"),
                Router.decide(route, "", found(Map.of("status", "GOLD"), Map.of("status", "SILVER"))).destination().orElseThrow());
        assertEquals(new Destination.Queue("502"), Router.decide(route, "", new LookupOutcome.Withheld()).destination().orElseThrow());
        Decision failed = Router.decide(route, "", new LookupOutcome.Failed("crm demo: HTTP 500"));
        assertEquals(CallStatus.FAILED, failed.status());
        assertEquals(Optional.of("crm demo: HTTP 500"), failed.error());
        assertEquals("failure", failed.rule());
    }

    @Test
    void severalRecordsAreAMatchWhenTheRouteWantsSeveral() {
        Decision decision = Router.decide(Routes.vip(3), "",
                found(Map.of("status", "SILVER"), Map.of("status", "GOLD"), Map.of("status", "x"), Map.of("status", "y")));
        assertEquals(CallStatus.MATCH, decision.status());
        assertEquals("3", decision.rule(), "the rules compare the first record");
        assertEquals(3, decision.records().size(), "at most records: 3 are kept");
        assertEquals(Optional.of(4), decision.recordCount());
    }

    @Test
    void missingPathsFallBackAsDesignSays() {
        Route bare = new Route("bare", "demo", "contacts", new Match("phone", new MatchSource.CallerId(), Optional.empty()),
                Optional.empty(), List.of(), "status", 1, Route.DEFAULT_TIMEOUT, List.of(),
                new Fallback(new Destination.Extension("100"), true), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
        Decision withheld = Router.decide(bare, "", new LookupOutcome.Withheld());
        assertEquals(CallStatus.WITHHELD, withheld.status());
        assertEquals(new Destination.Extension("100"), withheld.destination().orElseThrow());
        assertTrue(withheld.voicemail());
        assertFalse(withheld.error().isPresent());
    }
}
