package io.crmroute.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmroute.crm.CrmSpec;
import java.util.Map;

/**
 * Reads and validates one route in DESIGN.md's shape from a YAML or JSON tree. {@code pathPrefix} is
 * put before every problem's key path ({@code "routes.vip."} in a file, {@code ""} in the admin API).
 */
public final class RouteParser {

    private RouteParser() {}

    public static RouteParseResult parse(String name, JsonNode node, Map<String, CrmSpec> crms, String pathPrefix) {
        throw new UnsupportedOperationException("being built");
    }
}
