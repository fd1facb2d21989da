package io.crmroute.cli;

import io.crmroute.config.ConfigLoader;
import io.crmroute.config.ConfigProblem;
import io.crmroute.config.ConfigResult;
import io.crmroute.config.CrmrouteConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The {@code --config FILE} every command takes, and loading it with its problems printed. */
final class ConfigOption {

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "config/crmroute.yaml",
            description = "The YAML config (default: ${DEFAULT-VALUE}).")
    Path file;

    /** The config, or empty after printing one line per problem to {@code err}. */
    Optional<CrmrouteConfig> load(PrintWriter err) {
        return loadResult(err).config();
    }

    /** The whole result, after printing one line per problem to {@code err}. */
    ConfigResult loadResult(PrintWriter err) {
        ConfigResult result = ConfigLoader.load(file, System.getenv());
        for (ConfigProblem problem : result.problems()) err.println(file + ": " + problem);
        err.flush();
        return result;
    }
}
