package io.crmroute.call;

import io.crmroute.logging.LogText;
import io.crmroute.route.Decision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per call decision: route, status, destination, CRM time. Every value that came from the
 * wire or a CRM (unique id, route name, caller, destination, error) is escaped: one call, one line.
 */
public final class DecisionLogger implements DecisionListener {

    private static final Logger log = LoggerFactory.getLogger("io.crmroute.decisions");

    @Override
    public void onDecision(CallReport report) {
        if (!log.isInfoEnabled()) return;
        Decision decision = report.decision();
        log.info("call uniqueid={} route={} caller={} status={} rule={} dest={} voicemail={} crm_ms={} total_ms={}{}",
                LogText.safe(report.uniqueId()), LogText.safe(decision.route()), LogText.safe(report.callerId()), decision.status(),
                LogText.safe(decision.rule()), decision.destination().map(d -> LogText.safe(d.type() + "/" + d.target())).orElse("-"),
                decision.voicemail() ? "yes" : "no",
                report.crmTime().map(t -> Long.toString(t.toMillis())).orElse("-"),
                report.totalTime().toMillis(),
                decision.error().map(error -> " error=\"" + LogText.safe(error) + "\"").orElse(""));
    }
}
