package io.crmroute.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /health}: 200 {@code {"status":"UP","checks":[...]}} while every critical check is up,
 * 503 with {@code "DOWN"} otherwise. Each check is listed with its name, critical, up and details.
 */
public final class HealthService implements HttpService {

    private static final Logger LOG = LoggerFactory.getLogger(HealthService.class);

    private final List<HealthIndicator> indicators;

    public HealthService(List<HealthIndicator> indicators) {
        this.indicators = List.copyOf(indicators);
    }

    public static HealthService of(HealthIndicator... indicators) {
        return new HealthService(List.of(indicators));
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.get("/health", this::health);
    }

    private CompletableFuture<HttpResponse> health(HttpRequest request) {
        boolean serving = true;
        List<Map<String, Object>> checks = new ArrayList<>();
        for (HealthIndicator indicator : indicators) {
            HealthIndicator.Status status = checkSafely(indicator);
            serving &= status.up() || !indicator.critical();
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("name", indicator.name());
            check.put("critical", indicator.critical());
            check.put("up", status.up());
            check.put("details", status.details());
            checks.add(check);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", serving ? "UP" : "DOWN");
        body.put("checks", checks);
        return HttpResponse.json(serving ? 200 : 503, body).completed();
    }

    /** A check that throws is down; its message goes to the log, not to the body. */
    private static HealthIndicator.Status checkSafely(HealthIndicator indicator) {
        try {
            HealthIndicator.Status status = indicator.check();
            if (status != null) return status;
            LOG.warn("health check {} returned no status", indicator.name());
        } catch (RuntimeException failure) {
            LOG.warn("health check {} failed", indicator.name(), failure);
        }
        return HealthIndicator.Status.down(Map.of("error", "check failed"));
    }
}
