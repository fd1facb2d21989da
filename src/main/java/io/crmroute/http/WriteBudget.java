package io.crmroute.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The response bytes all connections may have waiting to be written. When the budget is spent, a new
 * response does not fit, unless nothing at all is waiting (so one response larger than the budget is
 * still served). Thread-safe.
 */
final class WriteBudget {

    private final long limit;
    private final AtomicLong queued = new AtomicLong();

    WriteBudget(long limit) {
        this.limit = limit;
    }

    /** Reserves {@code bytes} and returns true, or returns false when they do not fit. */
    boolean tryTake(long bytes) {
        while (true) {
            long now = queued.get();
            if (now > 0 && now + bytes > limit) return false;
            if (queued.compareAndSet(now, now + bytes)) return true;
        }
    }

    /** Returns bytes reserved by {@link #tryTake} once they are written or dropped. */
    void give(long bytes) {
        queued.addAndGet(-bytes);
    }

    long queued() {
        return queued.get();
    }
}
