package io.crmroute.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmroute.crm.CrmHealth;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HealthServiceTest {

    private static final Instant EARLIER = Instant.parse("2025-01-10T09:00:00Z");
    private static final Instant LATER = Instant.parse("2025-01-10T09:05:00Z");

    /** A critical check the test can switch, like the FastAGI listener being bound. */
    private static HealthIndicator listener(AtomicBoolean bound) {
        return new HealthIndicator() {
            @Override public String name() { return "agi"; }
            @Override public boolean critical() { return true; }
            @Override public Status check() { return new Status(bound.get(), Map.of("port", 4573)); }
        };
    }

    @Test
    void upWhileEveryCriticalCheckIsUp() throws Exception {
        AtomicBoolean bound = new AtomicBoolean(true);
        try (TestHttp http = new TestHttp(HealthService.of(listener(bound)))) {
            var response = http.get("/health");

            assertEquals(200, response.statusCode());
            assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
            JsonNode body = TestHttp.json(response);
            assertEquals("UP", body.get("status").asText());
            JsonNode check = body.get("checks").get(0);
            assertEquals("agi", check.get("name").asText());
            assertTrue(check.get("critical").asBoolean());
            assertTrue(check.get("up").asBoolean());
            assertEquals(4573, check.get("details").get("port").asInt());
        }
    }

    @Test
    void downWithA503WhenACriticalCheckIsDown() throws Exception {
        AtomicBoolean bound = new AtomicBoolean(true);
        try (TestHttp http = new TestHttp(HealthService.of(listener(bound)))) {
            bound.set(false);
            var response = http.get("/health");

            assertEquals(503, response.statusCode());
            JsonNode body = TestHttp.json(response);
            assertEquals("DOWN", body.get("status").asText());
            assertFalse(body.get("checks").get(0).get("up").asBoolean());
        }
    }

    @Test
    void aCrmThatIsDownIsReportedButTheServerStaysUp() throws Exception {
        List<CrmHealth> crms = List.of(
                new CrmHealth("demo", Optional.of(LATER), Optional.of(EARLIER), Optional.of("timeout"), "CLOSED"),
                new CrmHealth("billing", Optional.of(EARLIER), Optional.of(LATER), Optional.of("HTTP 503"), "OPEN"),
                CrmHealth.unknown("hubspot"));
        HealthService health = HealthService.of(listener(new AtomicBoolean(true)), HealthIndicator.crms(() -> crms));
        try (TestHttp http = new TestHttp(health)) {
            var response = http.get("/health");

            assertEquals(200, response.statusCode());
            JsonNode body = TestHttp.json(response);
            assertEquals("UP", body.get("status").asText());
            JsonNode check = body.get("checks").get(1);
            assertEquals("crms", check.get("name").asText());
            assertFalse(check.get("critical").asBoolean());
            assertFalse(check.get("up").asBoolean());

            JsonNode demo = check.get("details").get("demo");
            assertTrue(demo.get("up").asBoolean(), "recovered: success after the failure");
            assertEquals("2025-01-10T09:05:00Z", demo.get("lastSuccess").asText());
            assertEquals("2025-01-10T09:00:00Z", demo.get("lastFailure").asText());

            JsonNode billing = check.get("details").get("billing");
            assertFalse(billing.get("up").asBoolean());
            assertEquals("HTTP 503", billing.get("lastError").asText());
            assertEquals("OPEN", billing.get("breaker").asText());

            JsonNode hubspot = check.get("details").get("hubspot");
            assertTrue(hubspot.get("up").asBoolean());
            assertTrue(hubspot.get("lastSuccess").isNull());
            assertEquals("CLOSED", hubspot.get("breaker").asText());
        }
    }

    @Test
    void aCheckThatThrowsIsDownWithoutItsMessage() throws Exception {
        HealthIndicator broken = new HealthIndicator() {
            @Override public String name() { return "database"; }
            @Override public boolean critical() { return true; }
            @Override public Status check() { throw new IllegalStateException("password=hunter2"); }
        };
        try (TestHttp http = new TestHttp(HealthService.of(broken))) {
            var response = http.get("/health");

            assertEquals(503, response.statusCode());
            assertFalse(response.body().contains("hunter2"), response.body());
            assertEquals("check failed", TestHttp.json(response).get("checks").get(0).get("details").get("error").asText());
        }
    }
}
