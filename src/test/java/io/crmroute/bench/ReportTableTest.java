package io.crmroute.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The CPU headline and target of a scenario's table, from hand-made measurements. */
class ReportTableTest {

    private static final Scenario CACHED = Scenario.all(10_000, true).get(0);

    @Test
    void theHeadlineIsCrmroutesCpuPerSessionOverEachBaseline() {
        ReportTable.Row row = new ReportTable.Row(measured("crmroute", 10_000, 150), measured("baseline shipped", 10_000, 600),
                measured("baseline tuned", 8_000, 400), measured(CeilingSystem.NAME, 10_000, 50));
        // crmroute 150 ticks = 1.5 s / 10,000 = 150 us; shipped 600 us; tuned 4 s / 8,000 = 500 us; ceiling 50 us
        assertEquals("CPU per session (server process, measured window): crmroute 150 us = 0.25x baseline shipped (600 us), "
                + "0.30x baseline tuned (500 us); ceiling 50 us; ticks of 10 ms: +-4.0% at worst", ReportTable.headline(row));
        assertEquals(List.of("PASS CPU per session <= 1/3 of the baseline's (167 us): 150 us = 0.30x"),
                ReportTable.cpuTargets(CACHED, row));
    }

    @Test
    void aSystemRunInThisJvmOrNotMeasuredReadsNotAvailable() {
        ReportTable.Row row = new ReportTable.Row(measured("crmroute", 10_000, 150),
                Measurement.failed("baseline shipped", "did not start"),
                new Measurement("baseline tuned", result(8_000), 1, 1, 0, null, null), measured(CeilingSystem.NAME, 0, 0));
        String headline = ReportTable.headline(row);
        assertTrue(headline.contains("= - baseline shipped (n/a us), - baseline tuned (n/a us); ceiling n/a us"), headline);
        assertEquals(List.of("CPU target: n/a (CPU per session not measured)"), ReportTable.cpuTargets(CACHED, row));
    }

    @Test
    void theSessionRateTargetIsNineTenthsOfTheCeilingMeasuredInTheSameRun() {
        ReportTable.Row row = new ReportTable.Row(measured("crmroute", 9_000, 150), measured("baseline shipped", 5_000, 600),
                measured("baseline tuned", 5_000, 400), measured(CeilingSystem.NAME, 10_000, 50));
        assertEquals(List.of("PASS >= 0.9x the ceiling's sessions/s (10,000/s): 9,000/s = 0.90x", "PASS no errors: 0"),
                ReportTable.targets(CACHED, row));

        ReportTable.Row slower = new ReportTable.Row(measured("crmroute", 8_000, 150), row.shipped(), row.tuned(), row.ceiling());
        assertEquals("FAIL >= 0.9x the ceiling's sessions/s (10,000/s): 8,000/s = 0.80x", ReportTable.targets(CACHED, slower).get(0));
    }

    @Test
    void withoutTheCeilingTheRelativeTargetsAreNotAvailable() {
        ReportTable.Row row = new ReportTable.Row(measured("crmroute", 9_000, 150), measured("baseline shipped", 5_000, 600),
                measured("baseline tuned", 5_000, 400), Measurement.failed(CeilingSystem.NAME, "did not start"));
        assertEquals(List.of("PASS no errors: 0", "targets against the ceiling: n/a (ceiling not measured)"),
                ReportTable.targets(CACHED, row));
    }

    private static Measurement measured(String system, long sessions, long cpuTicks) {
        return new Measurement(system, result(sessions), 1, 1, 0, new CpuWindow(cpuTicks, 100), null);
    }

    private static LoadResult result(long sessions) {
        return new LoadResult(CACHED.plan(), sessions, sessions, 0, Map.of(), 0, new Histogram(3), Duration.ofSeconds(1).toNanos(),
                16, List.of());
    }
}
