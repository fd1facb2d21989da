package io.crmroute.cli;

import io.crmroute.config.CrmrouteConfig;
import io.crmroute.store.Database;
import io.crmroute.store.RouteCompiler;
import io.crmroute.store.RouteStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** The config's database, opened for one command and closed after it. */
final class RouteDatabase {

    /** How long a command waits for the database to answer before it gives up. */
    static final Duration CONNECT_WAIT = Duration.ofSeconds(30);

    private RouteDatabase() {}

    /** Runs {@code work} on the config's route store; fails with a clear message without a database. */
    static <T> T with(CrmrouteConfig config, Function<RouteStore, java.util.concurrent.CompletableFuture<T>> work) throws Exception {
        if (config.database().isEmpty()) throw new IllegalStateException(config.file() + " has no database: section");
        try (Database database = Database.connect(config.database().get())) {
            try {
                database.whenReady().get(CONNECT_WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException notUp) {
                throw new IllegalStateException("database " + config.database().get().shownUrl() + " did not answer within "
                        + CONNECT_WAIT.toSeconds() + " s" + database.state().lastError().map(e -> ": " + e).orElse(""));
            }
            return work.apply(new RouteStore(database, RouteCompiler.withCrms(config.crms()))).get(CONNECT_WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
