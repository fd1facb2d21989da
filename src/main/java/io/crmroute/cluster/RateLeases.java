package io.crmroute.cluster;

import io.crmroute.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** The shared counter rows of {@code cluster_rate}: one statement per claim, the row lock making claims add up. */
final class RateLeases {

    // The grant is computed once, from the row as it was, and kept in last_grant for RETURNING: never
    // above what the window has left, and a give-back (negative want) never below what was claimed.
    private static final String CLAIM = """
            INSERT INTO cluster_rate AS r (crm, window_no, ends_at, claimed, last_grant)
                VALUES (?, ?, ?, GREATEST(0, LEAST(?, ?)), GREATEST(0, LEAST(?, ?)))
            ON CONFLICT (crm, window_no) DO UPDATE SET
                last_grant = CASE WHEN ? >= 0 THEN GREATEST(0, LEAST(?, ? - r.claimed)) ELSE GREATEST(?, -r.claimed) END,
                claimed = r.claimed + CASE WHEN ? >= 0 THEN GREATEST(0, LEAST(?, ? - r.claimed)) ELSE GREATEST(?, -r.claimed) END
            RETURNING last_grant""";

    private final Database database;

    RateLeases(Database database) {
        this.database = database;
    }

    /**
     * Claims {@code want} permits of {@code crm}'s window (a negative {@code want} gives them back) out of
     * {@code limit}: the permits granted (or given back, negative). Blocking: on the cluster's JDBC threads.
     */
    int claim(String crm, long window, Instant endsAt, int want, int limit) throws SQLException {
        return database.callBlocking(connection -> {
            try (PreparedStatement claim = connection.prepareStatement(CLAIM)) {
                claim.setString(1, crm);
                claim.setLong(2, window);
                claim.setTimestamp(3, Timestamp.from(endsAt));
                int[] numbers = {want, limit, want, limit, want, want, limit, want, want, want, limit, want};
                for (int i = 0; i < numbers.length; i++) claim.setInt(4 + i, numbers[i]);
                try (ResultSet granted = claim.executeQuery()) {
                    granted.next();
                    return granted.getInt(1);
                }
            }
        });
    }
}
