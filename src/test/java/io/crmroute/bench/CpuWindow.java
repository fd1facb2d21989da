package io.crmroute.bench;

/**
 * The CPU a server process used over one measured window, in clock ticks of 1/{@code ticksPerSecond} s: its
 * total and its cost per session. Each end of the window is truncated to a tick, so the total is good to
 * {@link #resolutionMicros()}.
 */
record CpuWindow(long ticks, long ticksPerSecond) {

    CpuWindow {
        if (ticks < 0) throw new IllegalArgumentException("CPU time went backwards: " + ticks + " ticks");
        if (ticksPerSecond <= 0) throw new IllegalArgumentException("ticks per second: " + ticksPerSecond);
    }

    /** Between two readings of the same process's ticks. */
    static CpuWindow between(long startTicks, long endTicks, long ticksPerSecond) {
        return new CpuWindow(endTicks - startTicks, ticksPerSecond);
    }

    double micros() {
        return ticks * 1e6 / ticksPerSecond;
    }

    /** CPU per session in microseconds; NaN for no session (nothing to divide by, not "free"). */
    double microsPerSession(long sessions) {
        return sessions <= 0 ? Double.NaN : micros() / sessions;
    }

    /** How far the total may be off: a tick at each end. */
    double resolutionMicros() {
        return 2e6 / ticksPerSecond;
    }

    /** {@link #resolutionMicros()} as a fraction of the total (infinite for a window of no tick). */
    double relativeError() {
        return ticks == 0 ? Double.POSITIVE_INFINITY : 2.0 / ticks;
    }
}
