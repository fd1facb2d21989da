package io.crmroute.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crmroute.config.DatabaseSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

class TestPostgresTest {

    @Test
    void givesAnEmptyDatabaseThatAnswers() throws Exception {
        DatabaseSettings settings = TestPostgres.shared().createDatabase("harness");
        try (Connection connection = DriverManager.getConnection(settings.url(), settings.user(), settings.password());
             ResultSet result = connection.createStatement().executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")) {
            result.next();
            assertEquals(0, result.getInt(1));
        }
    }
}
