package io.crmroute.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PriorityAsyncAppenderTest {

    /** Stands for a stdout nobody reads: holds every line until the test opens it. */
    static final class StuckOutput extends AppenderBase<ILoggingEvent> {
        final CountDownLatch open = new CountDownLatch(1);
        final List<ILoggingEvent> written = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            try {
                open.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            written.add(event);
        }
    }

    @Test
    void underAFloodInfoIsDroppedAndCountedButNoWarningOrErrorIsLost() throws Exception {
        LoggerContext context = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory(); // has the MDC adapter events need
        StuckOutput output = new StuckOutput();
        output.setContext(context);
        output.start();
        PriorityAsyncAppender async = new PriorityAsyncAppender();
        async.setContext(context);
        async.setQueueSize(16);
        async.setDiscardingThreshold(4);
        async.setNeverBlock(false);
        async.addAppender(output);
        async.start();

        for (int i = 0; i < 1_000; i++) async.doAppend(event(context, Level.INFO, "call " + i));
        // The queue is full of INFO now; warnings must wait for room, not vanish: send them from another thread.
        Thread warnings = new Thread(() -> {
            for (int i = 0; i < 20; i++) async.doAppend(event(context, i % 2 == 0 ? Level.WARN : Level.ERROR, "problem " + i));
        });
        warnings.start();
        output.open.countDown();
        warnings.join(TimeUnit.SECONDS.toMillis(30));
        async.doAppend(event(context, Level.INFO, "after the flood"));
        async.stop();

        List<String> messages = output.written.stream().map(ILoggingEvent::getFormattedMessage).toList();
        for (int i = 0; i < 20; i++) assertTrue(messages.contains("problem " + i), "problem " + i + " kept");
        long infoKept = messages.stream().filter(m -> m.startsWith("call ")).count();
        assertTrue(infoKept < 1_000, "some INFO lines were dropped: " + infoKept);
        long reportedDropped = messages.stream().filter(m -> m.endsWith(" log lines below WARN were dropped: the log queue was full"))
                .mapToLong(m -> Long.parseLong(m.substring(0, m.indexOf(' ')))).sum();
        // 1,001 INFO lines were offered: the flood and "after the flood", which may be dropped too if the queue is
        // still draining (then the report made at stop counts it).
        long afterKept = messages.contains("after the flood") ? 1 : 0;
        assertEquals(1_001 - infoKept - afterKept, reportedDropped, "every dropped line is counted in a report");
        assertEquals(0, async.droppedSinceLastReport());
    }

    private static ILoggingEvent event(LoggerContext context, Level level, String message) {
        LoggingEvent event = new LoggingEvent();
        event.setLoggerContext(context);
        event.setLoggerName("test");
        event.setLevel(level);
        event.setMessage(message);
        event.setTimeStamp(0);
        event.setThreadName("test");
        return event;
    }
}
