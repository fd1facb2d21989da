package io.crmroute.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmroute.action.ActionListener;
import io.crmroute.call.DecisionListener;
import io.crmroute.config.CrmrouteConfig;
import io.crmroute.config.DatabaseSettings;
import io.crmroute.config.RouteWriter;
import io.crmroute.http.HealthIndicator;
import io.crmroute.store.ActionLog;
import io.crmroute.store.ActionRow;
import io.crmroute.store.Database;
import io.crmroute.store.DecisionHistory;
import io.crmroute.store.DecisionLog;
import io.crmroute.store.DecisionRow;
import io.crmroute.store.LiveRouteTable;
import io.crmroute.store.RouteCompiler;
import io.crmroute.store.RouteStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a configured database adds: routes read live from it (the YAML's imported once), every call
 * decision and write action audited; the admin API reads and writes both (see {@link ConsoleSide}). Closed audit first, so the last
 * decisions are written while the database is still open.
 */
final class Storage implements AutoCloseable {

    private final Database database;
    private final LiveRouteTable routes;
    private final DecisionLog audit;
    private final RouteStore store;
    private final ActionLog actions;

    private Storage(Database database, LiveRouteTable routes, DecisionLog audit, RouteStore store, ActionLog actions) {
        this.database = database;
        this.routes = routes;
        this.audit = audit;
        this.store = store;
        this.actions = actions;
    }

    /** Connects in the background: the server starts and routes even while the database is down. */
    static Storage open(CrmrouteConfig config, DatabaseSettings settings) {
        Database database = Database.connect(settings);
        RouteCompiler compiler = RouteCompiler.withCrms(config.crms());
        Map<String, JsonNode> seed = new LinkedHashMap<>();
        config.routes().forEach((name, route) -> seed.put(name, RouteWriter.toTree(route)));
        LiveRouteTable routes = LiveRouteTable.start(database, compiler, config.routes(), seed,
                new LiveRouteTable.Options(LiveRouteTable.Options.defaults().pollInterval(), Optional.of(snapshotFile(config))));
        DecisionLog audit = DecisionLog.start(database, DecisionLog.Options.defaults());
        ActionLog actions = ActionLog.start(database, DecisionLog.Options.defaults());
        return new Storage(database, routes, audit, new RouteStore(database, compiler), actions);
    }

    /** Where the last good routes are kept, so a restart without the database still has them: in the data directory. */
    static Path snapshotFile(CrmrouteConfig config) {
        return config.dataDir().resolve(config.file().getFileName() + ".routes-snapshot.json");
    }

    Database database() {
        return database;
    }

    LiveRouteTable routes() {
        return routes;
    }

    /** Records each decision for the audit; never waits on the database. */
    DecisionListener auditor() {
        return report -> audit.record(DecisionRow.of(report.time(), report.uniqueId(), report.channel(), report.callerId(),
                report.crm(), report.decision(), report.crmTime()));
    }

    /** Records how each write action ended ({@code crm_action}); never waits on the database. */
    ActionListener actionAuditor() {
        return record -> actions.record(ActionRow.of(record.time(), record.uniqueid(), record.route(), record.crm(), record.kindLabel(),
                record.object(), record.recordId(), record.result().label(), record.attempts(), record.error()));
    }

    RouteStore routeStore() {
        return store;
    }

    DecisionHistory decisions() {
        return audit;
    }

    /** Not critical: without the database calls are still routed, from the last routes it gave. */
    HealthIndicator health() {
        return HealthIndicator.of("database", false, () -> {
            Database.State state = database.state();
            Map<String, Object> details = new LinkedHashMap<>();
            // Anyone may read /health: where the database is, never how to log in to it.
            details.put("location", database.settings().location());
            details.put("lastError", state.lastError().orElse(null));
            details.put("auditPending", audit.counters().pending());
            details.put("auditDropped", audit.counters().dropped());
            details.put("routes", routes.routes().size());
            return new HealthIndicator.Status(state.up(), details);
        });
    }

    /** The audit's counts: after {@link #close()}, {@code pending} is what could not be written. */
    DecisionLog.Counters auditCounters() {
        return audit.counters();
    }

    void bindMetrics(MeterRegistry registry) {
        FunctionCounter.builder("crmroute.audit.rows.written", audit, log -> log.counters().written())
                .description("Call decisions written to the database").register(registry);
        FunctionCounter.builder("crmroute.audit.rows.dropped", audit, log -> log.counters().dropped())
                .description("Call decisions dropped because the audit buffer was full").register(registry);
        Gauge.builder("crmroute.audit.rows.pending", audit, log -> log.counters().pending())
                .description("Call decisions waiting to be written").register(registry);
        Gauge.builder("crmroute.database.up", database, db -> db.state().up() ? 1 : 0)
                .description("1 while the database answers").register(registry);
    }

    @Override
    public void close() {
        audit.close();
        actions.close();
        routes.close();
        database.close();
    }
}
