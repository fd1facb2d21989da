package io.crmroute.http;

import io.crmroute.crm.CrmHealth;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code crms}: up when every CRM is; a CRM is down while its breaker is open or its latest
 * call failed.
 */
final class CrmHealthIndicator implements HealthIndicator {

    private final Supplier<List<CrmHealth>> crms;

    CrmHealthIndicator(Supplier<List<CrmHealth>> crms) {
        this.crms = crms;
    }

    @Override
    public String name() {
        return "crms";
    }

    @Override
    public boolean critical() {
        return false;
    }

    @Override
    public Status check() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean allUp = true;
        for (CrmHealth crm : crms.get()) {
            boolean up = isUp(crm);
            allUp &= up;
            details.put(crm.name(), describe(crm, up));
        }
        return new Status(allUp, details);
    }

    static boolean isUp(CrmHealth crm) {
        if ("OPEN".equalsIgnoreCase(crm.breaker()) || "FORCED_OPEN".equalsIgnoreCase(crm.breaker())) return false;
        if (crm.lastFailure().isEmpty()) return true;
        Instant failure = crm.lastFailure().get();
        return crm.lastSuccess().map(success -> success.isAfter(failure)).orElse(false);
    }

    /** Absent values are written as null so every CRM has the same keys. */
    private static Map<String, Object> describe(CrmHealth crm, boolean up) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("up", up);
        entry.put("lastSuccess", crm.lastSuccess().map(Instant::toString).orElse(null));
        entry.put("lastFailure", crm.lastFailure().map(Instant::toString).orElse(null));
        entry.put("lastError", crm.lastError().orElse(null));
        entry.put("breaker", crm.breaker());
        return entry;
    }
}
