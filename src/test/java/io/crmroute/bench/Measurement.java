package io.crmroute.bench;

/**
 * One system under one scenario: the load result and the system's own peaks (heap used, live threads) while
 * it ran, the sessions it still held once every client session had ended (-1: not exported), and the CPU its
 * process used over the measured window ({@code cpu}, null when it ran in this JVM). A system that could not
 * be started or measured has a {@code failure} and no result.
 */
record Measurement(String system, LoadResult result, long peakHeapBytes, long peakThreads, long serverSessionsLeft,
                   CpuWindow cpu, String failure) {

    static Measurement failed(String system, String why) {
        return new Measurement(system, null, -1, -1, -1, null, why);
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

    /**
     * The server process's CPU per session in microseconds: its CPU over the measured window divided by every
     * session the load generator started in it (answered, wrong, refused or hung up alike: each is a call the
     * server was offered). NaN when not measured, measured in this JVM, or no session started.
     */
    double cpuMicrosPerSession() {
        return measured() && cpu != null ? cpu.microsPerSession(result.started()) : Double.NaN;
    }
}
