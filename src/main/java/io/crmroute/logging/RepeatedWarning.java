package io.crmroute.logging;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * One kind of warning that strangers can trigger at will (a refused connection, a protocol error):
 * logged at most once per interval, and the next line logged says how many were left out meanwhile.
 * Thread-safe and lock-free; time comes from an injected nanosecond ticker so tests drive it.
 */
public final class RepeatedWarning {

    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier ticker;
    private final AtomicLong nextAllowed;
    private final AtomicLong suppressed = new AtomicLong();

    public RepeatedWarning(Logger log, Duration interval, LongSupplier nanoTicker) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
        this.ticker = nanoTicker;
        this.nextAllowed = new AtomicLong(nanoTicker.getAsLong());
    }

    /** Production use: one line per {@code interval} on the JVM's monotonic clock. */
    public static RepeatedWarning every(Duration interval, Logger log) {
        return new RepeatedWarning(log, interval, System::nanoTime);
    }

    /**
     * Logs {@code format} at WARN unless a line of this kind was logged within the interval; returns
     * whether it logged. Arguments from the wire must already be passed through {@link LogText#safe}.
     */
    public boolean warn(String format, Object... arguments) {
        long now = ticker.getAsLong();
        long allowed = nextAllowed.get();
        if (now - allowed < 0 || !nextAllowed.compareAndSet(allowed, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return false;
        }
        long left = suppressed.getAndSet(0);
        if (left == 0) {
            log.warn(format, arguments);
        } else {
            log.warn(format + " ({} more like this in the last {} not logged)", append(arguments, left, describe(intervalNanos)));
        }
        return true;
    }

    /** How many lines were left out since the last one logged. */
    public long suppressed() {
        return suppressed.get();
    }

    private static Object[] append(Object[] arguments, Object... more) {
        Object[] all = new Object[arguments.length + more.length];
        System.arraycopy(arguments, 0, all, 0, arguments.length);
        System.arraycopy(more, 0, all, arguments.length, more.length);
        return all;
    }

    private static String describe(long nanos) {
        Duration d = Duration.ofNanos(nanos);
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
