package io.crmroute.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition that another thread or process makes true (PostgreSQL reaching a state, a
 * counter the server updates), checking every few milliseconds, and fails past a generous bound.
 * For waiting on something outside the test's control only: never to order events, never to time them.
 */
public final class Await {

    private Await() {}

    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(() -> what, timeout, condition);
    }

    public static void until(Supplier<String> what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + timeout + " waiting for: " + what.get());
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }
}
