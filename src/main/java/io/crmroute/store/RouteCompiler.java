package io.crmroute.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmroute.config.RouteParseResult;
import io.crmroute.config.RouteParser;
import io.crmroute.crm.CrmSpec;
import java.util.Map;

/**
 * Turns a stored route document into a {@link io.crmroute.route.Route}, or the problems that stop it.
 * The store validates every write with it and compiles every row it loads; the application's is
 * {@link #withCrms} (the config's {@link RouteParser}).
 */
@FunctionalInterface
public interface RouteCompiler {

    RouteParseResult compile(String name, JsonNode document);

    /** {@link RouteParser} against the config's CRMs, problems named from the route's root ({@code rules[2].op}). */
    static RouteCompiler withCrms(Map<String, CrmSpec> crms) {
        Map<String, CrmSpec> known = Map.copyOf(crms);
        return (name, document) -> RouteParser.parse(name, document, known, "");
    }
}
