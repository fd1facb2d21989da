package io.crmroute.testing;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time that a test drives: a wall clock, a nanosecond ticker and a scheduler that all stand still
 * until {@link #advance} moves them. Tasks scheduled for a moment run, in time order and on the
 * thread that calls {@code advance}, when time reaches that moment; {@code execute} runs a task at
 * once on the caller's thread. Thread-safe: code under test may schedule from any thread.
 *
 * <pre>{@code
 * ManualTime time = new ManualTime();
 * CompletableFuture<LookupResult> answer = connector.lookup(request);   // uses time.scheduler()
 * time.advance(Duration.ofMillis(100));                                   // its deadline passes
 * assertTrue(answer.isCompletedExceptionally());
 * }</pre>
 */
public final class ManualTime {

    private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");

    private final Object lock = new Object();
    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private volatile long nanos;
    private final Scheduler scheduler = new Scheduler();

    /** Nanoseconds since this time was made. */
    public long nanoTime() {
        return nanos;
    }

    public Ticker ticker() {
        return this::nanoTime;
    }

    /** A UTC clock that starts at 2026-01-05T09:00:00Z and moves with {@link #advance}. */
    public Clock clock() {
        return new ManualClock(ZoneOffset.UTC);
    }

    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Moves time forward by {@code step}, running every task that falls due on the way, in order. */
    public void advance(Duration step) {
        long target = nanos + step.toNanos();
        while (true) {
            Task<?> next;
            synchronized (lock) {
                next = queue.peek();
                if (next == null || next.dueNanos > target) break;
                queue.poll();
                if (next.dueNanos > nanos) nanos = next.dueNanos;
            }
            next.run();
        }
        synchronized (lock) {
            nanos = target;
        }
    }

    /** How many tasks wait for a later moment (cancelled ones are removed at once). */
    public int pendingTasks() {
        synchronized (lock) {
            return queue.size();
        }
    }

    private final class ManualClock extends Clock {
        private final ZoneId zone;

        ManualClock(ZoneId zone) {
            this.zone = zone;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId newZone) {
            return new ManualClock(newZone);
        }

        @Override
        public Instant instant() {
            return START.plusNanos(nanos);
        }
    }

    private final class Task<V> implements ScheduledFuture<V>, Runnable {
        final long dueNanos;
        final long order = sequence.incrementAndGet();
        final long periodNanos; // 0: once
        final Callable<V> work;
        final CompletableFuture<V> result = new CompletableFuture<>();

        Task(long dueNanos, long periodNanos, Callable<V> work) {
            this.dueNanos = dueNanos;
            this.periodNanos = periodNanos;
            this.work = work;
        }

        @Override
        public void run() {
            if (result.isDone()) return;
            try {
                V value = work.call();
                if (periodNanos > 0) {
                    enqueue(new Task<>(dueNanos + periodNanos, periodNanos, work), this);
                } else {
                    result.complete(value);
                }
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - nanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            Task<?> that = (Task<?>) other;
            int byTime = Long.compare(dueNanos, that.dueNanos);
            return byTime != 0 ? byTime : Long.compare(order, that.order);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = result.cancel(false);
            synchronized (lock) {
                queue.remove(this);
            }
            return cancelled;
        }

        @Override
        public boolean isCancelled() {
            return result.isCancelled();
        }

        @Override
        public boolean isDone() {
            return result.isDone();
        }

        @Override
        public V get() throws InterruptedException, ExecutionException {
            return result.get();
        }

        @Override
        public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            return result.get(timeout, unit);
        }
    }

    /** A periodic task's next run shares the first one's future, so cancelling either stops both. */
    private <V> void enqueue(Task<V> next, Task<?> previous) {
        previous.result.whenComplete((v, e) -> next.result.cancel(false));
        synchronized (lock) {
            if (!previous.result.isDone()) queue.add(next);
        }
    }

    private final class Scheduler extends AbstractExecutorService implements ScheduledExecutorService {
        private volatile boolean shutdown;

        private <V> Task<V> add(long delayNanos, long periodNanos, Callable<V> work) {
            Task<V> task = new Task<>(nanos + Math.max(0, delayNanos), periodNanos, work);
            synchronized (lock) {
                queue.add(task);
            }
            return task;
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            return add(unit.toNanos(delay), 0, () -> {
                command.run();
                return null;
            });
        }

        @Override
        public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
            return add(unit.toNanos(delay), 0, callable);
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
            return add(unit.toNanos(initialDelay), unit.toNanos(period), () -> {
                command.run();
                return null;
            });
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
            return scheduleAtFixedRate(command, initialDelay, delay, unit);
        }

        @Override
        public void execute(Runnable command) {
            command.run();
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            List<Runnable> left;
            synchronized (lock) {
                left = new ArrayList<>(queue);
                queue.clear();
            }
            return left;
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return shutdown;
        }
    }
}
