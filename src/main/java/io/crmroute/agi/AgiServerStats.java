package io.crmroute.agi;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of one {@link AgiServer}, readable from any thread, e.g. by Micrometer:
 * {@code Gauge.builder("agi.sessions.in.flight", stats, AgiServerStats::sessionsInFlight)} or
 * {@code FunctionCounter.builder("agi.sessions", stats, AgiServerStats::sessionsTotal)}.
 */
public final class AgiServerStats {

    private final AtomicLong sessionsInFlight = new AtomicLong();
    private final LongAdder sessionsTotal = new LongAdder();
    private final LongAdder connectionsRejected = new LongAdder();
    private final LongAdder protocolErrors = new LongAdder();

    AgiServerStats() {}

    /** Connections accepted (past the allowlist) and not yet closed, environment received or not. */
    public long sessionsInFlight() {
        return sessionsInFlight.get();
    }

    /** Connections accepted since the server started. */
    public long sessionsTotal() {
        return sessionsTotal.sum();
    }

    /** Connections closed at once: source address not allowed, or past a connection cap. */
    public long connectionsRejected() {
        return connectionsRejected.sum();
    }

    /** Connections closed because the peer broke the protocol (bad line, too long, too many lines). */
    public long protocolErrors() {
        return protocolErrors.sum();
    }

    void sessionOpened() {
        sessionsTotal.increment();
        sessionsInFlight.incrementAndGet();
    }

    void sessionClosed() {
        sessionsInFlight.decrementAndGet();
    }

    void connectionRejected() {
        connectionsRejected.increment();
    }

    void protocolError() {
        protocolErrors.increment();
    }

    @Override
    public String toString() {
        return "AgiServerStats[sessionsInFlight=" + sessionsInFlight() + ", sessionsTotal=" + sessionsTotal()
                + ", connectionsRejected=" + connectionsRejected() + ", protocolErrors=" + protocolErrors() + "]";
    }
}
