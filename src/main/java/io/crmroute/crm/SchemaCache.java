package io.crmroute.crm;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * A CRM's objects and fields as its metadata API last gave them, kept {@link #TTL}: the console asks for
 * them each time a route is opened, and {@code check --online} once per route. Callers asking while a
 * load is under way share it; a failed load is not kept, so the next caller asks again. {@link #clear}
 * forgets everything (the console's refresh); a load already under way then keeps its answer to itself.
 */
final class SchemaCache<T> {

    static final Duration TTL = Duration.ofMinutes(5);

    // Answers only: a Caffeine loader would log every failed load, and a CRM that is down fails them all.
    private final Cache<String, List<T>> answers;
    private final ConcurrentMap<String, CompletableFuture<List<T>>> loading = new ConcurrentHashMap<>();

    SchemaCache(Ticker ticker) {
        this.answers = Caffeine.newBuilder().ticker(ticker).executor(Runnable::run).expireAfterWrite(TTL).maximumSize(1_000).build();
    }

    /** The answer kept for {@code key}, the load under way for it, or a new {@code load}. */
    CompletableFuture<List<T>> get(String key, Supplier<CompletableFuture<List<T>>> load) {
        List<T> kept = answers.getIfPresent(key);
        if (kept != null) return CompletableFuture.completedFuture(kept);
        CompletableFuture<List<T>> mine = new CompletableFuture<>();
        CompletableFuture<List<T>> running = loading.putIfAbsent(key, mine);
        if (running != null) return running.copy();
        CompletableFuture<List<T>> source;
        try {
            source = load.get();
            if (source == null) source = CompletableFuture.failedFuture(new IllegalStateException("the connector answered null"));
        } catch (RuntimeException e) {
            source = CompletableFuture.failedFuture(e);
        }
        source.whenComplete((answer, error) -> {
            // Kept only while this load is still the current one: a clear() meanwhile makes it stale.
            boolean current = loading.remove(key, mine);
            if (error != null || answer == null) {
                mine.completeExceptionally(error != null ? error : new IllegalStateException("the connector answered null"));
                return;
            }
            List<T> copy = List.copyOf(answer);
            if (current) answers.put(key, copy);
            mine.complete(copy);
        });
        return mine.copy();
    }

    void clear() {
        answers.invalidateAll();
        loading.clear();
    }
}
