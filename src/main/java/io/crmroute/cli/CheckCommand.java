package io.crmroute.cli;

import io.crmroute.action.ActionCheck;
import io.crmroute.config.ConfigProblem;
import io.crmroute.config.CrmrouteConfig;
import io.crmroute.crm.CrmSpec;
import io.crmroute.route.Route;
import io.crmroute.schema.OnlineCheck;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Validates a config: exit 0, or 1 with one line per problem; with {@code --online}, also against the CRMs' schemas. */
@Command(name = "check", description = "Validate a config file: exit 0, or 1 with one line per problem.")
final class CheckCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--online", description = "Also ask each route's CRM whether its object and fields exist and can be used.")
    boolean online;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Optional<CrmrouteConfig> loaded = config.load(spec.commandLine().getErr());
        if (loaded.isEmpty()) return 1;
        CrmrouteConfig cfg = loaded.get();
        if (!checkActions(cfg)) return 1;
        if (online && !checkOnline(cfg)) return 1;
        spec.commandLine().getOut().printf("%s: OK (%d CRMs, %d routes%s)%n", config.file, cfg.crms().size(), cfg.routes().size(),
                online ? ", checked online" : "");
        spec.commandLine().getOut().flush();
        return 0;
    }

    /**
     * Asks the connectors of the CRMs that routes write to (no request is sent) whether they can do each action;
     * prints warnings for actions that are not retry-safe to out, problems to err; true when there is none.
     */
    private boolean checkActions(CrmrouteConfig cfg) {
        Map<String, CrmSpec> writing = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        for (Route route : cfg.routes().values()) {
            CrmSpec crm = cfg.crms().get(route.crm());
            if (crm == null || route.actions().isEmpty()) continue;
            writing.put(crm.name(), crm);
            types.put(crm.name(), crm.type().id());
        }
        if (writing.isEmpty()) return true;
        ActionCheck.Outcome outcome;
        try (OpenCrms crms = new OpenCrms(writing.values())) {
            outcome = ActionCheck.run(cfg.routes(), crms.connectors(), types);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        for (ActionCheck.Finding warning : outcome.warnings()) out.println(config.file + ": warning: " + warning);
        for (ActionCheck.Finding problem : outcome.problems()) err.println(config.file + ": " + problem);
        out.flush();
        err.flush();
        return outcome.problems().isEmpty();
    }

    /** Asks the CRMs the routes use; prints notes to out and problems to err; true when there is none. */
    private boolean checkOnline(CrmrouteConfig cfg) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, CrmSpec> used = new LinkedHashMap<>();
        for (Route route : cfg.routes().values()) {
            CrmSpec crm = cfg.crms().get(route.crm());
            if (crm != null) used.put(crm.name(), crm);
        }
        OnlineCheck.Outcome outcome;
        try (OpenCrms crms = new OpenCrms(used.values())) {
            // Never fails, and every CRM request ends within its CRM's timeout: the bound is only a backstop.
            outcome = OnlineCheck.run(cfg.routes(), crms.connectors()).get(5, TimeUnit.MINUTES);
        }
        for (String note : outcome.notes()) out.println(config.file + ": " + note);
        for (ConfigProblem problem : outcome.problems()) err.println(config.file + ": " + problem);
        out.flush();
        err.flush();
        return outcome.problems().isEmpty();
    }
}
