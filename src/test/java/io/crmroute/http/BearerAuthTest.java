package io.crmroute.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmroute.testing.ManualTime;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BearerAuthTest {

    private static final String TOKEN = "s3cr3t-admin-token";

    /** What the admin API does: every handler behind the same guard. */
    private static final HttpService ADMIN = routing -> {
        BearerAuth auth = BearerAuth.token(TOKEN);
        routing.get("/api/routes", auth.protect(request -> HttpResponse.json(200, List.of("vip")).completed()));
    };

    @Test
    void withoutATokenIs401WithAChallenge() throws Exception {
        try (TestHttp http = new TestHttp(ADMIN)) {
            var response = http.get("/api/routes");

            assertEquals(401, response.statusCode());
            assertEquals("Bearer", response.headers().firstValue("www-authenticate").orElseThrow());
            assertEquals("missing bearer token", TestHttp.json(response).get("error").asText());
        }
    }

    @Test
    void anotherSchemeIs401() throws Exception {
        try (TestHttp http = new TestHttp(ADMIN)) {
            assertEquals(401, http.get("/api/routes", "Authorization", "Basic " + TOKEN).statusCode());
        }
    }

    @Test
    void aWrongTokenIs401AndNeitherTokenIsEchoed() throws Exception {
        try (TestHttp http = new TestHttp(ADMIN)) {
            var response = http.get("/api/routes", "Authorization", "Bearer s3cr3t-admin-tokeX");

            assertEquals(401, response.statusCode());
            assertTrue(response.headers().firstValue("www-authenticate").orElseThrow().startsWith("Bearer"));
            assertFalse(response.body().contains("s3cr3t"), response.body());
            assertFalse(response.headers().map().toString().contains("s3cr3t"));
        }
    }

    @Test
    void theRightTokenReachesTheHandler() throws Exception {
        try (TestHttp http = new TestHttp(ADMIN)) {
            var response = http.get("/api/routes", "Authorization", "bearer " + TOKEN);

            assertEquals(200, response.statusCode());
            assertEquals("[\"vip\"]", response.body());
        }
    }

    @Test
    void anEmptyTokenIsRefusedAndToStringHidesTheToken() {
        assertThrows(IllegalArgumentException.class, () -> BearerAuth.token(" "));
        assertFalse(BearerAuth.token(TOKEN).toString().contains(TOKEN));
    }

    @Test
    void aSourceThatKeepsGuessingIsLockedOutForAGrowingWhileAndTheRightTokenClearsIt() throws Exception {
        ManualTime time = new ManualTime();
        AuthFailures failures = new AuthFailures(new AuthFailures.Policy(3, Duration.ofSeconds(1), Duration.ofSeconds(4),
                Duration.ofMinutes(15)), time.ticker());
        HttpService admin = routing -> routing.get("/api/routes", BearerAuth.token(TOKEN, failures)
                .protect(request -> HttpResponse.json(200, List.of("vip")).completed()));
        try (TestHttp http = new TestHttp(admin)) {
            for (int i = 0; i < 3; i++) assertEquals(401, wrong(http).statusCode(), "free guess " + (i + 1));
            assertEquals(401, wrong(http).statusCode());   // past the free ones: answered, then locked out for 1 s

            var locked = right(http);
            assertEquals(429, locked.statusCode(), "even the right token waits: a guess cannot be told apart");
            assertEquals("1", locked.headers().firstValue("retry-after").orElseThrow());

            time.advance(Duration.ofSeconds(1));
            assertEquals(401, wrong(http).statusCode());
            assertEquals("2", wrong(http).headers().firstValue("retry-after").orElseThrow(), "twice as long");
            time.advance(Duration.ofSeconds(2));
            assertEquals(401, wrong(http).statusCode());
            assertEquals("4", wrong(http).headers().firstValue("retry-after").orElseThrow());
            time.advance(Duration.ofSeconds(4));
            assertEquals(401, wrong(http).statusCode());
            assertEquals("4", wrong(http).headers().firstValue("retry-after").orElseThrow(), "no longer than the maximum");

            time.advance(Duration.ofSeconds(4));
            assertEquals(200, right(http).statusCode());
            for (int i = 0; i < 3; i++) assertEquals(401, wrong(http).statusCode(), "free again after the right token");
        }
    }

    @Test
    void lockoutIsPerSourceAndAQuietSourceIsForgotten() {
        ManualTime time = new ManualTime();
        AuthFailures failures = new AuthFailures(new AuthFailures.Policy(1, Duration.ofSeconds(10), Duration.ofMinutes(1),
                Duration.ofMinutes(15)), time.ticker());
        failures.failed("192.0.2.7");
        failures.failed("192.0.2.7");

        assertEquals(Duration.ofSeconds(10), failures.lockout("192.0.2.7"));
        assertEquals(Duration.ZERO, failures.lockout("192.0.2.8"));
        time.advance(Duration.ofMinutes(16));
        failures.failed("192.0.2.7");
        assertEquals(Duration.ZERO, failures.lockout("192.0.2.7"), "one free failure again after 15 quiet minutes");
    }

    private static java.net.http.HttpResponse<String> wrong(TestHttp http) throws Exception {
        return http.get("/api/routes", "Authorization", "Bearer guess");
    }

    private static java.net.http.HttpResponse<String> right(TestHttp http) throws Exception {
        return http.get("/api/routes", "Authorization", "Bearer " + TOKEN);
    }
}
