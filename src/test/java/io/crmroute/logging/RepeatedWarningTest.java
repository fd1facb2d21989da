package io.crmroute.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RepeatedWarningTest {

    @Test
    void aFloodOfWarningsIsOneLinePerIntervalWithACount() {
        Logger logger = (Logger) LoggerFactory.getLogger("test.repeated." + System.identityHashCode(this));
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        logger.setAdditive(false);
        AtomicLong now = new AtomicLong(1_000);
        RepeatedWarning refused = new RepeatedWarning(logger, Duration.ofSeconds(10), now::get);

        assertTrue(refused.warn("refused connection from {}", "10.0.0.1"));
        for (int i = 0; i < 68_460; i++) assertFalse(refused.warn("refused connection from {}", "10.0.0." + i));
        assertEquals(68_460, refused.suppressed());

        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertTrue(refused.warn("refused connection from {}", "10.0.0.9"));

        List<String> logged = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(List.of("refused connection from 10.0.0.1",
                "refused connection from 10.0.0.9 (68460 more like this in the last 10 s not logged)"), logged);
        assertEquals(0, refused.suppressed());
    }
}
