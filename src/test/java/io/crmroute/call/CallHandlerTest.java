package io.crmroute.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmroute.agi.AgiEnvironment;
import io.crmroute.agi.AgiReply;
import io.crmroute.agi.AgiSession;
import io.crmroute.crm.CrmConnector;
import io.crmroute.crm.CrmException;
import io.crmroute.crm.CrmRecord;
import io.crmroute.crm.LookupRequest;
import io.crmroute.crm.LookupResult;
import io.crmroute.route.CallStatus;
import io.crmroute.route.DtmfPrompt;
import io.crmroute.route.Match;
import io.crmroute.route.MatchSource;
import io.crmroute.route.Route;
import io.crmroute.route.RouteTable;
import io.crmroute.route.Routes;
import io.crmroute.testing.ManualTime;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.asteriskjava.fastagi.command.AgiCommand;
import org.asteriskjava.fastagi.command.GetDataCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The call flow on an in-memory session; the FastAGI end-to-end tests drive the same flow over TCP. */
class CallHandlerTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<LookupRequest> asked = new ArrayList<>();
    private final List<CallReport> reports = new ArrayList<>();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private CrmConnector crm(Function<LookupRequest, CompletableFuture<LookupResult>> answer) {
        return new CrmConnector() {
            public String name() { return "demo"; }
            public CompletableFuture<LookupResult> lookup(LookupRequest request) {
                asked.add(request);
                return answer.apply(request);
            }
        };
    }

    private CallReport call(Route route, CrmConnector crm, String callerId, String digits) throws Exception {
        CallHandler handler = new CallHandler(RouteTable.of(Map.of(route.name(), route)), Map.of("demo", crm), Map.of(),
                reports::add, Clock.systemUTC());
        SimulatedSession session = new SimulatedSession(SimulatedSession.environment(route.name(), callerId, List.of()), digits,
                Map.of(), scheduler);
        CallReport report = handler.handle(session).get(5, TimeUnit.SECONDS);
        assertEquals(report.variables(), session.variablesSet(), "every decided variable is set on the channel");
        return report;
    }

    @Test
    void aCallerFoundInTheCrmIsRoutedByTheRules() throws Exception {
        CallReport report = call(Routes.vip(1), crm(request -> CompletableFuture.completedFuture(
                LookupResult.of(List.of(new CrmRecord(Map.of("status", "GOLD", "balance", "10")))))), "15551230001", "");
        assertEquals("MATCH", report.variables().get("CRMROUTE_STATUS"));
        assertEquals("103", report.variables().get("CRMROUTE_DEST"));
        LookupRequest request = asked.get(0);
        assertEquals("15551230001", request.value());
        assertEquals(List.of("status", "balance"), request.fields());
        assertEquals(2, request.limit(), "one record wanted: ask for two to see MULTIPLE");
        assertEquals(List.of(report), reports);
    }

    @Test
    void aWithheldCallerIdAsksNoCrm() throws Exception {
        for (String withheld : List.of("unknown", "", "Anonymous")) {
            CallReport report = call(Routes.vip(1), crm(request -> CompletableFuture.completedFuture(LookupResult.none())), withheld, "");
            assertEquals(CallStatus.WITHHELD, report.decision().status());
        }
        assertTrue(asked.isEmpty());
    }

    @Test
    void aCrmThatNeverAnswersCostsTheCallerExactlyTheBudgetAndItsLookupIsCancelled() throws Exception {
        ManualTime time = new ManualTime();
        Route route = withTimeout(Routes.vip(1), Duration.ofMillis(200));
        CompletableFuture<LookupResult> lookup = new CompletableFuture<>();
        CallHandler handler = new CallHandler(RouteTable.of(Map.of(route.name(), route)), Map.of("demo", crm(request -> lookup)),
                Map.of(), reports::add, time.clock(), time::nanoTime);
        SimulatedSession session = new SimulatedSession(SimulatedSession.environment(route.name(), "15551230001", List.of()), "",
                Map.of(), time.scheduler());

        CompletableFuture<CallReport> call = handler.handle(session);
        time.advance(Duration.ofMillis(200).minusNanos(1));
        assertFalse(call.isDone(), "still within the budget");
        assertFalse(lookup.isDone());
        time.advance(Duration.ofNanos(1));

        CallReport report = call.getNow(null);
        assertEquals("FAILED", report.variables().get("CRMROUTE_STATUS"));
        assertEquals("crm demo: no answer within 200 ms", report.variables().get("CRMROUTE_ERROR"));
        assertEquals("900", report.variables().get("CRMROUTE_DEST"));
        assertEquals(Optional.of(Duration.ofMillis(200)), report.crmTime(), "the wait ends at exactly the budget");
        assertEquals(Duration.ofMillis(200), report.totalTime());
        assertTrue(lookup.isCancelled(), "the caller left: its lookup future is cancelled");
        assertEquals(0, time.pendingTasks(), "no timer left behind");
    }

    @Test
    void anAnswerWithinTheBudgetCancelsTheDeadline() throws Exception {
        ManualTime time = new ManualTime();
        CompletableFuture<LookupResult> lookup = new CompletableFuture<>();
        CallHandler handler = new CallHandler(RouteTable.of(Map.of("vip", Routes.vip(1))), Map.of("demo", crm(request -> lookup)),
                Map.of(), reports::add, time.clock(), time::nanoTime);
        CompletableFuture<CallReport> call = handler.handle(new SimulatedSession(
                SimulatedSession.environment("vip", "15551230001", List.of()), "", Map.of(), time.scheduler()));
        time.advance(Duration.ofMillis(150));
        lookup.complete(LookupResult.of(List.of(new CrmRecord(Map.of("status", "GOLD")))));

        CallReport report = call.getNow(null);
        assertEquals("MATCH", report.variables().get("CRMROUTE_STATUS"));
        assertEquals(Optional.of(Duration.ofMillis(150)), report.crmTime());
        assertEquals(0, time.pendingTasks(), "the budget's timer is gone with the answer");
    }

    @Test
    void aHangUpWhileTheCrmIsAskedEndsTheCallAtOnceAsHangUp() throws Exception {
        ManualTime time = new ManualTime();
        CompletableFuture<LookupResult> lookup = new CompletableFuture<>();
        CallHandler handler = new CallHandler(RouteTable.of(Map.of("vip", Routes.vip(1))), Map.of("demo", crm(request -> lookup)),
                Map.of(), reports::add, time.clock(), time::nanoTime);
        SimulatedSession simulated = new SimulatedSession(SimulatedSession.environment("vip", "15551230001", List.of()), "",
                Map.of(), time.scheduler());
        CompletableFuture<Void> hangup = new CompletableFuture<>();

        CompletableFuture<CallReport> call = handler.handle(withHangup(simulated, hangup));
        time.advance(Duration.ofMillis(40));
        assertFalse(call.isDone());
        hangup.complete(null);

        CallReport report = call.getNow(null);
        assertEquals(Map.of("CRMROUTE_STATUS", "HANGUP", "CRMROUTE_RULE", "hangup"), simulated.variablesSet());
        assertEquals(CallStatus.HANGUP, report.decision().status());
        assertEquals(Optional.of(Duration.ofMillis(40)), report.crmTime(), "the wait ended with the hang-up");
        assertTrue(lookup.isCancelled(), "the caller left: its lookup future is cancelled");
        assertEquals(List.of(report), reports, "the listeners (log, metrics, audit) hear of the hang-up");
        assertEquals(0, time.pendingTasks());
    }

    @Test
    void aHangUpDuringTheDigitsIsHangUpWithWhatWasPressed() throws Exception {
        CompletableFuture<Void> hangup = new CompletableFuture<>();
        Route byAccount = withDtmf(Routes.vip(1));
        CallHandler handler = new CallHandler(RouteTable.of(Map.of(byAccount.name(), byAccount)),
                Map.of("demo", crm(request -> CompletableFuture.completedFuture(LookupResult.none()))), Map.of(), reports::add,
                Clock.systemUTC());
        SimulatedSession simulated = new SimulatedSession(SimulatedSession.environment(byAccount.name(), "1555", List.of()), "00",
                Map.of(), scheduler);
        AgiSession session = withHangup(simulated, hangup);
        AgiSession hangsUpDuringGetData = new AgiSession() {
            public AgiEnvironment environment() { return session.environment(); }
            public InetSocketAddress remoteAddress() { return session.remoteAddress(); }
            public CompletableFuture<Void> hangup() { return session.hangup(); }
            public ScheduledExecutorService scheduler() { return session.scheduler(); }
            public CompletableFuture<AgiReply> send(AgiCommand command) {
                if (command instanceof GetDataCommand) hangup.complete(null); // HANGUP comes before GET DATA's reply
                return session.send(command);
            }
        };

        handler.handle(hangsUpDuringGetData).get(5, TimeUnit.SECONDS);

        assertEquals(Map.of("CRMROUTE_STATUS", "HANGUP", "CRMROUTE_RULE", "hangup", "CRMROUTE_DIGITS", "00"), simulated.variablesSet());
        assertTrue(asked.isEmpty(), "no CRM is asked for a caller who has gone");
    }

    @Test
    void aCrmFailureIsTheFailurePathWithItsReason() throws Exception {
        CallReport report = call(Routes.vip(1), crm(request -> CompletableFuture.failedFuture(
                new CrmException(CrmException.Kind.HTTP_STATUS, "crm demo: HTTP 500"))), "15551230001", "");
        assertEquals("FAILED", report.variables().get("CRMROUTE_STATUS"));
        assertEquals("crm demo: HTTP 500", report.variables().get("CRMROUTE_ERROR"));
    }

    @Test
    void aConnectorBugIsAnInterfaceFailureNotAHangingCall() throws Exception {
        CallReport report = call(Routes.vip(1), crm(request -> { throw new IllegalStateException("bug"); }), "15551230001", "");
        assertEquals("FAILED", report.variables().get("CRMROUTE_STATUS"));
        assertEquals("crm demo: IllegalStateException", report.variables().get("CRMROUTE_ERROR"));
    }

    @Test
    void digitsAreCollectedSentAndExposed() throws Exception {
        Route byAccount = withDtmf(Routes.vip(1));
        CallReport report = call(byAccount, crm(request -> CompletableFuture.completedFuture(LookupResult.none())), "15551230001", "0042");
        assertEquals("0042", asked.get(0).value(), "leading zeros kept");
        assertEquals("NOMATCH", report.variables().get("CRMROUTE_STATUS"));
        assertEquals("0042", report.variables().get("CRMROUTE_DIGITS"));
        assertEquals("0", report.variables().get("CRM_contacts_RECORD_COUNT"));
    }

    @Test
    void noDigitsPressedIsNoMatchWithoutAskingTheCrm() throws Exception {
        CallReport report = call(withDtmf(Routes.vip(1)), crm(request -> CompletableFuture.completedFuture(LookupResult.none())), "1555", "");
        assertEquals("NOMATCH", report.variables().get("CRMROUTE_STATUS"));
        assertTrue(asked.isEmpty());
    }

    @Test
    void anUnknownRouteIsAnError() throws Exception {
        CallHandler handler = new CallHandler(RouteTable.of(Map.of()), Map.of(), Map.of(), reports::add, Clock.systemUTC());
        SimulatedSession session = new SimulatedSession(SimulatedSession.environment("nope", "1555", List.of()), "", Map.of(), scheduler);
        CallReport report = handler.handle(session).get(5, TimeUnit.SECONDS);
        assertEquals(Map.of("CRMROUTE_STATUS", "ERROR", "CRMROUTE_ERROR", "unknown route: nope"), session.variablesSet());
        assertEquals(CallStatus.ERROR, report.decision().status());
    }

    /** {@code session}, whose caller hangs up when {@code hangup} completes. */
    private static AgiSession withHangup(AgiSession session, CompletableFuture<Void> hangup) {
        return new AgiSession() {
            public AgiEnvironment environment() { return session.environment(); }
            public InetSocketAddress remoteAddress() { return session.remoteAddress(); }
            public CompletableFuture<AgiReply> send(AgiCommand command) { return session.send(command); }
            public CompletableFuture<Void> hangup() { return hangup.copy(); }
            public ScheduledExecutorService scheduler() { return session.scheduler(); }
        };
    }

    private static Route withTimeout(Route r, Duration timeout) {
        return new Route(r.name(), r.crm(), r.object(), r.match(), r.dtmf(), r.retrieve(), r.field(), r.records(), timeout,
                r.rules(), r.defaultPath(), r.nomatch(), r.multiple(), r.withheld(), r.failure());
    }

    private static Route withDtmf(Route r) {
        return new Route(r.name(), r.crm(), r.object(), new Match("account", new MatchSource.Digits(), Optional.empty()),
                Optional.of(new DtmfPrompt("enter-account", 8, Duration.ofSeconds(5))), r.retrieve(), r.field(), r.records(),
                r.timeout(), r.rules(), r.defaultPath(), r.nomatch(), r.multiple(), r.withheld(), r.failure());
    }
}
