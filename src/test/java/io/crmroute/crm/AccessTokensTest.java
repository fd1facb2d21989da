package io.crmroute.crm;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AccessTokensTest {

    private final TestCrms.FakeClock clock = new TestCrms.FakeClock();
    /** Each fetch the tokens asked for, for the test to complete. */
    private final List<CompletableFuture<AccessToken>> fetches = new CopyOnWriteArrayList<>();
    private final AccessTokens tokens = new AccessTokens(() -> {
        CompletableFuture<AccessToken> fetch = new CompletableFuture<>();
        fetches.add(fetch);
        return fetch;
    }, clock);

    private AccessToken token(String value, Duration lifetime) {
        return new AccessToken(value, clock.instant().plus(lifetime), Map.of("instance_url", "https://na1.example.com"));
    }

    @Test
    void concurrentCallersShareOneFetch() throws Exception {
        List<CompletableFuture<AccessToken>> callers = new ArrayList<>();
        for (int i = 0; i < 10; i++) callers.add(tokens.get());
        assertEquals(1, fetches.size());
        AccessToken t1 = token("t1", Duration.ofHours(1));
        fetches.get(0).complete(t1);
        for (var caller : callers) assertEquals(t1, caller.get(1, TimeUnit.SECONDS));
        assertEquals(t1, tokens.get().get(1, TimeUnit.SECONDS));
        assertEquals(1, fetches.size());
    }

    @Test
    void aTokenIsRefreshedThirtySecondsBeforeItExpires() throws Exception {
        tokens.get();
        fetches.get(0).complete(token("t1", Duration.ofSeconds(60)));
        clock.advance(Duration.ofSeconds(29));
        assertEquals("t1", tokens.get().get(1, TimeUnit.SECONDS).value());
        assertEquals(1, fetches.size());
        clock.advance(Duration.ofSeconds(2));
        CompletableFuture<AccessToken> refreshed = tokens.get();
        assertEquals(2, fetches.size());
        fetches.get(1).complete(token("t2", Duration.ofSeconds(60)));
        assertEquals("t2", refreshed.get(1, TimeUnit.SECONDS).value());
    }

    @Test
    void aFailedFetchIsNotKept() throws Exception {
        CompletableFuture<AccessToken> first = tokens.get();
        fetches.get(0).completeExceptionally(new CrmException(CrmException.Kind.AUTH, "crm zoho: HTTP 400 (token refused)"));
        ExecutionException e = assertThrows(ExecutionException.class, () -> first.get(1, TimeUnit.SECONDS));
        assertEquals(CrmException.Kind.AUTH, ((CrmException) io.crmroute.concurrent.Futures.unwrap(e)).kind());
        CompletableFuture<AccessToken> second = tokens.get();
        assertEquals(2, fetches.size());
        fetches.get(1).complete(token("t2", Duration.ofHours(1)));
        assertEquals("t2", second.get(1, TimeUnit.SECONDS).value());
    }

    @Test
    void manyRejectionsOfOneTokenRefreshItOnce() throws Exception {
        tokens.get();
        fetches.get(0).complete(token("t1", Duration.ofHours(1)));
        // The CRM answers 401 to t1 and 200 to any other token; the test decides when t1 calls answer.
        List<CompletableFuture<Integer>> staleCalls = new CopyOnWriteArrayList<>();
        List<CompletableFuture<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            answers.add(tokens.withToken(token -> {
                if (!token.value().equals("t1")) return CompletableFuture.completedFuture(200);
                CompletableFuture<Integer> call = new CompletableFuture<>();
                staleCalls.add(call);
                return call;
            }, status -> status == 401));
        }
        assertEquals(5, staleCalls.size());
        staleCalls.forEach(call -> call.complete(401));
        assertEquals(2, fetches.size(), "five 401s with the same token, one refresh");
        assertFalse(answers.get(0).isDone());
        fetches.get(1).complete(token("t2", Duration.ofHours(1)));
        for (var answer : answers) assertEquals(200, answer.get(1, TimeUnit.SECONDS));
        assertEquals(2, fetches.size());
    }

    @Test
    void anOAuthReplyKeepsItsExtras() throws Exception {
        AccessToken token = AccessToken.fromOAuthReply(CrmHttp.JSON.readTree(
                "{\"access_token\":\"abc\",\"expires_in\":3600,\"api_domain\":\"https://www.zohoapis.eu\",\"token_type\":\"Bearer\"}"),
                clock, Duration.ofMinutes(10));
        assertEquals("abc", token.value());
        assertEquals(clock.instant().plusSeconds(3600), token.expiresAt());
        assertEquals("https://www.zohoapis.eu", token.extra("api_domain").orElseThrow());
        assertEquals(null, AccessToken.fromOAuthReply(CrmHttp.JSON.readTree("{\"error\":\"invalid_grant\"}"), clock, Duration.ZERO));
    }
}
