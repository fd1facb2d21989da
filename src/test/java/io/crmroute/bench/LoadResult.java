package io.crmroute.bench;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What a load run measured. The histogram holds correct sessions only, connect to server close, in
 * microseconds; {@code leaked} sessions were never closed by the server within the session timeout.
 */
record LoadResult(LoadPlan plan, long started, long ok, long hungUp, Map<ErrorKind, Long> errors, long leaked,
                  Histogram latencyMicros, long elapsedNanos, long maxInFlight, List<String> samples) {

    /** Why a session counts as an error. */
    enum ErrorKind {
        /** The connection could not be made (refused, connect timeout). */
        REFUSED,
        /** The connection broke (reset, I/O error). */
        RESET,
        /** The server never closed the session: leaked. */
        TIMEOUT,
        /** The server closed without sending a single command (e.g. a full pool refusing the call). */
        DROPPED,
        /** The variables set are not the expected decision for this caller. */
        WRONG,
        /** A command Asterisk would reject (bad syntax). */
        PROTOCOL
    }

    LoadResult {
        errors = Map.copyOf(errors);
        samples = List.copyOf(samples);
    }

    long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    long errors(ErrorKind kind) {
        return errors.getOrDefault(kind, 0L);
    }

    double sessionsPerSecond() {
        return elapsedNanos <= 0 ? 0 : ok * 1e9 / elapsedNanos;
    }

    /** A latency percentile in milliseconds (NaN when no session succeeded). */
    double percentileMs(double percentile) {
        return latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }

    double maxMs() {
        return latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getMaxValue() / 1000.0;
    }

    String summary() {
        return String.format("%s: started %,d, ok %,d (%.0f/s), errors %s, leaked %d, p50 %.2f ms, p99 %.2f ms, max %.2f ms, "
                        + "max in flight %,d%s",
                plan.describe(), started, ok, sessionsPerSecond(), errors, leaked, percentileMs(50), percentileMs(99),
                maxMs(), maxInFlight, samples.isEmpty() ? "" : ", e.g. " + samples.get(0));
    }
}
