package io.crmroute.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmroute.call.CallReport;
import io.crmroute.call.Simulation;
import io.crmroute.crm.CrmRecord;
import io.crmroute.crm.LookupResult;
import io.crmroute.route.Decision;
import io.crmroute.route.LookupOutcome;
import io.crmroute.route.Route;
import io.crmroute.route.RuleEvaluation;

/**
 * What {@code crmroute simulate} prints, as JSON: the route, the caller, each CRM request sent, the
 * lookup's outcome with its records, each rule evaluated in order, the decision and every variable set.
 */
final class SimulationJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SimulationJson() {}

    static ObjectNode of(Simulation simulation) {
        CallReport report = simulation.report();
        Route route = simulation.route();
        ObjectNode root = JSON.createObjectNode();
        root.putObject("route").put("name", route.name()).put("crm", route.crm()).put("object", route.object())
                .put("field", route.field()).put("match_field", route.match().field()).put("match_from", route.match().from().text());
        root.put("callerid", simulation.callerId());
        root.put("digits", report.decision().digits());
        ArrayNode requests = root.putArray("requests");
        simulation.requests().forEach(requests::add);
        if (report.crmTime().isPresent()) root.put("crm_ms", report.crmTime().get().toMillis()); else root.putNull("crm_ms");
        root.set("lookup", lookup(report));
        ArrayNode rules = root.putArray("rules");
        for (RuleEvaluation evaluation : report.decision().evaluations()) {
            rules.addObject().put("rule", evaluation.rule()).put("field", evaluation.field()).put("actual", evaluation.actual())
                    .put("op", evaluation.op().symbol()).put("expected", evaluation.expected()).put("held", evaluation.held())
                    .put("explain", evaluation.explain());
        }
        root.put("not_evaluated", report.decision().evaluations().isEmpty() ? 0 : simulation.rulesNotEvaluated());
        root.set("decision", decision(report.decision()));
        ObjectNode variables = root.putObject("variables");
        simulation.variablesSet().forEach(variables::put);
        return root;
    }

    private static ObjectNode lookup(CallReport report) {
        ObjectNode node = JSON.createObjectNode();
        LookupOutcome lookup = report.lookup().orElse(null);
        if (lookup instanceof LookupOutcome.Found) {
            LookupResult result = ((LookupOutcome.Found) lookup).result();
            node.put("outcome", "found").put("total", result.total());
            ArrayNode records = node.putArray("records");
            for (CrmRecord record : result.records()) {
                ObjectNode fields = records.addObject();
                record.fields().forEach(fields::put);
            }
        } else if (lookup instanceof LookupOutcome.Withheld) {
            node.put("outcome", "withheld").put("explain", "caller ID withheld: no CRM asked");
        } else if (lookup instanceof LookupOutcome.NoValue) {
            node.put("outcome", "novalue").put("explain", "no CRM asked: " + ((LookupOutcome.NoValue) lookup).why());
        } else if (lookup instanceof LookupOutcome.Failed) {
            node.put("outcome", "failed").put("explain", "CRM failed: " + ((LookupOutcome.Failed) lookup).reason());
        } else {
            node.put("outcome", "none").put("explain", "no CRM asked");
        }
        return node;
    }

    private static ObjectNode decision(Decision decision) {
        ObjectNode node = JSON.createObjectNode();
        node.put("status", decision.status().name());
        node.put("type", decision.destination().map(d -> d.type()).orElse(null));
        node.put("dest", decision.destination().map(d -> d.target()).orElse(null));
        node.put("voicemail", decision.voicemail());
        node.put("rule", decision.rule());
        node.put("value", decision.value().orElse(null));
        node.put("error", decision.error().orElse(null));
        return node;
    }
}
