package io.crmroute.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmroute.crm.CrmSpec;
import io.crmroute.crm.CrmTypes;
import io.crmroute.route.Action;
import io.crmroute.route.ActionOutcome;
import io.crmroute.route.Route;
import io.crmroute.route.Template;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A route's {@code actions:} as DESIGN.md writes them, and every mistake named by its key path and line. */
class ActionsParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, CrmSpec> CRMS = Map.of("sf", CrmSpec.standIn("sf", CrmTypes.named("salesforce")));

    @TempDir
    Path dir;

    @Test
    void readsDesignsExampleWithTheDefaults() throws Exception {
        Route route = parse("""
                {"nomatch": [ { "create": "Lead", "set": { "Phone": "{callerid}", "LeadSource": "Phone", "Description": "Called {dnid} at {now}" } } ],
                 "match":   [ { "update": "record", "set": { "Last_Call__c": "{now}" } },
                              { "log-call": true, "subject": "Inbound call to {dnid}" } ]}""");

        Action.Create create = (Action.Create) route.actions().of(ActionOutcome.NOMATCH).get(0);
        assertEquals("Lead", create.object());
        assertEquals(List.of("Phone", "LeadSource", "Description"), List.copyOf(create.set().keySet()));
        assertEquals(Template.parse("Called {dnid} at {now}"), create.set().get("Description"));
        assertEquals(Action.Options.DEFAULTS, create.options(), "async, no key field, retried for 10 minutes");
        assertEquals(new Action.Update(false, Map.of("Last_Call__c", Template.parse("{now}")), Action.Options.DEFAULTS),
                route.actions().of(ActionOutcome.MATCH).get(0));
        assertEquals(new Action.LogCall(Template.parse("Inbound call to {dnid}"), Map.of(), Action.Options.DEFAULTS),
                route.actions().of(ActionOutcome.MATCH).get(1));
        assertEquals(List.of(), route.actions().of(ActionOutcome.FAILURE));
    }

    @Test
    void modeKeyFieldAndRetryForAndUpdatingEveryRecord() throws Exception {
        Route route = parse("""
                {"nomatch": [ { "create": "Lead", "mode": "sync", "key-field": "Call_Key__c", "set": { "Phone": "{callerid}" } } ],
                 "match": [ { "update": "records", "retry-for": "2h", "set": { "Tier__c": "{arg2} {CRM_Contact_Tier__c}" } } ]}""");
        assertEquals(new Action.Options(Action.Mode.SYNC, Optional.of("Call_Key__c"), Action.Options.DEFAULT_RETRY_FOR),
                route.actions().of(ActionOutcome.NOMATCH).get(0).options());
        Action.Update update = (Action.Update) route.actions().of(ActionOutcome.MATCH).get(0);
        assertTrue(update.everyRecord());
        assertEquals(Duration.ofHours(2), update.options().retryFor());
    }

    @Test
    void everyMistakeIsAProblemAtItsKeyPathAndLine() throws Exception {
        Files.writeString(dir.resolve("crmroute.yaml"), """
                crms:
                  sf: { type: file, path: crm.json }
                routes:
                  sales:
                    crm: sf
                    object: contacts
                    field: tier
                    default: { to: { queue: "1" } }
                    actions:
                      nomatch:
                        - { create: Lead, set: { Phone: "{calerid}" } }
                        - { update: record, set: { A: b } }
                        - { create: Lead, log-call: true, set: { A: b } }
                      match:
                        - { log-call: true }
                        - { update: all, mode: later, set: { A: b } }
                        - { create: Lead, mode: sync, retry-for: 1m, set: { A: "{" } }
                      later: []
                """);
        Files.writeString(dir.resolve("crm.json"), "{\"contacts\": []}");
        List<String> problems = ConfigLoader.load(dir.resolve("crmroute.yaml"), Map.of()).problems().stream().map(ConfigProblem::toString).toList();
        assertEquals(Stream.of(
                "routes.sales.actions.nomatch[0].set.Phone (line 11): unknown placeholder {calerid} (expected one of " + Template.PLACEHOLDERS + ")",
                "routes.sales.actions.nomatch[1].update (line 12): update needs the matched record: only under actions.match",
                "routes.sales.actions.nomatch[2] (line 13): expected exactly one of create, update, log-call (found create, log-call)",
                "routes.sales.actions.match[0].subject (line 15): missing (required: the call activity's subject, e.g. \"Call to {dnid}\")",
                "routes.sales.actions.match[1].mode (line 16): \"later\": expected async (queued, the caller never waits) or sync (within the route's timeout)",
                "routes.sales.actions.match[1].update (line 16): \"all\": expected record (the first matched record) or records (each one)",
                "routes.sales.actions.match[2].retry-for (line 17): only for async actions (a sync action has the route's timeout)",
                "routes.sales.actions.match[2].set.A (line 17): unclosed \"{\" (write {{ for a literal brace)",
                "routes.sales.actions.later (line 18): unknown key \"later\" (expected one of: failure, match, multiple, nomatch, withheld)")
                .sorted().toList(), problems.stream().sorted().toList());
    }

    @Test
    void actionsSurviveARoundTripThroughJsonTextAsTheStoreKeepsThem() throws Exception {
        Route route = parse("""
                {"nomatch": [ { "create": "Lead", "mode": "sync", "key-field": "K__c", "set": { "Phone": "{callerid}", "Note": "{{literal}} {uniqueid}" } } ],
                 "match": [ { "update": "records", "retry-for": "30m", "set": { "Last_Call__c": "{now}" } },
                            { "log-call": true, "subject": "Call to {dnid}", "set": { "Description": "{channel}" } } ],
                 "failure": [ { "create": "Case", "set": { "Subject": "CRM lookup failed for {callerid}" } } ]}""");
        String text = JSON.writeValueAsString(RouteWriter.toTree(route));
        assertEquals(Optional.of(route), RouteParser.parse("sales", JSON.readTree(text), CRMS, "").route());
        assertTrue(text.contains("\"log-call\":true"), text);
    }

    private static Route parse(String actions) throws Exception {
        JsonNode body = JSON.readTree("{\"crm\": \"sf\", \"object\": \"Contact\", \"field\": \"Phone\", \"default\": {\"to\": {\"queue\": \"1\"}},"
                + " \"actions\": " + actions + "}");
        RouteParseResult result = RouteParser.parse("sales", body, CRMS, "");
        assertEquals(List.of(), result.problems());
        return result.route().orElseThrow();
    }
}
