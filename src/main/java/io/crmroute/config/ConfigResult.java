package io.crmroute.config;

import java.util.List;
import java.util.Optional;

/**
 * What loading a config came to: the config when valid (then {@code problems} is empty), otherwise
 * every problem found. {@code server} is the listeners' settings as far as they could be read (the
 * defaults otherwise), so that a server with a broken config can still answer calls with ERROR.
 */
public record ConfigResult(Optional<CrmrouteConfig> config, List<ConfigProblem> problems, ServerSettings server) {

    public ConfigResult {
        problems = List.copyOf(problems);
        server = config.map(CrmrouteConfig::server).orElse(server == null ? ServerReader.DEFAULTS : server);
        if (config.isPresent() != problems.isEmpty()) {
            throw new IllegalArgumentException("a config comes with no problems, problems with no config");
        }
    }

    public ConfigResult(Optional<CrmrouteConfig> config, List<ConfigProblem> problems) {
        this(config, problems, null);
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}
