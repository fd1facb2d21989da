package io.crmroute.action;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code crmroute_actions_total{crm,kind,result}} (result written, failed, gave_up, dropped) and
 * {@code crmroute_actions_dropped_total{crm}}, the actions a full queue dropped.
 */
public final class ActionMetrics implements ActionListener {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public ActionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onAction(ActionRecord record) {
        String crm = record.crm();
        String kind = record.kindLabel();
        String result = record.result().label();
        counters.computeIfAbsent(crm + '\u0000' + kind + '\u0000' + result, key -> Counter.builder("crmroute.actions")
                .description("Write actions by CRM, kind and how they ended")
                .tag("crm", crm).tag("kind", kind).tag("result", result)
                .register(registry)).increment();
        if (record.result() == ActionRecord.Result.DROPPED) {
            counters.computeIfAbsent(crm + "\u0000dropped", key -> Counter.builder("crmroute.actions.dropped")
                    .description("Write actions dropped, oldest first, because the CRM's action queue was full")
                    .tag("crm", crm)
                    .register(registry)).increment();
        }
    }
}
