package io.crmroute.concurrent;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Threads named {@code prefix-1}, {@code prefix-2}, ... that never keep the JVM alive: the graceful stop ends them. */
public final class DaemonThreads {

    private DaemonThreads() {}

    public static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
