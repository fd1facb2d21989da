package io.crmroute.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A few seconds of the benchmark's load, for correctness not speed: every call over real TCP must get the
 * decision its caller's CRM record calls for (or the failure path when the CRM is down), callers who hang
 * up mid-call included, and no session may be left open, on the client or on the server.
 */
class LoadSmokeTest {

    @TempDir
    Path workDir;

    /** Both servers, in this JVM, driven by the same load and checked the same way. */
    static Stream<SystemUnderTest> systems() {
        return Stream.of(CrmrouteSystem.inProcess(), BaselineSystem.inProcess());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("systems")
    void everyCallerGetsTheRightDecisionAndNoSessionLeaks(SystemUnderTest system) throws Exception {
        try (FakeCrm crm = FakeCrm.start();
             LoadGenerator generator = new LoadGenerator();
             SystemUnderTest.Running server = system.start(environment(crm), 64);
             MetricsPoller metrics = new MetricsPoller(server.metrics())) {

            LoadResult calls = generator.run(server.agiPort(), LoadPlan.closedLoop(BenchRoutes.DIRECT, 16, 50_000,
                    Duration.ofSeconds(2)).withHangups(0.1).withSessionTimeout(Duration.ofSeconds(5)));
            assertNoErrors(calls);
            assertTrue(calls.ok() >= 100, () -> "too few calls to mean anything: " + calls.summary());
            assertTrue(calls.hungUp() > 0, () -> "no caller hung up: " + calls.summary());
            // Two callers with the same number in flight at once share one request (16 in flight among 1,000
            // numbers: a few percent at most, more on a busy machine where each lookup takes longer).
            long answered = calls.ok() - calls.hungUp();
            assertTrue(crm.requests() >= answered * 9 / 10,
                    () -> "calls answered without asking the CRM: " + crm.requests() + " requests, " + calls.summary());

            LoadResult flaky = generator.run(server.agiPort(), LoadPlan.openLoop(BenchRoutes.FLAKY, 500, 250,
                    Duration.ofSeconds(1)).withSessionTimeout(Duration.ofSeconds(5)));
            assertNoErrors(flaky);
            assertEquals(250, flaky.ok(), flaky::summary);

            LoadResult down = generator.run(server.agiPort(), LoadPlan.closedLoop(BenchRoutes.DOWN, 8, 200,
                    Duration.ofSeconds(1)).withSessionTimeout(Duration.ofSeconds(5)));
            assertNoErrors(down);
            assertTrue(down.ok() > 0, down::summary);

            assertEquals(0, metrics.awaitDrained(Duration.ofSeconds(3)), "sessions still held by the server");
        }
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
