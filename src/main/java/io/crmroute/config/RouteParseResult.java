package io.crmroute.config;

import io.crmroute.route.Route;
import java.util.List;
import java.util.Optional;

/** A route read from a tree: the route when valid, otherwise every problem found. */
public record RouteParseResult(Optional<Route> route, List<ConfigProblem> problems) {

    public RouteParseResult {
        problems = List.copyOf(problems);
    }
}
