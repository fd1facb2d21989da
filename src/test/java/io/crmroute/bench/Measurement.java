package io.crmroute.bench;

/**
 * One system under one scenario: the load result and the system's own peaks (heap used, live threads) while
 * it ran, and the sessions it still held once every client session had ended (-1: not exported). A system
 * that could not be started or measured has a {@code failure} and no result.
 */
record Measurement(String system, LoadResult result, long peakHeapBytes, long peakThreads, long serverSessionsLeft,
                   String failure) {

    static Measurement failed(String system, String why) {
        return new Measurement(system, null, -1, -1, -1, why);
    }

    boolean measured() {
        return result != null;
    }

    /** Leaked sessions: never closed within the session timeout, or still held by the server after. */
    long leaked() {
        return result.leaked() + Math.max(0, serverSessionsLeft);
    }

    double peakHeapMb() {
        return peakHeapBytes < 0 ? Double.NaN : peakHeapBytes / (1024.0 * 1024.0);
    }
}
