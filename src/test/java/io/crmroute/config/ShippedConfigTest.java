package io.crmroute.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmroute.crm.CrmSpec;
import io.crmroute.crm.CrmConnector;
import io.crmroute.crm.CrmConnectors;
import io.crmroute.crm.CrmContext;
import io.crmroute.crm.LookupRequest;
import io.crmroute.crm.PhoneMatching;
import io.crmroute.route.Destination;
import io.crmroute.route.DtmfPrompt;
import io.crmroute.route.Fallback;
import io.crmroute.route.Match;
import io.crmroute.route.MatchSource;
import io.crmroute.route.Operator;
import io.crmroute.route.Route;
import io.crmroute.route.Rule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The config/ files a new user starts from load cleanly and mean what their comments say. */
class ShippedConfigTest {

    static final Path SHIPPED = Path.of("config", "crmroute.yaml");

    static CrmrouteConfig shipped() {
        ConfigResult result = ConfigLoader.load(SHIPPED, Map.of());
        assertEquals(List.of(), result.problems());
        return result.config().orElseThrow();
    }

    @Test
    void loadsWithoutProblems() {
        CrmrouteConfig config = shipped();
        assertEquals(List.of("demo"), List.copyOf(config.crms().keySet()));
        assertEquals(List.of("vip", "account"), List.copyOf(config.routes().keySet()));
        assertEquals(Optional.empty(), config.database());
        assertEquals(Optional.empty(), config.adminToken());
        assertEquals(SHIPPED.toAbsolutePath().normalize(), config.file());
    }

    @Test
    void serverListensWhereTheCommentsSay() {
        assertEquals(new ServerSettings("0.0.0.0", 4573, List.of("127.0.0.1/32", "::1/128"), "127.0.0.1", 8080), shipped().server());
    }

    @Test
    void demoCrmIsTheJsonFileBesideTheConfig() throws Exception {
        CrmSpec demo = shipped().crms().get("demo");
        assertEquals("file", demo.type().id());
        assertEquals(Optional.of(new PhoneMatching("US", PhoneMatching.DEFAULT_FORMATS)), demo.phone());
        assertEquals(CrmSpec.DEFAULT_TIMEOUT, demo.timeout());
        assertEquals(Optional.empty(), demo.cache());
        assertTrue(demo.secrets().isEmpty());
        // Loaded with the working directory above config/, so its records were read from beside the config.
        try (CrmContext context = CrmContext.create(); CrmConnector crm = CrmConnectors.create(demo, context)) {
            LookupRequest grace = new LookupRequest("contacts", "phone", "+15551230001", Optional.empty(), List.of("status"), 1, "", "",
                    Duration.ofSeconds(1), null);
            assertEquals(Optional.of("GOLD"), crm.lookup(grace).get(5, TimeUnit.SECONDS).records().get(0).get("status"));
        }
    }

    @Test
    void vipRouteIsDesignMdsExample() {
        Route expected = new Route("vip", "demo", "contacts",
                new Match("phone", new MatchSource.CallerId(), Optional.empty()), Optional.empty(),
                List.of("name", "status", "balance"), "status", 1, Duration.ofMillis(1500),
                List.of(new Rule(Optional.of("gold"), Operator.EQ, Optional.empty(), "GOLD", new Destination.Queue("103"), false),
                        new Rule(Optional.empty(), Operator.GE, Optional.of("balance"), "1000", new Destination.Ivr("200"), false),
                        new Rule(Optional.empty(), Operator.EQ, Optional.empty(), "SILVER", new Destination.Recording("silver-greeting"), false)),
                new Fallback(new Destination.Extension("100"), true),
                Optional.of(new Fallback(new Destination.Queue("500"), false)),
                Optional.of(new Fallback(new Destination.Queue("501"), false)),
                Optional.of(new Fallback(new Destination.Queue("502"), false)),
                Optional.of(new Fallback(new Destination.Queue("900"), false)));
        assertEquals(expected, shipped().routes().get("vip"));
    }

    @Test
    void accountRouteCollectsDigitsFirst() {
        Route account = shipped().routes().get("account");
        assertEquals(new Match("account", new MatchSource.Digits(), Optional.empty()), account.match());
        assertEquals(Optional.of(new DtmfPrompt("enter-account", 8, Duration.ofSeconds(5))), account.dtmf());
        assertEquals(Route.DEFAULT_TIMEOUT, account.timeout());
        assertEquals(List.of("gold", "silver", "in-credit"), account.rules().stream().map(rule -> rule.label(0)).toList());
        assertEquals(Optional.of(new Fallback(new Destination.Ivr("300"), false)), account.nomatch());
        assertEquals(Optional.empty(), account.multiple());
    }
}
