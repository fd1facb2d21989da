package io.crmroute.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class MetricsServiceTest {

    private static final PrometheusMeterRegistry REGISTRY = Metrics.newRegistry();

    @Test
    void scrapeHasOurCounterAndTheJvmsHeapAndThreads() throws Exception {
        REGISTRY.counter("crmroute.calls", "route", "vip", "status", "MATCH").increment(3);
        try (TestHttp http = new TestHttp(new MetricsService(REGISTRY))) {
            var response = http.get("/metrics");

            assertEquals(200, response.statusCode());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", response.headers().firstValue("content-type").orElseThrow());
            String body = response.body();
            assertTrue(body.contains("crmroute_calls_total{route=\"vip\",status=\"MATCH\"} 3.0"), body);
            assertTrue(body.contains("jvm_memory_used_bytes{area=\"heap\""), body);
            assertTrue(body.contains("jvm_threads_live_threads"), body);
            assertTrue(body.contains("system_cpu_count"), body);
        }
    }
}
