package io.crmroute.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void aCrmThatNeverAnswersCostsTheCallerOnlyTheBudget() throws Exception {
        Route route = withTimeout(Routes.vip(1), Duration.ofMillis(200));
        long started = System.nanoTime();
        CallReport report = call(route, crm(request -> new CompletableFuture<>()), "15551230001", "");
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertEquals("FAILED", report.variables().get("CRMROUTE_STATUS"));
        assertEquals("crm demo: no answer within 200 ms", report.variables().get("CRMROUTE_ERROR"));
        assertEquals("900", report.variables().get("CRMROUTE_DEST"));
        assertTrue(elapsedMs >= 190 && elapsedMs < 1000, "took " + elapsedMs + " ms");
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
