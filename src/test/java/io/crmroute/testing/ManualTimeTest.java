package io.crmroute.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ManualTimeTest {

    @Test
    void tasksRunInTimeOrderWhenTimeReachesThem() {
        ManualTime time = new ManualTime();
        List<String> ran = new ArrayList<>();
        time.scheduler().schedule(() -> ran.add("b at 200"), 200, TimeUnit.MILLISECONDS);
        time.scheduler().schedule(() -> ran.add("a at 100"), 100, TimeUnit.MILLISECONDS);
        time.advance(Duration.ofMillis(99));
        assertEquals(List.of(), ran);
        time.advance(Duration.ofMillis(150));
        assertEquals(List.of("a at 100", "b at 200"), ran);
        assertEquals(Duration.ofMillis(249).toNanos(), time.nanoTime());
    }

    @Test
    void aTaskSeesTheClockAtItsOwnMomentAndMayScheduleMore() {
        ManualTime time = new ManualTime();
        List<Long> seen = new ArrayList<>();
        time.scheduler().schedule(() -> {
            seen.add(time.nanoTime());
            time.scheduler().schedule(() -> seen.add(time.nanoTime()), 10, TimeUnit.NANOSECONDS);
        }, 50, TimeUnit.NANOSECONDS);
        time.advance(Duration.ofNanos(100));
        assertEquals(List.of(50L, 60L), seen);
    }

    @Test
    void cancelledAndPeriodicTasks() {
        ManualTime time = new ManualTime();
        List<String> ran = new ArrayList<>();
        ScheduledFuture<?> cancelled = time.scheduler().schedule(() -> ran.add("never"), 1, TimeUnit.SECONDS);
        ScheduledFuture<?> tick = time.scheduler().scheduleAtFixedRate(() -> ran.add("tick"), 1, 1, TimeUnit.SECONDS);
        assertTrue(cancelled.cancel(false));
        time.advance(Duration.ofMillis(3500));
        assertEquals(List.of("tick", "tick", "tick"), ran);
        tick.cancel(false);
        time.advance(Duration.ofSeconds(5));
        assertEquals(3, ran.size());
        assertEquals(0, time.pendingTasks());
        assertFalse(time.clock().instant().isBefore(java.time.Instant.parse("2026-01-05T09:00:08.5Z")));
    }
}
