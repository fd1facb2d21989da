package io.crmroute.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmroute.route.Route;

/** Writes a route back in DESIGN.md's shape; {@code RouteParser.parse(RouteWriter.toTree(r))} gives {@code r}. */
public final class RouteWriter {

    private RouteWriter() {}

    public static ObjectNode toTree(Route route) {
        throw new UnsupportedOperationException("being built");
    }
}
