package io.crmroute.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmroute.admin.AdminService;
import io.crmroute.call.DecisionListener;
import io.crmroute.call.Simulator;
import io.crmroute.config.CrmrouteConfig;
import io.crmroute.config.RouteWriter;
import io.crmroute.console.ConsoleAccess;
import io.crmroute.cluster.NodeStatus;
import io.crmroute.console.ConsoleApi;
import io.crmroute.console.ConsoleAssets;
import io.crmroute.console.RouteTransfer;
import io.crmroute.console.SignInService;
import io.crmroute.console.SimulateService;
import io.crmroute.crm.CrmConnector;
import io.crmroute.crm.PhoneMatching;
import io.crmroute.http.BearerAuth;
import io.crmroute.http.HttpService;
import io.crmroute.route.RouteTable;
import io.crmroute.store.DecisionHistory;
import io.crmroute.store.DecisionRow;
import io.crmroute.store.LocalRouteStore;
import io.crmroute.store.RecentDecisions;
import io.crmroute.store.RouteCompiler;
import io.crmroute.store.RouteRepository;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API and console, wired to where routes and decisions live: the database's store and audit,
 * or without a database the local route store in the data directory (which then also serves the calls'
 * routes) and the last decisions in memory. Who may sign in is decided here ({@link ConsoleAccess}).
 */
final class ConsoleSide implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConsoleSide.class);

    private final ConsoleAccess access;
    private final Optional<LocalRouteStore> local;
    private final Optional<RecentDecisions> recent;
    private final List<HttpService> services;
    private final ScheduledExecutorService scheduler;

    private ConsoleSide(ConsoleAccess access, Optional<LocalRouteStore> local, Optional<RecentDecisions> recent,
                        List<HttpService> services, ScheduledExecutorService scheduler) {
        this.access = access;
        this.local = local;
        this.recent = recent;
        this.services = List.copyOf(services);
        this.scheduler = scheduler;
    }

    static ConsoleSide open(CrmrouteConfig config, Optional<Storage> storage, Map<String, CrmConnector> connectors,
                            Map<String, PhoneMatching> phones, MeterRegistry registry, Supplier<List<NodeStatus>> nodes) {
        ConsoleAccess access = ConsoleAccess.decide(config.adminToken(), config.server().httpHost(), new SecureRandom());
        RouteCompiler compiler = RouteCompiler.withCrms(config.crms());
        Optional<LocalRouteStore> local = Optional.empty();
        Optional<RecentDecisions> recent = Optional.empty();
        RouteRepository routes = null;
        DecisionHistory decisions;
        Supplier<CompletableFuture<Void>> reload;
        ConsoleApi.StorageInfo info;
        if (storage.isPresent()) {
            routes = storage.get().routeStore();
            decisions = storage.get().decisions();
            reload = storage.get().routes()::reload;
            info = new ConsoleApi.StorageInfo("database", "PostgreSQL", 0);
        } else {
            recent = Optional.of(new RecentDecisions(RecentDecisions.DEFAULT_CAPACITY));
            decisions = recent.get();
            reload = () -> CompletableFuture.completedFuture(null);
            // Only a console that can edit routes takes them over from the YAML: with the console off, the YAML
            // stays the one place routes are edited (as before the console existed).
            local = access instanceof ConsoleAccess.Off ? Optional.empty() : openLocal(config, compiler);
            routes = local.orElse(null);
            info = new ConsoleApi.StorageInfo("local", local.map(store -> store.file().toString()).orElse("(not writable)"),
                    RecentDecisions.DEFAULT_CAPACITY);
        }
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "crmroute-simulate");
            thread.setDaemon(true);
            return thread;
        });
        List<HttpService> services = new ArrayList<>();
        services.add(new ConsoleAssets(access));
        if (access instanceof ConsoleAccess.Generated) services.add(new SignInService(((ConsoleAccess.Generated) access).signIn()));
        if (access.apiToken().isPresent()) {
            // One guard for every endpoint: a source's wrong tokens count together wherever it tries them.
            BearerAuth auth = BearerAuth.token(access.apiToken().get());
            if (routes != null) {
                services.add(new AdminService(routes, decisions, auth, reload));
                services.add(new RouteTransfer(auth, routes, reload));
            }
            services.add(new SimulateService(auth, compiler, new Simulator(connectors, phones, scheduler, Clock.systemUTC())));
            services.add(new ConsoleApi(auth, config.crms(), connectors, info, registry, nodes));
        } else {
            log.warn("{}", ((ConsoleAccess.Off) access).reason());
        }
        return new ConsoleSide(access, local, recent, services, scheduler);
    }

    private static Optional<LocalRouteStore> openLocal(CrmrouteConfig config, RouteCompiler compiler) {
        Path file = LocalRouteStore.fileFor(config.dataDir(), config.file());
        Map<String, JsonNode> seed = new LinkedHashMap<>();
        config.routes().forEach((name, route) -> seed.put(name, RouteWriter.toTree(route)));
        try {
            LocalRouteStore store = LocalRouteStore.open(file, compiler, seed, Clock.systemUTC());
            java.util.Set<String> stored = store.exportAll().join().keySet(); // in memory: done at once
            boolean same = stored.equals(config.routes().keySet())
                    && config.routes().entrySet().stream().allMatch(e -> store.route(e.getKey()).equals(Optional.of(e.getValue())));
            if (!same) {
                // An admin who edits the YAML after the first start must learn why the change does not show.
                log.warn("the routes in {} differ from those in {}: calls use {} (edited in the console); to use the"
                        + " YAML's, import them in the console or delete that file and restart", file, config.file(), file);
            }
            return Optional.of(store);
        } catch (IOException | RuntimeException e) {
            log.error("cannot open the local route store {}: routes are served from the config and cannot be edited"
                    + " in the console: {}", file, e.toString());
            return Optional.empty();
        }
    }

    /** The calls' routes when they live in the local store. */
    Optional<RouteTable> localRoutes() {
        return local.map(store -> store);
    }

    /** Keeps each decision in memory when there is no database to audit it. */
    Optional<DecisionListener> recorder() {
        return recent.map(kept -> report -> kept.record(DecisionRow.of(report.time(), report.uniqueId(), report.channel(),
                report.callerId(), report.crm(), report.decision(), report.crmTime())));
    }

    List<HttpService> services() {
        return services;
    }

    /** Logs the one-time sign-in link for a generated token, once the port is known; returns it. */
    Optional<URI> announce(String httpHost, int httpPort) {
        if (!(access instanceof ConsoleAccess.Generated)) return Optional.empty();
        String host = httpHost.contains(":") ? "[" + httpHost + "]" : httpHost;
        URI link = URI.create("http://" + host + ":" + httpPort + "/#signin=" + ((ConsoleAccess.Generated) access).signIn().code());
        log.info("admin.token is not set: open {} to sign in to the console (the link works once; set admin.token to keep"
                + " a token across restarts)", link);
        return Optional.of(link);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        local.ifPresent(LocalRouteStore::close);
    }
}
