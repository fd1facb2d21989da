package io.crmroute.agi;

import java.util.concurrent.CompletableFuture;

/** Runs one call. The server closes the connection when the returned future completes, either way. */
@FunctionalInterface
public interface AgiCallHandler {

    CompletableFuture<?> handle(AgiSession session);
}
