package io.crmroute.cli;

import io.crmroute.call.CallHandler;
import io.crmroute.call.CallReport;
import io.crmroute.call.SimulatedSession;
import io.crmroute.config.CrmrouteConfig;
import io.crmroute.crm.CrmConnector;
import io.crmroute.crm.CrmConnectors;
import io.crmroute.crm.CrmContext;
import io.crmroute.crm.CrmRecord;
import io.crmroute.crm.CrmSpec;
import io.crmroute.crm.LookupResult;
import io.crmroute.crm.PhoneMatching;
import io.crmroute.route.Decision;
import io.crmroute.route.LookupOutcome;
import io.crmroute.route.Route;
import io.crmroute.route.RouteTable;
import io.crmroute.route.RuleEvaluation;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs one call's whole decision without Asterisk, on the same code path a real call takes, and
 * explains it: the CRM request, the records found, each rule, the variables.
 */
@Command(name = "simulate", description = "Run a route's decision for a caller without Asterisk and explain it.")
final class SimulateCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--route", required = true, paramLabel = "NAME", description = "The route (the AGI script name).")
    String route;

    @Option(names = "--callerid", required = true, paramLabel = "NUM", description = "The caller's number (empty or 'unknown': withheld).")
    String callerId;

    @Option(names = "--dtmf", defaultValue = "", paramLabel = "D", description = "The digits the caller presses at the prompt.")
    String dtmf;

    @Option(names = "--arg", paramLabel = "VALUE", description = "An AGI argument (agi_arg_1, agi_arg_2, ... in order).")
    List<String> args = new ArrayList<>();

    @Option(names = "--var", paramLabel = "NAME=VALUE", description = "A channel variable the route may read.")
    Map<String, String> channelVariables = new LinkedHashMap<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Optional<CrmrouteConfig> loaded = config.load(spec.commandLine().getErr());
        if (loaded.isEmpty()) return 1;
        CrmrouteConfig cfg = loaded.get();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        CrmContext context = CrmContext.create();
        Map<String, CrmConnector> connectors = new LinkedHashMap<>();
        Map<String, PhoneMatching> phones = new LinkedHashMap<>();
        try {
            for (CrmSpec crm : cfg.crms().values()) {
                connectors.put(crm.name(), CrmConnectors.create(crm, context));
                crm.phone().ifPresent(phone -> phones.put(crm.name(), phone));
            }
            CallHandler handler = new CallHandler(RouteTable.of(cfg.routes()), connectors, phones, report -> {}, Clock.systemUTC());
            SimulatedSession session = new SimulatedSession(SimulatedSession.environment(route, callerId, args), dtmf,
                    channelVariables, scheduler);
            Optional<Route> chosen = Optional.ofNullable(cfg.routes().get(route));
            out.printf("route %s%s%n", route, chosen.map(r -> " on crm " + r.crm() + ", object " + r.object()
                    + ", matching " + r.match().field() + " from " + r.match().from().text()).orElse(" (not defined)"));
            out.printf("caller %s%s%n", callerId.isEmpty() ? "(none)" : callerId, dtmf.isEmpty() ? "" : ", digits " + dtmf);
            List<String> requests = new ArrayList<>();
            CallReport report = handler.run(session, line -> {
                synchronized (requests) {
                    requests.add(line);
                }
            }).get(5, TimeUnit.MINUTES);
            synchronized (requests) {
                if (requests.isEmpty()) out.println("CRM request: none sent");
                for (String line : requests) out.println("CRM request: " + line);
            }
            explain(out, report, chosen);
            out.println("variables set:");
            session.variablesSet().forEach((name, value) -> out.printf("  %s=%s%n", name, value));
            out.flush();
            return 0;
        } finally {
            connectors.values().forEach(CrmConnector::close);
            context.close();
            scheduler.shutdownNow();
        }
    }

    private static void explain(PrintWriter out, CallReport report, Optional<Route> route) {
        Decision decision = report.decision();
        report.crmTime().ifPresent(time -> out.printf("CRM answered in %d ms%n", time.toMillis()));
        LookupOutcome lookup = report.lookup().orElse(null);
        if (lookup instanceof LookupOutcome.Found) {
            LookupResult result = ((LookupOutcome.Found) lookup).result();
            out.printf("records found: %d%s%n", result.total(),
                    result.total() > result.records().size() ? " (" + result.records().size() + " retrieved)" : "");
            for (int i = 0; i < result.records().size(); i++) {
                out.printf("  record %d: %s%n", i + 1, fields(result.records().get(i)));
            }
        } else if (lookup instanceof LookupOutcome.Withheld) {
            out.println("caller ID withheld: no CRM asked");
        } else if (lookup instanceof LookupOutcome.NoValue) {
            out.println("no CRM asked: " + ((LookupOutcome.NoValue) lookup).why());
        } else if (lookup instanceof LookupOutcome.Failed) {
            out.println("CRM failed: " + ((LookupOutcome.Failed) lookup).reason());
        }
        if (route.isPresent() && !decision.evaluations().isEmpty()) {
            out.println("rules, in order:");
            for (RuleEvaluation evaluation : decision.evaluations()) out.println("  " + evaluation.explain());
            int unevaluated = route.get().rules().size() - decision.evaluations().size();
            if (unevaluated > 0) out.printf("  (%d later rule%s not evaluated)%n", unevaluated, unevaluated == 1 ? "" : "s");
        }
        out.printf("decision: %s%s by %s%s%n", decision.status(),
                decision.destination().map(d -> " -> " + d.type() + " " + d.target() + (decision.voicemail() ? " (voicemail)" : "")).orElse(""),
                decision.rule().isEmpty() ? "-" : decision.rule(),
                decision.error().map(error -> ": " + error).orElse(""));
    }

    private static String fields(CrmRecord record) {
        StringBuilder text = new StringBuilder();
        record.fields().forEach((name, value) -> text.append(text.length() == 0 ? "" : ", ").append(name).append('=').append(value));
        return text.toString();
    }
}
