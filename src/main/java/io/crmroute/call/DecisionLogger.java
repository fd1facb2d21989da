package io.crmroute.call;

import io.crmroute.route.Decision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One log line per call decision: route, status, destination, CRM time. */
public final class DecisionLogger implements DecisionListener {

    private static final Logger log = LoggerFactory.getLogger("io.crmroute.decisions");

    @Override
    public void onDecision(CallReport report) {
        if (!log.isInfoEnabled()) return;
        Decision decision = report.decision();
        log.info("call uniqueid={} route={} caller={} status={} rule={} dest={} voicemail={} crm_ms={} total_ms={}{}",
                report.uniqueId(), decision.route(), report.callerId(), decision.status(), decision.rule(),
                decision.destination().map(d -> d.type() + "/" + d.target()).orElse("-"),
                decision.voicemail() ? "yes" : "no",
                report.crmTime().map(t -> Long.toString(t.toMillis())).orElse("-"),
                report.totalTime().toMillis(),
                decision.error().map(error -> " error=\"" + error + "\"").orElse(""));
    }
}
