package io.crmroute.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The last decisions of a server without a database, read back with the database's filters. */
class RecentDecisionsTest {

    private static final Instant T0 = Instant.parse("2026-01-31T09:00:00Z");

    private static DecisionRow row(int second, String caller, String route, String status) {
        return new DecisionRow(UUID.randomUUID(), T0.plusSeconds(second), "u" + second, "SIP/1", caller, route, "", "demo",
                Optional.empty(), Optional.empty(), status, "", Optional.empty(), Optional.empty(), false, Optional.empty(),
                Optional.empty());
    }

    private static List<String> uniqueids(List<DecisionRow> rows) {
        return rows.stream().map(DecisionRow::uniqueid).toList();
    }

    @Test
    void keepsTheNewestAndForgetsTheOldestWhenFull() {
        RecentDecisions kept = new RecentDecisions(3);
        for (int second = 1; second <= 5; second++) kept.record(row(second, "+1555", "vip", "MATCH"));
        assertEquals(List.of("u5", "u4", "u3"), uniqueids(kept.query(DecisionFilter.all()).join()));
    }

    @Test
    void filtersLikeTheDatabaseNewestFirst() {
        RecentDecisions kept = new RecentDecisions(RecentDecisions.DEFAULT_CAPACITY);
        kept.record(row(1, "+1555", "vip", "MATCH"));
        kept.record(row(3, "+1666", "vip", "NOMATCH"));
        kept.record(row(2, "+1555", "team", "MATCH"));   // ended after a later call
        kept.record(row(4, "+1555", "vip", "MATCH"));

        assertEquals(List.of("u4", "u2", "u1"), uniqueids(kept.query(new DecisionFilter(Optional.of("+1555"), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), 10)).join()));
        assertEquals(List.of("u3"), uniqueids(kept.query(new DecisionFilter(Optional.empty(), Optional.of("vip"),
                Optional.of("NOMATCH"), Optional.empty(), Optional.empty(), 10)).join()));
        assertEquals(List.of("u3", "u2"), uniqueids(kept.query(new DecisionFilter(Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(T0.plusSeconds(2)), Optional.of(T0.plusSeconds(4)), 10)).join()));
        assertEquals(List.of("u4"), uniqueids(kept.query(new DecisionFilter(Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), 1)).join()));
    }
}
