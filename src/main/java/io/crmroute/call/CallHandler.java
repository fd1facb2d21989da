package io.crmroute.call;

import io.crmroute.action.CallActions;
import io.crmroute.agi.AgiCallHandler;
import io.crmroute.agi.AgiEnvironment;
import io.crmroute.agi.AgiSession;
import io.crmroute.concurrent.Futures;
import io.crmroute.crm.CrmConnector;
import io.crmroute.crm.LookupRequest;
import io.crmroute.crm.PhoneMatching;
import io.crmroute.logging.LogText;
import io.crmroute.route.ChannelVariables;
import io.crmroute.route.Decision;
import io.crmroute.route.Route;
import io.crmroute.route.RouteTable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.asteriskjava.fastagi.command.SetVariableCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every call the FastAGI server hands over: the route named by the script, its lookup, its
 * decision, its variables. Whatever fails, the call leaves with CRMROUTE_STATUS set: ERROR when the
 * route is unknown or something broke, FAILED when the CRM did, HANGUP when the caller hung up before
 * the decision. Time comes from an injected clock (timestamps) and nanosecond ticker (durations); the
 * deadlines run on each session's scheduler.
 */
public final class CallHandler implements AgiCallHandler {

    private static final Logger log = LoggerFactory.getLogger(CallHandler.class);

    private final RouteTable routes;
    private final Map<String, CrmConnector> connectors;
    private final Map<String, PhoneMatching> crmPhones;
    private final DecisionListener listener;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final Optional<String> refusal;
    private final CallActions actions;

    /**
     * @param crmPhones each CRM's own {@code phone:} setting, used for caller IDs when the route sets none
     */
    public CallHandler(RouteTable routes, Map<String, CrmConnector> connectors, Map<String, PhoneMatching> crmPhones,
                       DecisionListener listener, Clock clock) {
        this(routes, connectors, crmPhones, listener, clock, System::nanoTime);
    }

    /** As above, with the ticker durations are measured on ({@code System::nanoTime} in production). */
    public CallHandler(RouteTable routes, Map<String, CrmConnector> connectors, Map<String, PhoneMatching> crmPhones,
                       DecisionListener listener, Clock clock, LongSupplier nanoTime) {
        this(routes, connectors, crmPhones, listener, clock, nanoTime, Optional.empty(), CallActions.NONE);
    }

    /** As above, running the routes' write actions with {@code actions} (the other constructors run none). */
    public CallHandler(RouteTable routes, Map<String, CrmConnector> connectors, Map<String, PhoneMatching> crmPhones,
                       DecisionListener listener, Clock clock, LongSupplier nanoTime, CallActions actions) {
        this(routes, connectors, crmPhones, listener, clock, nanoTime, Optional.empty(), actions);
    }

    private CallHandler(RouteTable routes, Map<String, CrmConnector> connectors, Map<String, PhoneMatching> crmPhones,
                        DecisionListener listener, Clock clock, LongSupplier nanoTime, Optional<String> refusal, CallActions actions) {
        this.routes = routes;
        this.connectors = Map.copyOf(connectors);
        this.crmPhones = Map.copyOf(crmPhones);
        this.listener = listener;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.refusal = refusal;
        this.actions = actions;
    }

    /**
     * A handler for a server whose config is broken: every call gets ERROR with {@code reason}, so the
     * dialplan takes its fallback at once instead of waiting on a server that cannot route.
     */
    public static CallHandler refusingAll(String reason, DecisionListener listener, Clock clock) {
        return new CallHandler(RouteTable.of(Map.of()), Map.of(), Map.of(), listener, clock, System::nanoTime, Optional.of(reason),
                CallActions.NONE);
    }

    @Override
    public CompletableFuture<CallReport> handle(AgiSession session) {
        return run(session, LookupRequest.NO_TRACE);
    }

    /** Runs one call; {@code trace} receives each CRM request sent (for {@code simulate}). */
    public CompletableFuture<CallReport> run(AgiSession session, Consumer<String> trace) {
        Instant time = clock.instant();
        long started = nanoTime.getAsLong();
        AgiEnvironment environment = session.environment();
        String name = environment.script();
        Optional<Route> route = routes.route(name);
        Optional<CrmConnector> crm = route.map(r -> connectors.get(r.crm()));
        Call call = route.isPresent() && crm.isPresent()
                ? new Call(session, route.get(), crm.get(), Optional.ofNullable(crmPhones.get(route.get().crm())), trace, nanoTime,
                        actions, time)
                : null;
        CompletableFuture<Decision> decision;
        if (refusal.isPresent()) {
            decision = CompletableFuture.completedFuture(Decision.error(name, "", refusal.get()));
        } else if (route.isEmpty()) {
            decision = CompletableFuture.completedFuture(Decision.error(name, "", "unknown route: " + Failures.oneLine(shorten(name))));
        } else if (call == null) {
            decision = CompletableFuture.completedFuture(
                    Decision.error(name, "", "route " + name + ": crm " + route.get().crm() + " is not defined"));
        } else {
            decision = call.run();
        }
        return decision
                .exceptionally(failure -> {
                    Failures.rethrowIfClosed(failure);
                    log.error("call {} on route {}: internal error", LogText.safe(environment.uniqueId()), LogText.safe(name),
                            Futures.unwrap(failure));
                    return Decision.error(name, call == null ? "" : call.digits(),
                            "internal error: " + Futures.unwrap(failure).getClass().getSimpleName());
                })
                .thenCompose(made -> {
                    // Queued before the variables are set: the caller never waits for an async action.
                    if (call != null) queueAsyncActions(call, made, environment);
                    Map<String, String> variables = new LinkedHashMap<>(ChannelVariables.of(made));
                    if (call != null) variables.putAll(call.written());
                    CallReport report = new CallReport(time, environment.uniqueId(), environment.channel(), environment.callerId(),
                            route.map(Route::crm).orElse(""), made, call == null ? Optional.empty() : call.outcome(),
                            call == null ? Optional.empty() : call.crmTime(), Duration.ZERO, variables);
                    return setVariables(session, variables).thenApply(done -> withTotal(report, started));
                })
                .whenComplete((report, failure) -> {
                    if (report != null) {
                        listener.onDecision(report);
                    } else {
                        log.info("call {} on route {}: session closed before its decision was set ({})",
                                LogText.safe(environment.uniqueId()), LogText.safe(name), LogText.safe(Futures.unwrap(failure).getMessage()));
                    }
                });
    }

    private static void queueAsyncActions(Call call, Decision made, AgiEnvironment environment) {
        try {
            call.queueAsyncActions(made);
        } catch (RuntimeException bug) {
            // A bug in the actions must not cost the caller the decision.
            log.error("call {} on route {}: async actions not queued", LogText.safe(environment.uniqueId()), LogText.safe(made.route()), bug);
        }
    }

    private static CompletableFuture<Void> setVariables(AgiSession session, Map<String, String> variables) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (Map.Entry<String, String> variable : variables.entrySet()) {
            chain = chain.thenCompose(previous -> session.send(new SetVariableCommand(variable.getKey(), variable.getValue()))
                    .handle((reply, failure) -> {
                        // A refused SET VARIABLE costs that variable only; a closed session ends the call.
                        if (failure != null) Failures.rethrowIfClosed(failure);
                        return null;
                    }));
        }
        return chain;
    }

    private CallReport withTotal(CallReport report, long started) {
        return new CallReport(report.time(), report.uniqueId(), report.channel(), report.callerId(), report.crm(),
                report.decision(), report.lookup(), report.crmTime(), Duration.ofNanos(nanoTime.getAsLong() - started),
                report.variables());
    }

    private static String shorten(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "..." : text;
    }
}
