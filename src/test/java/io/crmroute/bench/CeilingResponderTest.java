package io.crmroute.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness ceiling is only a ceiling if the load generator accepts its answers: every route's calls get
 * the right decision over real TCP without a single CRM request, the slow routes wait their CRM latency,
 * and its /metrics carry what the report polls.
 */
class CeilingResponderTest {

    @TempDir
    Path workDir;

    @Test
    void answersEveryRouteCorrectlyWithoutAskingTheCrm() throws Exception {
        try (FakeCrm crm = FakeCrm.start();
             LoadGenerator generator = new LoadGenerator();
             SystemUnderTest.Running ceiling = CeilingSystem.inProcess().start(environment(crm), 64);
             MetricsPoller metrics = new MetricsPoller(ceiling.metrics())) {

            LoadResult direct = generator.run(ceiling.agiPort(), LoadPlan.closedLoop(BenchRoutes.DIRECT, 16, 2_000,
                    Duration.ofSeconds(2)).withHangups(0.2).withSessionTimeout(Duration.ofSeconds(5)));
            assertNoErrors(direct);
            assertTrue(direct.hungUp() > 0, () -> "no caller hung up: " + direct.summary());

            LoadResult down = generator.run(ceiling.agiPort(), LoadPlan.closedLoop(BenchRoutes.DOWN, 8, 200,
                    Duration.ofSeconds(2)).withSessionTimeout(Duration.ofSeconds(5)));
            assertNoErrors(down);

            LoadResult slow = generator.run(ceiling.agiPort(), LoadPlan.openLoop(BenchRoutes.SLOW50, 200, 100,
                    Duration.ofSeconds(2)).withSessionTimeout(Duration.ofSeconds(5)));
            assertNoErrors(slow);
            assertTrue(slow.percentileMs(50) >= 50, () -> "did not wait the CRM latency: " + slow.summary());

            assertEquals(0, crm.requests(), "the ceiling asked the CRM");
            MetricsPoller.Sample sample = metrics.scrape();
            assertTrue(sample.heapBytes() > 0 && sample.threads() > 0, () -> "metrics missing: " + sample);
            assertEquals(0, metrics.awaitDrained(Duration.ofSeconds(3)), "sessions still held by the ceiling");
        }
    }

    @Test
    void readsEachRoutesCrmLatencyFromItsFakeCrmUrl() {
        assertEquals(0, CeilingResponder.crmLatencyMs(BenchRoutes.CACHED));
        assertEquals(50, CeilingResponder.crmLatencyMs(BenchRoutes.SLOW50));
        assertEquals(1000, CeilingResponder.crmLatencyMs(BenchRoutes.SLOW1S));
    }

    private SystemUnderTest.Environment environment(FakeCrm crm) throws Exception {
        return new SystemUnderTest.Environment(crm.port(), FakeCrm.unusedPort(), workDir, List.of(), "");
    }

    private static void assertNoErrors(LoadResult result) {
        assertEquals(0, result.errorCount(), result::summary);
        assertEquals(0, result.leaked(), result::summary);
        assertEquals(result.started(), result.ok(), result::summary);
    }
}
