package io.crmroute.call;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Bounds a future by a budget, timed on the caller's own event loop so no thread waits. */
final class Deadlines {

    private Deadlines() {}

    static <T> CompletableFuture<T> within(CompletableFuture<T> work, Duration budget, ScheduledExecutorService scheduler) {
        CompletableFuture<T> bounded = new CompletableFuture<>();
        ScheduledFuture<?> timer = scheduler.schedule(
                () -> bounded.completeExceptionally(new TimeoutException("no answer within " + budget.toMillis() + " ms")),
                budget.toNanos(), TimeUnit.NANOSECONDS);
        work.whenComplete((value, failure) -> {
            timer.cancel(false);
            if (failure != null) bounded.completeExceptionally(failure);
            else bounded.complete(value);
        });
        return bounded;
    }
}
