package io.crmroute.http;

import io.crmroute.crm.CrmHealth;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One check behind {@code /health}. A critical check that is down makes the server DOWN (503); a
 * non-critical one only reports its state. {@link #check()} runs on the event loop: keep it cheap.
 */
public interface HealthIndicator {

    String name();

    boolean critical();

    Status check();

    /** {@code details} are written as JSON in the check's entry; their order is kept, null values allowed. */
    record Status(boolean up, Map<String, Object> details) {

        public Status {
            details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
        }

        public static Status up(Map<String, Object> details) {
            return new Status(true, details);
        }

        public static Status down(Map<String, Object> details) {
            return new Status(false, details);
        }
    }

    /** A check from a name, whether it is critical, and what it reports. */
    static HealthIndicator of(String name, boolean critical, Supplier<Status> check) {
        return new HealthIndicator() {
            public String name() { return name; }
            public boolean critical() { return critical; }
            public Status check() { return check.get(); }
        };
    }

    /**
     * The CRMs' state as the calls saw it, one entry per CRM. Not critical: a CRM that is down sends
     * calls down their failure path, the server itself still serves.
     */
    static HealthIndicator crms(Supplier<List<CrmHealth>> crms) {
        return new CrmHealthIndicator(crms);
    }
}
