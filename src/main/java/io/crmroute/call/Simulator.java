package io.crmroute.call;

import io.crmroute.crm.CrmConnector;
import io.crmroute.crm.PhoneMatching;
import io.crmroute.route.Route;
import io.crmroute.route.RouteTable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs a route, saved or not, for a caller without Asterisk, on the real call path: the same
 * {@link CallHandler}, connectors (so their cache, breaker and rate limit) and phone settings as the
 * server's calls. The decision is not reported to the server's listeners: a try is not a call.
 */
public final class Simulator {

    private final Map<String, CrmConnector> connectors;
    private final Map<String, PhoneMatching> crmPhones;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;

    public Simulator(Map<String, CrmConnector> connectors, Map<String, PhoneMatching> crmPhones,
                     ScheduledExecutorService scheduler, Clock clock) {
        this.connectors = Map.copyOf(connectors);
        this.crmPhones = Map.copyOf(crmPhones);
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /**
     * Calls {@code route} as {@code AGI(agi://host/NAME,args...)} would, with {@code digits} pressed at any
     * prompt and {@code channelVariables} on the channel.
     */
    public CompletableFuture<Simulation> run(Route route, String callerId, String digits, List<String> args,
                                             Map<String, String> channelVariables) {
        CallHandler handler = new CallHandler(RouteTable.of(Map.of(route.name(), route)), connectors, crmPhones, report -> {}, clock);
        SimulatedSession session = new SimulatedSession(SimulatedSession.environment(route.name(), callerId, args), digits,
                channelVariables, scheduler);
        List<String> requests = Collections.synchronizedList(new ArrayList<>());
        return handler.run(session, requests::add).thenApply(report -> {
            synchronized (requests) {
                return new Simulation(route, callerId == null ? "" : callerId, digits == null ? "" : digits, requests, report,
                        session.variablesSet());
            }
        });
    }
}
