package io.crmroute.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
