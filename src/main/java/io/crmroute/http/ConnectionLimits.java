package io.crmroute.http;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/** Counts open connections, in all and per source address, and refuses those over the limits. Thread-safe. */
final class ConnectionLimits {

    private final int max;
    private final int maxPerSource;
    private final Map<InetAddress, Integer> bySource = new HashMap<>();
    private int open;

    ConnectionLimits(int max, int maxPerSource) {
        this.max = max;
        this.maxPerSource = maxPerSource;
    }

    /** Counts the connection in and returns true, or returns false when it would pass a limit. */
    synchronized boolean admit(InetAddress source) {
        if (open >= max || bySource.getOrDefault(source, 0) >= maxPerSource) return false;
        open++;
        bySource.merge(source, 1, Integer::sum);
        return true;
    }

    /** Counts an admitted connection out. */
    synchronized void release(InetAddress source) {
        open--;
        bySource.computeIfPresent(source, (address, count) -> count == 1 ? null : count - 1);
    }

    synchronized int open() {
        return open;
    }
}
