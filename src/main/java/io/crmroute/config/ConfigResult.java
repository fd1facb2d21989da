package io.crmroute.config;

import java.util.List;
import java.util.Optional;

/** What loading a config came to: the config when valid (then {@code problems} is empty), otherwise every problem found. */
public record ConfigResult(Optional<CrmrouteConfig> config, List<ConfigProblem> problems) {

    public ConfigResult {
        problems = List.copyOf(problems);
        if (config.isPresent() != problems.isEmpty()) {
            throw new IllegalArgumentException("a config comes with no problems, problems with no config");
        }
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}
