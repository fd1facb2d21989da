package io.crmroute.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The CPU time (user + system) of another process, read from Linux's {@code /proc/<pid>/stat}: every thread of
 * that process, the ones that already ended included, JIT and GC threads too, and nothing of this JVM's. The
 * kernel gives it in clock ticks of 1/{@code CLK_TCK} s (10 ms here), so a window is good to about two ticks.
 */
final class ProcessCpu {

    /** Clock ticks per second of the figures in {@code /proc/<pid>/stat}. */
    static final long TICKS_PER_SECOND = clockTicksPerSecond();

    private final Path stat;

    private ProcessCpu(Path stat) {
        this.stat = stat;
    }

    static ProcessCpu of(long pid) {
        return new ProcessCpu(Path.of("/proc", Long.toString(pid), "stat"));
    }

    /** user + system CPU so far, in clock ticks. */
    long ticks() throws IOException {
        return ticks(Files.readString(stat, StandardCharsets.US_ASCII));
    }

    /** The CPU used since {@code startTicks} (an earlier {@link #ticks()}). */
    CpuWindow since(long startTicks) throws IOException {
        return CpuWindow.between(startTicks, ticks(), TICKS_PER_SECOND);
    }

    /**
     * utime + stime (fields 14 and 15) of one {@code /proc/<pid>/stat} line. Field 2, the command name in
     * parentheses, may itself hold spaces and parentheses, so the fields are counted from its LAST ')'.
     */
    static long ticks(String statLine) {
        int nameEnd = statLine.lastIndexOf(')');
        if (nameEnd < 0) throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + statLine);
        String[] fields = statLine.substring(nameEnd + 1).trim().split("\\s+");
        // fields[0] is field 3 (state), so field n is fields[n - 3]
        if (fields.length < 13) throw new IllegalArgumentException("too few fields in /proc/<pid>/stat: " + statLine);
        return Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
    }

    /** {@code getconf CLK_TCK}; 100 (Linux's USER_HZ on every common platform) if it cannot be asked. */
    private static long clockTicksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (getconf.waitFor(5, TimeUnit.SECONDS) && getconf.exitValue() == 0) return Long.parseLong(out);
        } catch (IOException | NumberFormatException e) {
            // fall through to the usual value
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
