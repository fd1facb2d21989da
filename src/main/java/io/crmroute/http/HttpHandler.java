package io.crmroute.http;

import java.util.concurrent.CompletableFuture;

/** Answers one request. Runs on an event loop: it must not block; slow work completes the future later. */
@FunctionalInterface
public interface HttpHandler {

    CompletableFuture<HttpResponse> handle(HttpRequest request);
}
