package io.crmroute.app;

import io.crmroute.action.ActionListener;
import io.crmroute.action.ActionLogger;
import io.crmroute.action.ActionMetrics;
import io.crmroute.action.ActionQueue;
import io.crmroute.action.CallActions;
import io.crmroute.action.Outbox;
import io.crmroute.action.OutboxWorker;
import io.crmroute.agi.AgiCallHandler;
import io.crmroute.agi.AgiServer;
import io.crmroute.agi.AgiServerOptions;
import io.crmroute.call.CallHandler;
import io.crmroute.cluster.Cluster;
import io.crmroute.cluster.SecretBox;
import io.crmroute.call.CallMetrics;
import io.crmroute.call.DecisionListener;
import io.crmroute.call.DecisionLogger;
import io.crmroute.config.ConfigProblem;
import io.crmroute.config.CrmrouteConfig;
import io.crmroute.config.Durations;
import io.crmroute.config.ServerSettings;
import io.crmroute.crm.CrmConnector;
import io.crmroute.crm.CrmConnectors;
import io.crmroute.crm.CrmContext;
import io.crmroute.crm.CrmSpec;
import io.crmroute.crm.PhoneMatching;
import io.crmroute.http.HealthIndicator;
import io.crmroute.http.HealthService;
import io.crmroute.http.HttpRouting;
import io.crmroute.http.HttpServer;
import io.crmroute.http.HttpServerOptions;
import io.crmroute.http.HttpService;
import io.crmroute.http.Metrics;
import io.crmroute.http.MetricsService;
import io.crmroute.route.RouteTable;
import io.crmroute.store.OutboxTable;
import io.micrometer.core.instrument.FunctionCounter;
import io.netty.channel.EventLoopGroup;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running server: CRM connectors, the call handler, the FastAGI listener and the HTTP port,
 * built from one config and closed in reverse order. {@link #close()} is the graceful stop: the FastAGI
 * port closes at once (Asterisk's next call is refused and takes the dialplan's fallback), calls in
 * progress get {@code server.drain-timeout} to finish, then write actions under way get as long (with a database
 * this node's outbox rows are then released to the other nodes; those left in the memory queue are recorded as
 * given up), then the HTTP port closes and the audit buffer
 * is written while the database is still open. One line is logged as the drain starts and one with the
 * counts when it is done.
 */
public final class CrmrouteServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CrmrouteServer.class);

    private final List<AutoCloseable> resources;
    private final Optional<Storage> storage;
    private final Optional<ActionQueue> actions;
    private final Optional<Outbox> outbox;
    private final AgiServer agi;
    private final HttpServer http;
    private final Duration drainTimeout;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Optional<URI> signInLink = Optional.empty();

    private CrmrouteServer(List<AutoCloseable> resources, Optional<Storage> storage, Optional<ActionQueue> actions,
                           Optional<Outbox> outbox, AgiServer agi, HttpServer http, Duration drainTimeout) {
        this.resources = resources;
        this.storage = storage;
        this.actions = actions;
        this.outbox = outbox;
        this.agi = agi;
        this.http = http;
        this.drainTimeout = drainTimeout;
    }

    /** Serves calls on {@code config}'s routes. */
    public static CrmrouteServer start(CrmrouteConfig config) {
        PrometheusMeterRegistry registry = Metrics.newRegistry();
        Optional<SecretBox> secretBox = ClusterSide.secretBox(config, System.getenv());
        // The CRM client runs on the FastAGI workers' loops: a call's CRM request is written and read on its own loop.
        EventLoopGroup workers = AgiServer.newWorkers(agiOptions(config.server()));
        CrmContext crmContext = CrmContext.on(workers);
        Optional<Storage> storage = config.database().map(settings -> Storage.open(config, settings));
        // With a database the nodes sharing it share each CRM's rate budget and credentials.
        Optional<Cluster> cluster = storage.map(store -> ClusterSide.join(config, store.database(), crmContext, secretBox));
        CrmContext crmShared = cluster.<CrmContext>map(crmContext::withSharing).orElse(crmContext);
        Map<String, CrmConnector> connectors = new LinkedHashMap<>();
        Map<String, PhoneMatching> phones = new LinkedHashMap<>();
        for (CrmSpec spec : config.crms().values()) {
            connectors.put(spec.name(), CrmConnectors.create(spec, crmShared));
            spec.phone().ifPresent(phone -> phones.put(spec.name(), phone));
        }
        ConsoleSide console = ConsoleSide.open(config, storage, connectors, phones, registry,
                () -> cluster.map(Cluster::nodes).orElse(List.of()));
        RouteTable routes = storage.<RouteTable>map(Storage::routes).or(console::localRoutes).orElseGet(() -> RouteTable.of(config.routes()));
        List<DecisionListener> listeners = new ArrayList<>(List.of(new DecisionLogger(), new CallMetrics(registry)));
        storage.ifPresent(store -> listeners.add(store.auditor()));
        console.recorder().ifPresent(listeners::add);
        List<ActionListener> actionListeners = new ArrayList<>(List.of(new ActionLogger(), new ActionMetrics(registry)));
        storage.ifPresent(store -> actionListeners.add(store.actionAuditor()));
        ActionListener actionListener = ActionListener.all(actionListeners);
        ActionQueue actionQueue = new ActionQueue(connectors, ActionQueue.Options.defaults(), ActionQueue.Time.system(crmContext.scheduler()),
                actionListener);
        Gauge.builder("crmroute.actions.open", actionQueue, queue -> queue.counters().open())
                .description("Write actions queued, waiting to retry or being written").register(registry);
        // With a database async actions go through the outbox, which every live node works on.
        Optional<Outbox> outbox = cluster.map(shared -> Outbox.start(new OutboxTable(storage.orElseThrow().database()), shared.self().id(),
                connectors, OutboxWorker.Options.defaults().withLease(config.server().outboxLease(), config.server().outboxPoll()),
                ActionQueue.Time.system(crmContext.scheduler()), actionListener, actionQueue));
        outbox.ifPresent(box -> {
            Gauge.builder("crmroute.actions.outbox.pending", box, Outbox::pending)
                    .description("Async actions in the outbox not ended yet, on any node, as this node's last poll counted them")
                    .register(registry);
            FunctionCounter.builder("crmroute.actions.outbox.fallback", box, Outbox::fallbacks)
                    .description("Async actions the database did not take, kept in this node's memory queue instead").register(registry);
        });
        CallHandler calls = new CallHandler(routes, connectors, phones, DecisionListener.all(listeners), Clock.systemUTC(), System::nanoTime,
                new CallActions(actionQueue, outbox.orElse(null), actionListener, Clock.systemUTC(), System::nanoTime));
        List<AutoCloseable> resources = new ArrayList<>();
        resources.add(console);
        cluster.ifPresent(resources::add); // before the database: its row is removed while it is open
        storage.ifPresent(resources::add);
        resources.addAll(connectors.values());
        resources.add(crmContext);
        HealthIndicator configured = HealthIndicator.of("config", true, () -> HealthIndicator.Status.up(Map.of(
                "file", config.file().toString(), "routes", config.routes().size(), "crms", config.crms().size())));
        HealthIndicator crms = HealthIndicator.crms(() -> connectors.values().stream().map(CrmConnector::health).toList());
        List<HealthIndicator> checks = new ArrayList<>(List.of(configured, crms));
        storage.ifPresent(store -> {
            checks.add(store.health());
            store.bindMetrics(registry);
        });
        cluster.ifPresent(shared -> checks.add(ClusterSide.health(shared)));
        CrmrouteServer server = start(config.server(), workers, calls, registry, checks, console.services(), resources, storage,
                Optional.of(actionQueue), outbox);
        server.signInLink = console.announce(config.server().httpHost(), server.httpPort());
        return server;
    }

    /**
     * Serves a broken config: every call gets ERROR at once (the dialplan's fallback) and {@code /health}
     * says DOWN with the problems, until the config is fixed and the server restarted.
     */
    public static CrmrouteServer startBroken(ServerSettings server, Path file, List<ConfigProblem> problems) {
        PrometheusMeterRegistry registry = Metrics.newRegistry();
        String reason = "config invalid: " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + " in "
                + file.getFileName() + " (crmroute check lists them)";
        DecisionListener listener = DecisionListener.all(List.of(new DecisionLogger(), new CallMetrics(registry)));
        CallHandler calls = CallHandler.refusingAll(reason, listener, Clock.systemUTC());
        HealthIndicator broken = HealthIndicator.of("config", true, () -> HealthIndicator.Status.down(Map.of(
                "file", file.toString(), "problems", problems.stream().map(ConfigProblem::toString).toList())));
        return start(server, AgiServer.newWorkers(agiOptions(server)), calls, registry, List.of(broken), List.of(), List.of(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static CrmrouteServer start(ServerSettings server, EventLoopGroup workers, AgiCallHandler calls, PrometheusMeterRegistry registry,
                                        List<HealthIndicator> checks, List<HttpService> services, List<AutoCloseable> resources,
                                        Optional<Storage> storage, Optional<ActionQueue> actions, Optional<Outbox> outbox) {
        AgiServer agi;
        try {
            agi = AgiServer.start(agiOptions(server), calls, workers);
        } catch (RuntimeException failed) {
            outbox.ifPresent(Outbox::close);
            closeAll(resources);
            throw failed;
        }
        bindAgiMetrics(agi, registry);
        List<HealthIndicator> allChecks = new ArrayList<>();
        allChecks.add(HealthIndicator.of("agi", true, () -> HealthIndicator.Status.up(Map.of(
                "port", agi.port(), "sessionsInFlight", agi.stats().sessionsInFlight()))));
        allChecks.addAll(checks);
        List<HttpService> allServices = new ArrayList<>();
        allServices.add(new HealthService(allChecks));
        allServices.add(new MetricsService(registry));
        allServices.addAll(services);
        HttpServer http;
        try {
            http = HttpServer.start(server.httpHost(), server.httpPort(), routing(allServices), HttpServerOptions.defaults().withLimits(
                    server.httpLimits().maxConnections(), server.httpLimits().maxConnectionsPerSource(), server.httpLimits().requestHeadTimeout()));
        } catch (RuntimeException failed) {
            agi.close();
            outbox.ifPresent(Outbox::close);
            closeAll(resources);
            throw failed;
        }
        log.info("crmroute serving FastAGI on {}:{} and HTTP on {}:{}", server.agiHost(), agi.port(), server.httpHost(), http.port());
        return new CrmrouteServer(resources, storage, actions, outbox, agi, http, server.drainTimeout());
    }

    static AgiServerOptions agiOptions(ServerSettings server) {
        return AgiServerOptions.defaults(server.agiHost(), server.agiPort(), server.agiAllow())
                .withBacklog(server.agiBacklog())
                .withConnectionLimits(server.agiMaxConnectionsPerSource(), server.agiMaxConnections())
                .withReplyTimeout(server.agiReplyTimeout());
    }

    /** The HTTP endpoints, built the same way here and in tests. */
    static HttpRouting routing(List<HttpService> services) {
        return HttpRouting.builder().register(services.toArray(HttpService[]::new)).build();
    }


    private static void bindAgiMetrics(AgiServer agi, PrometheusMeterRegistry registry) {
        Gauge.builder("crmroute.agi.sessions.in.flight", agi.stats(), stats -> stats.sessionsInFlight())
                .description("FastAGI sessions open now").register(registry);
        FunctionCounter.builder("crmroute.agi.sessions", agi.stats(), stats -> stats.sessionsTotal())
                .description("FastAGI connections accepted").register(registry);
        FunctionCounter.builder("crmroute.agi.connections.rejected", agi.stats(), stats -> stats.connectionsRejected())
                .description("Connections closed at once: source not in the allowlist, or past a connection cap").register(registry);
        FunctionCounter.builder("crmroute.agi.protocol.errors", agi.stats(), stats -> stats.protocolErrors())
                .description("Sessions ended by a protocol error").register(registry);
    }

    public int agiPort() {
        return agi.port();
    }

    public int httpPort() {
        return http.port();
    }

    /** The console's one-time sign-in link, when the admin token was generated at start. */
    public Optional<URI> signInLink() {
        return signInLink;
    }

    /** FastAGI sessions open now, as {@code crmroute_agi_sessions_in_flight} reports. */
    public long sessionsInFlight() {
        return agi.stats().sessionsInFlight();
    }

    /**
     * Stops taking calls at once, lets those in progress finish within {@code server.drain-timeout}, closes
     * HTTP, writes the audit buffer, then frees the CRMs. Only the first call does anything.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        int inProgress = agi.stopAccepting();
        log.info("crmroute stopping: FastAGI port closed, {} calls in progress get up to {} to finish",
                inProgress, Durations.format(drainTimeout));
        AgiServer.Drained drained = agi.drain(drainTimeout);
        // The calls' async actions get the drain time too: the outbox's rows this node holds are then released to
        // the other nodes (first: what the database does not take goes to the memory queue); what is left in the
        // memory queue is recorded gave_up while the audit is open. Their CRM requests run on the FastAGI workers'
        // loops, which stop only after them and the CRM client.
        outbox.ifPresent(box -> box.close(drainTimeout));
        actions.ifPresent(queue -> queue.close(drainTimeout));
        http.close();
        closeAll(resources);
        agi.stopLoops();
        log.info("crmroute stopped: {} calls finished, {} calls cut; audit: {}", drained.finished(), drained.cut(),
                storage.map(CrmrouteServer::audited).orElse("no database"));
    }

    private static String audited(Storage storage) {
        var counts = storage.auditCounters();
        return counts.written() + " rows written, " + (counts.pending() + counts.dropped()) + " not written";
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", resource, e.toString());
            }
        }
    }
}
