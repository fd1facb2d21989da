package io.crmroute.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmroute.config.ConfigProblem;
import io.crmroute.config.CrmrouteConfig;
import io.crmroute.config.RouteWriter;
import io.crmroute.store.RouteStore;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Writes the YAML's routes into the database (replacing routes of the same names), all or none. */
@Command(name = "import", description = "Copy the config file's routes into its database (all or none; others are kept).")
final class ImportCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Optional<CrmrouteConfig> loaded = config.load(err);
        if (loaded.isEmpty()) return 1;
        Map<String, JsonNode> documents = new LinkedHashMap<>();
        loaded.get().routes().forEach((name, route) -> documents.put(name, RouteWriter.toTree(route)));
        RouteStore.ImportResult result = RouteDatabase.with(loaded.get(), store -> store.importRoutes(documents));
        for (ConfigProblem problem : result.problems()) err.println(problem);
        err.flush();
        if (!result.problems().isEmpty()) return 1;
        spec.commandLine().getOut().printf("imported %d routes into %s%n", result.imported(), loaded.get().database().get().shownUrl());
        return 0;
    }
}
