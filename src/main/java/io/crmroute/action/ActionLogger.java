package io.crmroute.action;

import io.crmroute.logging.LogText;
import io.crmroute.logging.RepeatedWarning;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per action's end; drops, which a flood of calls can cause at will, at most one line every
 * ten seconds with a count.
 */
public final class ActionLogger implements ActionListener {

    private static final Logger log = LoggerFactory.getLogger(ActionLogger.class);

    private final RepeatedWarning drops;

    public ActionLogger(LongSupplier nanoTime) {
        this.drops = new RepeatedWarning(log, Duration.ofSeconds(10), nanoTime);
    }

    public ActionLogger() {
        this(System::nanoTime);
    }

    @Override
    public void onAction(ActionRecord record) {
        if (record.result() == ActionRecord.Result.DROPPED) {
            drops.warn("action queue of crm {} full: dropped the oldest action ({} on call {} of route {})", LogText.safe(record.crm()),
                    record.kindLabel(), LogText.safe(record.uniqueid()), LogText.safe(record.route()));
            return;
        }
        String line = "action {} {} on crm {} for call {} of route {}: {} after {} attempt(s){}";
        Object[] arguments = {record.kindLabel(), LogText.safe(record.object()), LogText.safe(record.crm()), LogText.safe(record.uniqueid()),
                LogText.safe(record.route()), record.result().label(), record.attempts(),
                record.recordId().map(id -> ", record " + LogText.safe(id)).orElse("")
                        + record.error().map(error -> ": " + LogText.safe(error)).orElse("")};
        if (record.result() == ActionRecord.Result.WRITTEN) log.info(line, arguments);
        else log.warn(line, arguments);
    }
}
