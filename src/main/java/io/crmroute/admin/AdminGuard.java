package io.crmroute.admin;

import io.crmroute.concurrent.Futures;
import io.crmroute.http.BearerAuth;
import io.crmroute.http.HttpHandler;
import io.crmroute.http.HttpResponse;
import io.crmroute.store.DatabaseUnavailableException;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin token before every {@code /api} endpoint (the admin API's and the console's alike, so wrong tokens
 * are counted together), and failures as 503 (database down) or 500 without detail.
 */
public final class AdminGuard {

    private static final Logger log = LoggerFactory.getLogger(AdminGuard.class);

    private final BearerAuth auth;

    public AdminGuard(BearerAuth auth) {
        this.auth = auth;
    }

    public HttpHandler protect(HttpHandler handler) {
        return auth.protect(request -> {
            CompletableFuture<HttpResponse> response;
            try {
                response = handler.handle(request);
            } catch (RuntimeException e) {
                response = CompletableFuture.failedFuture(e);
            }
            return response.exceptionally(AdminGuard::failure);
        });
    }

    private static HttpResponse failure(Throwable failure) {
        Throwable cause = Futures.unwrap(failure);
        if (cause instanceof DatabaseUnavailableException) return HttpResponse.error(503, "database unavailable");
        log.error("admin request failed", cause);
        return HttpResponse.error(500, "internal error");
    }
}
