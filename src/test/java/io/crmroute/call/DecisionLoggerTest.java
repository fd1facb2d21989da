package io.crmroute.call;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.crmroute.route.Decision;
import io.crmroute.route.LookupOutcome;
import io.crmroute.route.Router;
import io.crmroute.route.Routes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** One line per decision, whatever a caller, a dialplan or a CRM put in the values. */
class DecisionLoggerTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger("io.crmroute.decisions");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private Level level;

    @BeforeEach
    void capture() {
        level = logger.getLevel();
        logger.setLevel(Level.INFO);
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
        logger.setLevel(level);
    }

    @Test
    void wireValuesAreEscapedSoOneDecisionIsOneLine() {
        Decision error = Decision.error("vip\rvip", "", "crm demo: HTTP 500\nforged line");
        new DecisionLogger().onDecision(report("1732170000.42\u001b[2J", "1555\ncall uniqueid=x", error, Optional.empty()));

        assertEquals(1, lines.list.size());
        assertEquals("call uniqueid=1732170000.42\\x1b[2J route=vip\\rvip caller=1555\\ncall uniqueid=x status=ERROR rule= dest=- "
                + "voicemail=no crm_ms=- total_ms=12 error=\"crm demo: HTTP 500\\nforged line\"", lines.list.get(0).getFormattedMessage());
    }

    @Test
    void aHangUpIsLoggedWithItsStatusAndTheWaitItCut() {
        Decision hangUp = Router.decide(Routes.vip(1), "", new LookupOutcome.HungUp());
        new DecisionLogger().onDecision(report("1732170000.43", "15551230001", hangUp, Optional.of(Duration.ofMillis(40))));

        assertEquals("call uniqueid=1732170000.43 route=vip caller=15551230001 status=HANGUP rule=hangup dest=- voicemail=no "
                + "crm_ms=40 total_ms=12", lines.list.get(0).getFormattedMessage());
    }

    private static CallReport report(String uniqueId, String callerId, Decision decision, Optional<Duration> crmTime) {
        return new CallReport(Instant.parse("2026-01-05T09:00:00Z"), uniqueId, "PJSIP/trunk-00000012", callerId, "demo", decision,
                Optional.empty(), crmTime, Duration.ofMillis(12), Map.of());
    }
}
