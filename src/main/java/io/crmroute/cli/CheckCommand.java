package io.crmroute.cli;

import io.crmroute.config.CrmrouteConfig;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Validates a config: exit 0, or 1 with one line per problem. */
@Command(name = "check", description = "Validate a config file: exit 0, or 1 with one line per problem.")
final class CheckCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Optional<CrmrouteConfig> loaded = config.load(spec.commandLine().getErr());
        if (loaded.isEmpty()) return 1;
        spec.commandLine().getOut().printf("%s: OK (%d CRMs, %d routes)%n", config.file, loaded.get().crms().size(),
                loaded.get().routes().size());
        return 0;
    }
}
