package io.crmroute.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logback's {@link AsyncAppender} with the promise an operator needs under a flood: once the queue is
 * past its discarding threshold, INFO and below are dropped and counted, WARN and ERROR are always
 * queued (configure {@code neverBlock=false}: they wait for room rather than vanish; floods of
 * warnings are kept small by {@link RepeatedWarning}), and as soon as there is room again one WARN line
 * says how many lines were dropped.
 */
public class PriorityAsyncAppender extends AsyncAppender {

    private final AtomicLong dropped = new AtomicLong();

    @Override
    protected boolean isDiscardable(ILoggingEvent event) {
        boolean discard = event.getLevel().toInt() < Level.WARN_INT;
        if (discard) dropped.incrementAndGet();
        return discard;
    }

    @Override
    protected void append(ILoggingEvent event) {
        super.append(event);
        if (dropped.get() > 0 && getRemainingCapacity() > getDiscardingThreshold()) {
            long count = dropped.getAndSet(0);
            if (count > 0) super.append(droppedLine(count));
        }
    }

    /** Reports what was dropped since the last report before stopping: no dropped line goes uncounted at exit. */
    @Override
    public void stop() {
        long count = dropped.getAndSet(0);
        if (count > 0 && isStarted()) super.append(droppedLine(count));
        super.stop();
    }

    /** Lines dropped since the last report, for tests and metrics. */
    public long droppedSinceLastReport() {
        return dropped.get();
    }

    private ILoggingEvent droppedLine(long count) {
        LoggingEvent line = new LoggingEvent();
        line.setLoggerName(PriorityAsyncAppender.class.getName());
        line.setLevel(Level.WARN);
        line.setMessage(count + " log lines below WARN were dropped: the log queue was full");
        line.setTimeStamp(System.currentTimeMillis());
        line.setThreadName(Thread.currentThread().getName());
        line.setLoggerContext(getContext() instanceof ch.qos.logback.classic.LoggerContext c ? c : null);
        return line;
    }
}
