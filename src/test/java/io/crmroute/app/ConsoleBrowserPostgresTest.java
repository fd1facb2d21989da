package io.crmroute.app;

import io.crmroute.config.DatabaseSettings;
import io.crmroute.store.TestPostgres;
import java.util.Map;

/** The console on a server with PostgreSQL: routes and decisions in the database. */
class ConsoleBrowserPostgresTest extends ConsoleBrowserTest {

    private final DatabaseSettings database = TestPostgres.shared().createDatabase("console");

    @Override
    String kind() {
        return "postgres";
    }

    @Override
    String databaseYaml() {
        return "database: { url: \"URL\", user: \"USER\", password: \"${DB_PASSWORD}\" }\n"
                .replace("URL", database.url()).replace("USER", database.user());
    }

    @Override
    Map<String, String> environment() {
        return Map.of("DB_PASSWORD", database.password());
    }
}
