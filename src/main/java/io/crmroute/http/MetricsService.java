package io.crmroute.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.CompletableFuture;

/** {@code GET /metrics}: the registry in Prometheus text format 0.0.4. */
public final class MetricsService implements HttpService {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    public MetricsService(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.get("/metrics", this::metrics);
    }

    private CompletableFuture<HttpResponse> metrics(HttpRequest request) {
        return HttpResponse.text(200, CONTENT_TYPE, registry.scrape()).completed();
    }
}
