package io.crmroute.crm;

import io.crmroute.crm.FakeCrmServer.Reply;
import io.crmroute.testing.ManualTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.crmroute.crm.TestCrms.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CrmHttpTest {

    private final TestCrms.FakeClock clock = new TestCrms.FakeClock();
    private final CrmContext context = CrmContext.create(clock, com.github.benmanes.caffeine.cache.Ticker.systemTicker());
    private final CrmSpec spec = TestCrms.withHeaders(TestCrms.spec("hub", HubSpotCrm.TYPE, Map.of("auth.api-token", "tok-secret")), Map.of(), Set.of("tok-secret"));
    private final CrmHttp http = new CrmHttp(spec, context);
    private final List<String> trace = new ArrayList<>();
    private FakeCrmServer server;

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
        context.close();
    }

    private LookupRequest lookup(Duration budget) {
        return new LookupRequest("contacts", "phone", "+15551234567", Optional.empty(), List.of("status"), 1, "", "",
                budget, trace::add);
    }

    private CrmCall search() {
        return CrmCall.postJson(URI.create(server.url("/crm/v3/objects/contacts/search")), Map.of("q", "+15551234567"))
                .header("Authorization", "Bearer tok-secret");
    }

    @Test
    void aRateLimitWithRetryAfterIsRetriedOnceWithinTheBudget() throws Exception {
        server = new FakeCrmServer(Reply.status(429).withHeader("Retry-After", "1"), Reply.json("{\"total\": 0}"));
        HttpResponse<String> response = http.send(search(), lookup(Duration.ofSeconds(3))).get(5, TimeUnit.SECONDS);
        assertEquals(200, response.statusCode());
        assertEquals(2, server.seen().size());
        assertEquals(List.of(
                "POST " + server.url("/crm/v3/objects/contacts/search") + " {\"q\":\"+15551234567\"}",
                "retry after 1000 ms (Retry-After)",
                "POST " + server.url("/crm/v3/objects/contacts/search") + " {\"q\":\"+15551234567\"}"), trace);
        assertEquals("Bearer tok-secret", server.seen().get(1).header("Authorization"));
    }

    @Test
    void aRetryAfterPastTheBudgetFailsWithoutWaiting() throws Exception {
        server = new FakeCrmServer(Reply.status(429).withHeader("Retry-After", "5"), Reply.json("{}"));
        ManualTime time = new ManualTime();
        try (CrmContext driven = TestCrms.drivenBy(time)) {
            // Time never moves here: an answer at all means nothing waited.
            CrmException e = failure(new CrmHttp(spec, driven).send(search(), lookup(Duration.ofSeconds(1))), CrmException.Kind.RATE_LIMITED);
            assertEquals("crm hub: HTTP 429 (rate limited)", e.getMessage());
        }
        assertEquals(1, server.seen().size());
    }

    @Test
    void onlyOneRetry() throws Exception {
        server = new FakeCrmServer(Reply.status(429).withHeader("Retry-After", "0"));
        failure(http.send(search(), lookup(Duration.ofSeconds(1))), CrmException.Kind.RATE_LIMITED);
        assertEquals(2, server.seen().size());
    }

    @Test
    void vendorsAddTheirOwnRateLimitSignal() throws Exception {
        server = new FakeCrmServer(new Reply(403, "application/json", "[{\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]", Map.of()));
        CrmHttp salesforce = http.alsoRateLimitedWhen(r -> r.statusCode() == 403 && r.body().contains("REQUEST_LIMIT_EXCEEDED"));
        failure(salesforce.send(search(), lookup(Duration.ofSeconds(1))), CrmException.Kind.RATE_LIMITED);
        failure(http.sendForJson(search(), lookup(Duration.ofSeconds(1))), CrmException.Kind.AUTH);
    }

    @Test
    void sendForJsonParsesSuccessfulReplies() throws Exception {
        server = new FakeCrmServer(Reply.json("{\"total\": 2}"), Reply.status(204));
        assertEquals(2, http.sendForJson(search(), lookup(Duration.ofSeconds(1))).get(5, TimeUnit.SECONDS).get("total").asInt());
        assertTrue(http.sendForJson(search(), lookup(Duration.ofSeconds(1))).get(5, TimeUnit.SECONDS).isMissingNode());
    }

    @Test
    void tracesAreMasked() throws Exception {
        server = new FakeCrmServer(Reply.json("{}"));
        Map<String, String> parameters = new java.util.LinkedHashMap<>();
        parameters.put("token", "tok-secret");
        parameters.put("q", "a b");
        http.send(CrmCall.get(server.url("/search"), parameters), lookup(Duration.ofSeconds(1)))
                .get(5, TimeUnit.SECONDS);
        assertEquals(List.of("GET " + server.url("/search") + "?token=****&q=a%20b"), trace);
    }

    @Test
    void retryAfterReadsSecondsAndHttpDates() {
        assertEquals(Optional.of(Duration.ofSeconds(7)), CrmHttp.retryAfter(headers("7"), clock));
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().plusSeconds(30).atZone(java.time.ZoneOffset.UTC));
        assertEquals(Optional.of(Duration.ofSeconds(30)), CrmHttp.retryAfter(headers(date), clock));
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().minusSeconds(30).atZone(java.time.ZoneOffset.UTC));
        assertEquals(Optional.of(Duration.ZERO), CrmHttp.retryAfter(headers(past), clock));
        assertEquals(Optional.empty(), CrmHttp.retryAfter(headers("soon"), clock));
        assertEquals(Optional.empty(), CrmHttp.retryAfter(HttpHeaders.of(Map.of(), (a, b) -> true), clock));
    }

    private static HttpHeaders headers(String retryAfter) {
        return HttpHeaders.of(Map.of("Retry-After", List.of(retryAfter)), (a, b) -> true);
    }

    @Test
    void redirectsAreFollowedOnlyWhenAskedAndOnlyWithinTheDomain() throws Exception {
        try (FakeCrmServer dataCentre = new FakeCrmServer(Reply.json("{\"total\": 1}"))) {
            server = new FakeCrmServer(Reply.status(307).withHeader("Location", dataCentre.url("/crm/v3/objects/contacts/search")));
            CrmException e = failure(http.send(search(), lookup(Duration.ofSeconds(1))), CrmException.Kind.HTTP_STATUS);
            assertTrue(e.getMessage().startsWith("crm hub: HTTP 307 redirect to 127.0.0.1:"), e.getMessage());
            assertTrue(dataCentre.seen().isEmpty());

            HttpResponse<String> followed = http.followingRedirectsWithinDomain().send(search(), lookup(Duration.ofSeconds(1))).get(5, TimeUnit.SECONDS);
            assertEquals(200, followed.statusCode());
            assertEquals("POST", dataCentre.seen().get(0).method(), "a 307 keeps the method and body");
            assertEquals("{\"q\":\"+15551234567\"}", dataCentre.seen().get(0).body());
        }
    }

    @Test
    void withinTheDomainMeansTheSameHostOrASiblingUnderTheSameParent() {
        assertTrue(CrmHttp.withinDomain(URI.create("https://rest.bullhornstaffing.com/rest-services/login"),
                URI.create("https://rest-west.bullhornstaffing.com/rest-services/login?access_token=x")));
        assertTrue(CrmHttp.withinDomain(URI.create("http://127.0.0.1:8080/a"), URI.create("http://127.0.0.1:9090/b")));
        assertFalse(CrmHttp.withinDomain(URI.create("http://127.0.0.1:8080/a"), URI.create("http://localhost:9090/b")));
        assertFalse(CrmHttp.withinDomain(URI.create("https://rest.bullhornstaffing.com/"), URI.create("https://evil.example/")));
        assertFalse(CrmHttp.withinDomain(URI.create("https://rest.bullhornstaffing.com/"), URI.create("http://rest-west.bullhornstaffing.com/")),
                "never from https down to http");
        assertFalse(CrmHttp.withinDomain(URI.create("https://bullhornstaffing.com/"), URI.create("https://evil.com/")));
        assertFalse(CrmHttp.withinDomain(URI.create("https://a.example.com/"), URI.create("https://user:pw@b.example.com/")));
        assertFalse(CrmHttp.withinDomain(URI.create("https://10.0.0.1/"), URI.create("https://1.0.0.1/")));
    }
}
