package io.crmroute.app;

import io.crmroute.agi.AgiServer;
import io.crmroute.agi.AgiServerOptions;
import io.crmroute.call.CallHandler;
import io.crmroute.call.CallMetrics;
import io.crmroute.call.DecisionListener;
import io.crmroute.call.DecisionLogger;
import io.crmroute.config.CrmrouteConfig;
import io.crmroute.crm.CrmConnector;
import io.crmroute.crm.CrmConnectors;
import io.crmroute.crm.CrmContext;
import io.crmroute.crm.CrmSpec;
import io.crmroute.crm.PhoneMatching;
import io.crmroute.http.HealthIndicator;
import io.crmroute.http.HealthService;
import io.crmroute.http.HttpRouting;
import io.crmroute.http.HttpServer;
import io.crmroute.http.Metrics;
import io.crmroute.http.MetricsService;
import io.crmroute.route.RouteTable;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running server: CRM connectors, the call handler, the FastAGI listener and the HTTP port,
 * built from one valid config and closed in reverse order.
 */
public final class CrmrouteServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CrmrouteServer.class);

    private final CrmContext crmContext;
    private final Map<String, CrmConnector> connectors;
    private final AgiServer agi;
    private final HttpServer http;

    private CrmrouteServer(CrmContext crmContext, Map<String, CrmConnector> connectors, AgiServer agi, HttpServer http) {
        this.crmContext = crmContext;
        this.connectors = connectors;
        this.agi = agi;
        this.http = http;
    }

    public static CrmrouteServer start(CrmrouteConfig config) {
        PrometheusMeterRegistry registry = Metrics.newRegistry();
        CrmContext crmContext = CrmContext.create();
        Map<String, CrmConnector> connectors = new LinkedHashMap<>();
        Map<String, PhoneMatching> phones = new LinkedHashMap<>();
        for (CrmSpec spec : config.crms().values()) {
            connectors.put(spec.name(), CrmConnectors.create(spec, crmContext));
            spec.phone().ifPresent(phone -> phones.put(spec.name(), phone));
        }
        RouteTable routes = RouteTable.of(config.routes());
        DecisionListener listener = DecisionListener.all(List.of(new DecisionLogger(), new CallMetrics(registry)));
        CallHandler calls = new CallHandler(routes, connectors, phones, listener, Clock.systemUTC());

        AgiServer agi = AgiServer.start(AgiServerOptions.defaults(config.server().agiHost(), config.server().agiPort(),
                config.server().agiAllow()), calls);
        Gauge.builder("crmroute.agi.sessions.in.flight", agi.stats(), stats -> stats.sessionsInFlight())
                .description("FastAGI sessions open now").register(registry);
        FunctionCounter.builder("crmroute.agi.sessions", agi.stats(), stats -> stats.sessionsTotal())
                .description("FastAGI sessions served").register(registry);
        FunctionCounter.builder("crmroute.agi.connections.rejected", agi.stats(), stats -> stats.connectionsRejected())
                .description("Connections refused by the allowlist").register(registry);
        FunctionCounter.builder("crmroute.agi.protocol.errors", agi.stats(), stats -> stats.protocolErrors())
                .description("Sessions ended by a protocol error").register(registry);

        List<HealthIndicator> checks = new ArrayList<>();
        checks.add(HealthIndicator.of("agi", true, () -> new HealthIndicator.Status(true,
                Map.of("port", agi.port(), "sessionsInFlight", agi.stats().sessionsInFlight()))));
        checks.add(HealthIndicator.of("config", true, () -> new HealthIndicator.Status(true,
                Map.of("file", config.file().toString(), "routes", config.routes().size(), "crms", config.crms().size()))));
        checks.add(HealthIndicator.crms(() -> connectors.values().stream().map(CrmConnector::health).toList()));
        HttpRouting routing = routing(new HealthService(checks), new MetricsService(registry));
        HttpServer http = HttpServer.start(config.server().httpHost(), config.server().httpPort(), routing);
        log.info("crmroute serving FastAGI on {}:{} and HTTP on {}:{} with {} routes and {} CRMs",
                config.server().agiHost(), agi.port(), config.server().httpHost(), http.port(), config.routes().size(),
                connectors.size());
        return new CrmrouteServer(crmContext, connectors, agi, http);
    }

    /** The HTTP endpoints, built the same way here and in tests. */
    static HttpRouting routing(HealthService health, MetricsService metrics) {
        return HttpRouting.builder().register(health, metrics).build();
    }

    public int agiPort() {
        return agi.port();
    }

    public int httpPort() {
        return http.port();
    }

    @Override
    public void close() {
        agi.close();
        http.close();
        connectors.values().forEach(CrmConnector::close);
        crmContext.close();
    }
}
