package io.crmroute.crm;

import io.crmroute.testing.ManualTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static io.crmroute.crm.TestCrms.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A CRM that sends its headers and then stalls or trickles the body must not keep a connection per
 * call: the exchange is aborted when every caller has left, or at the CRM's timeout. Real sockets;
 * the connections are counted on the server side. Time is driven by the test, so nothing but the
 * callers leaving (or the test moving time past the timeout) can end an exchange.
 */
class StalledCrmTest {

    private static final Duration GENEROUS = Duration.ofSeconds(60);

    private final ManualTime time = new ManualTime();
    private final CrmContext context = CrmContext.create(time.clock(), time.ticker(), time.scheduler());
    private StalledCrmServer server;

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) server.close();
        context.close();
    }

    private CrmConnector billing() {
        return CrmConnectors.create(TestCrms.spec("billing", HttpCrm.TYPE,
                Map.of("url", server.url("/crm"), "allow-insecure", "true")), context);
    }

    /** {@code count} lookups of different numbers, so none shares another's request. */
    private static List<CompletableFuture<LookupResult>> lookups(CrmConnector crm, int count) {
        List<CompletableFuture<LookupResult>> callers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            callers.add(crm.lookup(new LookupRequest("contacts", "phone", "+1555100" + (1000 + i), Optional.empty(), List.of("status"),
                    1, "", "", Duration.ofMillis(1500), null)));
        }
        return callers;
    }

    @Test
    void aStalledBodyKeepsNoConnectionOnceItsCallersHaveLeft() throws Exception {
        server = StalledCrmServer.stalling();
        List<CompletableFuture<LookupResult>> callers = lookups(billing(), 300);
        assertTrue(server.awaitHeadersSent(300, GENEROUS), "all 300 requests reached the CRM and got headers");
        assertTrue(callers.stream().noneMatch(CompletableFuture::isDone), "every body is still pending");

        callers.forEach(caller -> caller.cancel(false)); // each Call's budget ends

        assertTrue(server.awaitClosedByClient(300, GENEROUS), "closed by the client: " + server.closedByClient());
        assertEquals(300, server.accepted());
        assertEquals(300, server.closedByClient());
    }

    @Test
    void aTrickledBodyIsCutAtTheCrmTimeout() throws Exception {
        server = StalledCrmServer.trickling(Duration.ofMillis(20));
        List<CompletableFuture<LookupResult>> callers = lookups(billing(), 50);
        assertTrue(server.awaitHeadersSent(50, GENEROUS));
        assertTrue(server.awaitTrickling(50, GENEROUS), "every body is trickling in");
        assertTrue(callers.stream().noneMatch(CompletableFuture::isDone));

        time.advance(CrmSpec.DEFAULT_TIMEOUT); // the callers still wait: the CRM's own timeout ends each exchange

        for (CompletableFuture<LookupResult> caller : callers) {
            assertEquals("crm billing: no answer within 5000 ms", failure(caller, CrmException.Kind.TIMEOUT).getMessage());
        }
        assertTrue(server.awaitClosedByClient(50, GENEROUS), "closed by the client: " + server.closedByClient());
        assertEquals(50, server.accepted());
        assertFalse(server.closedByClient() < 50);
    }
}
