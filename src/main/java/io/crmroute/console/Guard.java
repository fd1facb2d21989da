package io.crmroute.console;

import io.crmroute.concurrent.Futures;
import io.crmroute.http.BearerAuth;
import io.crmroute.http.HttpHandler;
import io.crmroute.http.HttpResponse;
import io.crmroute.store.DatabaseUnavailableException;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The admin token before a console endpoint, and failures as 503 (database down) or 500 without detail. */
final class Guard {

    private static final Logger log = LoggerFactory.getLogger(Guard.class);

    private final BearerAuth auth;

    Guard(BearerAuth auth) {
        this.auth = auth;
    }

    HttpHandler protect(HttpHandler handler) {
        return auth.protect(request -> {
            CompletableFuture<HttpResponse> response;
            try {
                response = handler.handle(request);
            } catch (RuntimeException e) {
                response = CompletableFuture.failedFuture(e);
            }
            return response.exceptionally(Guard::failure);
        });
    }

    private static HttpResponse failure(Throwable failure) {
        Throwable cause = Futures.unwrap(failure);
        if (cause instanceof DatabaseUnavailableException) return HttpResponse.error(503, "database unavailable");
        log.error("console request failed", cause);
        return HttpResponse.error(500, "internal error");
    }
}
