package io.crmroute.route;

import java.util.Map;
import java.util.Optional;

/**
 * The routes calls are served from. Each call asks once, at its start, and keeps the route it got,
 * so a change made while it runs applies from the next call on.
 */
@FunctionalInterface
public interface RouteTable {

    Optional<Route> route(String name);

    static RouteTable of(Map<String, Route> routes) {
        Map<String, Route> copy = Map.copyOf(routes);
        return name -> Optional.ofNullable(copy.get(name));
    }
}
