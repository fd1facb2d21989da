package io.crmroute.crm;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Where one CRM's credential is kept between fetches: in memory on one node ({@link #inMemory}), or
 * shared by several nodes so one fetches (and, for Bullhorn, spends the single-use refresh token) while
 * the others use what it stored. Credentials are opaque text here; they never reach a log.
 */
public interface TokenStore {

    /**
     * The newest credential: the stored one when {@code usable} accepts it, otherwise the one {@code fetch}
     * gets, given the newest stored one (stale or refused, as a refresh may need it; empty when none),
     * and stored for the next caller. A failed fetch stores nothing.
     */
    CompletableFuture<String> newest(Predicate<String> usable, Function<Optional<String>, CompletableFuture<String>> fetch);

    /** The store of one node, as before there were several. */
    static TokenStore inMemory() {
        return new InMemoryTokenStore();
    }
}
