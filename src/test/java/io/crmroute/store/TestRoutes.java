package io.crmroute.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmroute.crm.CrmSpec;
import io.crmroute.crm.CrmTypes;
import io.crmroute.route.Route;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Route documents for store tests, and the application's route compiler for them.
 */
public final class TestRoutes {

    public static final ObjectMapper JSON = new ObjectMapper();

    private TestRoutes() {}

    /** {@code {crm: demo, object: contacts, match: {field: phone, from: callerid}, field: status, rules: [...], default: ...}}. */
    public static ObjectNode document(String goldQueue) {
        return json("{\"crm\": \"demo\", \"object\": \"contacts\", \"match\": {\"field\": \"phone\", \"from\": \"callerid\"},"
                + " \"field\": \"status\", \"rules\": ["
                + "{\"name\": \"gold\", \"op\": \"=\", \"value\": \"GOLD\", \"to\": {\"queue\": \"" + goldQueue + "\"}},"
                + "{\"name\": \"silver\", \"op\": \"=\", \"value\": \"SILVER\", \"to\": {\"ivr\": \"200\"}},"
                + "{\"op\": \">=\", \"field\": \"balance\", \"value\": \"1000\", \"to\": {\"extension\": \"300\"}, \"voicemail\": true}],"
                + " \"default\": {\"to\": {\"extension\": \"100\"}, \"voicemail\": true}}");
    }

    public static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The application's compiler (the config's RouteParser) with one CRM, {@code demo}. */
    public static RouteCompiler compiler() {
        return RouteCompiler.withCrms(Map.of("demo", DEMO));
    }

    public static Route route(String name, String goldQueue) {
        return compiler().compile(name, document(goldQueue)).route().orElseThrow();
    }

    private static final CrmSpec DEMO = CrmSpec.standIn("demo", CrmTypes.named("file"));
}
