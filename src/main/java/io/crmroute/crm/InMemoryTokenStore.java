package io.crmroute.crm;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;

/** The newest credential in memory; {@link AccessTokens} makes sure one fetch runs at a time. */
final class InMemoryTokenStore implements TokenStore {

    private volatile String newest;

    @Override
    public CompletableFuture<String> newest(Predicate<String> usable, Function<Optional<String>, CompletableFuture<String>> fetch) {
        String stored = newest;
        if (stored != null && usable.test(stored)) return CompletableFuture.completedFuture(stored);
        return fetch.apply(Optional.ofNullable(stored)).thenApply(fresh -> {
            newest = fresh;
            return fresh;
        });
    }
}
