package io.crmroute.crm;

import io.crmroute.concurrent.Futures;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A cached access token shared by all lookups of one CRM. {@link #get} answers the cached token
 * until {@link #SKEW} before it expires; callers arriving while a fetch is under way share that one
 * fetch; a failed fetch is forgotten so the next call tries again. {@link #invalidate} drops a token
 * the CRM refused, once: callers holding the same old token do not cause a second fetch. Fetched
 * tokens go through the CRM's {@link TokenStore} ({@link CrmContext#sharing}), so with several nodes
 * one fetches and the others use its token; a refused one is never taken from the store again.
 */
final class AccessTokens {

    static final Duration SKEW = Duration.ofSeconds(30);

    private final Function<Optional<AccessToken>, CompletableFuture<AccessToken>> fetcher;
    private final TokenStore store;
    private final Clock clock;
    private CompletableFuture<AccessToken> current; // guarded by this
    private volatile AccessToken refused; // the last token the CRM refused: the store may still hold it

    /** Kept in this node's memory only. */
    AccessTokens(Supplier<CompletableFuture<AccessToken>> fetcher, Clock clock) {
        this(previous -> fetcher.get(), TokenStore.inMemory(), clock);
    }

    private AccessTokens(Function<Optional<AccessToken>, CompletableFuture<AccessToken>> fetcher, TokenStore store, Clock clock) {
        this.fetcher = fetcher;
        this.store = store;
        this.clock = clock;
    }

    /** The token of the CRM named {@code crm}, kept where {@code context} shares credentials. */
    static AccessTokens shared(String crm, Supplier<CompletableFuture<AccessToken>> fetcher, CrmContext context) {
        return rotating(crm, previous -> fetcher.get(), context);
    }

    /**
     * As {@link #shared(String, Supplier, CrmContext)} for a CRM whose next fetch needs the previous token
     * (Bullhorn's single-use refresh token travels in its extras): {@code fetcher} gets the newest stored one.
     */
    static AccessTokens rotating(String crm, Function<Optional<AccessToken>, CompletableFuture<AccessToken>> fetcher, CrmContext context) {
        return new AccessTokens(fetcher, context.sharing().tokenStore(crm), context.clock());
    }

    CompletableFuture<AccessToken> get() {
        CompletableFuture<AccessToken> fetch;
        synchronized (this) {
            if (current != null && !isStale(current)) return current.copy();
            fetch = new CompletableFuture<>();
            current = fetch;
        }
        CompletableFuture<AccessToken> source;
        try {
            source = fromStore();
        } catch (RuntimeException e) {
            source = CompletableFuture.failedFuture(e);
        }
        source.whenComplete((token, error) -> {
            if (error == null && token != null) {
                fetch.complete(token);
                return;
            }
            synchronized (this) {
                if (current == fetch) current = null;
            }
            fetch.completeExceptionally(error == null ? new IllegalStateException("token fetch answered nothing") : Futures.unwrap(error));
        });
        return fetch.copy();
    }

    /** Forgets {@code rejected} if it is still the cached token; a newer token is kept. */
    synchronized void invalidate(AccessToken rejected) {
        refused = rejected;
        if (current != null && current.isDone() && !current.isCompletedExceptionally() && current.join().equals(rejected)) {
            current = null;
        }
    }

    /**
     * Runs {@code call} with the token; when the CRM rejects it ({@code rejected} holds for the
     * answer), invalidates it and runs {@code call} once more with a fresh token.
     */
    <T> CompletableFuture<T> withToken(Function<AccessToken, CompletableFuture<T>> call, Predicate<T> rejected) {
        return get().thenCompose(token -> call.apply(token).thenCompose(answer -> {
            if (!rejected.test(answer)) return CompletableFuture.completedFuture(answer);
            invalidate(token);
            return get().thenCompose(call);
        }));
    }

    /** {@link #withToken(Function, Predicate)} for HTTP calls, where a 401 means a stale token. */
    CompletableFuture<HttpResponse<String>> withToken(Function<AccessToken, CompletableFuture<HttpResponse<String>>> call) {
        return withToken(call, response -> response.statusCode() == 401);
    }

    /** The store's token when usable, else a fetched one (given the newest stored); the store keeps tokens as text. */
    private CompletableFuture<AccessToken> fromStore() {
        return store.newest(this::usable, previous -> fetcher.apply(previous.map(AccessToken::fromText))
                        .thenApply(token -> token == null ? null : token.toText()))
                .thenApply(text -> text == null ? null : AccessToken.fromText(text));
    }

    /** Whether a stored token may be used: neither refused nor about to expire. */
    private boolean usable(String stored) {
        AccessToken token = AccessToken.fromText(stored);
        return !token.equals(refused) && clock.instant().isBefore(token.expiresAt().minus(SKEW));
    }

    private boolean isStale(CompletableFuture<AccessToken> token) {
        if (!token.isDone()) return false;
        if (token.isCompletedExceptionally()) return true;
        return !clock.instant().isBefore(token.join().expiresAt().minus(SKEW));
    }
}
