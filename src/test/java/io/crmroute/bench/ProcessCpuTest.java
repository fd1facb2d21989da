package io.crmroute.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Reading a process's CPU from /proc/<pid>/stat, and what a window of it costs per session. */
class ProcessCpuTest {

    /** utime 2500 and stime 340 (fields 14, 15); cutime 77 and cstime 88 (children's, not ours) follow. */
    private static final String FIELDS_AFTER_NAME =
            " S 1 1234 1234 0 -1 4194560 90210 0 12 0 2500 340 77 88 20 0 31 0 560254 3133440 389 18446744073709551615";

    @Test
    void userPlusSystemTicksOfAPlainLine() {
        assertEquals(2840, ProcessCpu.ticks("1234 (java)" + FIELDS_AFTER_NAME));
    }

    @Test
    void aNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
        // the kernel does not escape the name: only the LAST ')' ends it
        assertEquals(2840, ProcessCpu.ticks("1234 (my (odd) ) R 9 9)" + FIELDS_AFTER_NAME));
        assertEquals(2840, ProcessCpu.ticks("1234 ()" + FIELDS_AFTER_NAME + "\n"));
    }

    @Test
    void aTruncatedOrForeignLineIsRefusedNotMisread() {
        assertThrows(IllegalArgumentException.class, () -> ProcessCpu.ticks("1234 java S 1 2 3"));
        assertThrows(IllegalArgumentException.class, () -> ProcessCpu.ticks("1234 (java) S 1 1234 1234 0 -1 4194560"));
    }

    @Test
    void aLiveProcessIsReadFromProc() throws Exception {
        ProcessCpu self = ProcessCpu.of(ProcessHandle.current().pid());
        long before = self.ticks();
        CpuWindow window = self.since(before);
        assertTrue(window.ticks() >= 0, () -> "CPU time went backwards: " + window);
        assertTrue(ProcessCpu.TICKS_PER_SECOND > 0);
    }

    @Test
    void aWindowIsTheDifferenceOfTwoReadingsAndIsDividedPerSession() {
        CpuWindow window = CpuWindow.between(2840, 3090, 100);   // 250 ticks of 10 ms
        assertEquals(2_500_000, window.micros(), 1e-6);
        assertEquals(250, window.microsPerSession(10_000), 1e-9);
        assertEquals(20_000, window.resolutionMicros(), 1e-9);   // a tick at each end
        assertEquals(0.008, window.relativeError(), 1e-12);
    }

    @Test
    void noSessionHasNoCostPerSessionRatherThanZeroOrInfinity() {
        CpuWindow window = CpuWindow.between(100, 130, 100);
        assertTrue(Double.isNaN(window.microsPerSession(0)), () -> "per session: " + window.microsPerSession(0));
        assertEquals(0, CpuWindow.between(100, 100, 100).microsPerSession(5));
        assertTrue(Double.isInfinite(CpuWindow.between(100, 100, 100).relativeError()));
    }

    @Test
    void aCounterGoingBackwardsIsAnErrorNotANegativeCost() {
        // e.g. the pid was reused by another process between the two readings
        assertThrows(IllegalArgumentException.class, () -> CpuWindow.between(3090, 2840, 100));
    }
}
