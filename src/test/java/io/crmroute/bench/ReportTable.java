package io.crmroute.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Prints one scenario: first its headline, the server CPU per session of crmroute over each baseline's; then
 * crmroute, the two baselines and the harness ceiling side by side, the ratios of crmroute
 * to each, and crmroute's figures against issue 12's targets, which are relative to the ceiling measured in the
 * same run (PASS/FAIL; n/a when crmroute or the ceiling was not measured).
 */
final class ReportTable {

    /** The systems of one scenario, in column order. */
    record Row(Measurement crmroute, Measurement shipped, Measurement tuned, Measurement ceiling) {

        List<Measurement> all() {
            return List.of(crmroute, shipped, tuned, ceiling);
        }
    }

    private static final String COLUMNS = "    %-16s %10s %17s %15s %28s %11s %9s %11s%n";

    private ReportTable() {}

    static void print(PrintStream out, Scenario scenario, Row row) {
        out.printf("%n(%s) %s%n    %s%n    %s%n", scenario.id(), scenario.title(), headline(row), scenario.plan().describe());
        out.printf(COLUMNS, "", "crmroute", "baseline shipped", "baseline tuned", CeilingSystem.NAME,
                "cr/shipped", "cr/tuned", "cr/ceiling");
        row(out, "sessions/s", "%,.0f", m -> m.result().sessionsPerSecond(), row);
        row(out, "CPU us/session", "%,.0f", Measurement::cpuMicrosPerSession, row);
        row(out, "CPU ms (window)", "%,.0f", m -> m.cpu() == null ? Double.NaN : m.cpu().micros() / 1000, row);
        row(out, "p50 ms", "%.2f", m -> m.result().percentileMs(50), row);
        row(out, "p99 ms", "%.2f", m -> m.result().percentileMs(99), row);
        row(out, "p99.9 ms", "%.2f", m -> m.result().percentileMs(99.9), row);
        row(out, "max ms", "%.2f", m -> m.result().maxMs(), row);
        row(out, "peak heap MB", "%.0f", Measurement::peakHeapMb, row);
        row(out, "peak threads", "%.0f", m -> m.peakThreads() < 0 ? Double.NaN : m.peakThreads(), row);
        row(out, "ok sessions", "%,.0f", m -> m.result().ok(), row);
        row(out, "errors", "%,.0f", m -> m.result().errorCount(), row);
        row(out, "leaked sessions", "%,.0f", m -> m.leaked(), row);
        for (Measurement m : row.all()) {
            if (!m.measured()) {
                out.printf("    %s: not measured: %s%n", m.system(), m.failure());
            } else if (m.result().errorCount() > 0) {
                out.printf("    %s errors: %s, e.g. %s%n", m.system(), m.result().errors(),
                        m.result().samples().isEmpty() ? "-" : m.result().samples().get(0));
            }
        }
        for (String line : targets(scenario, row)) out.println("    " + line);
        for (String line : cpuTargets(scenario, row)) out.println("    " + line);
    }

    /**
     * The scenario's headline: the server's CPU per session, crmroute over each baseline (the figure the load
     * generator, sharing the cores, does not move), with the ceiling's for scale and the worst relative error of
     * the clock ticks among them.
     */
    static String headline(Row row) {
        double crmroute = row.crmroute().cpuMicrosPerSession();
        double shipped = row.shipped().cpuMicrosPerSession();
        double tuned = row.tuned().cpuMicrosPerSession();
        return String.format("CPU per session (server process, measured window): crmroute %s us = %s baseline shipped (%s us), "
                        + "%s baseline tuned (%s us); ceiling %s us%s",
                text("%,.0f", crmroute), ratio(crmroute, shipped), text("%,.0f", shipped), ratio(crmroute, tuned),
                text("%,.0f", tuned), text("%,.0f", row.ceiling().cpuMicrosPerSession()), resolution(row));
    }

    private static String resolution(Row row) {
        long ticksPerSecond = 0;
        double worst = 0;
        for (Measurement m : row.all()) {
            if (Double.isNaN(m.cpuMicrosPerSession())) continue;
            ticksPerSecond = m.cpu().ticksPerSecond();
            worst = Math.max(worst, m.cpu().relativeError());
        }
        return ticksPerSecond == 0 ? ""
                : String.format("; ticks of %.0f ms: +-%.1f%% at worst", 1000.0 / ticksPerSecond, 100 * worst);
    }


    private static void row(PrintStream out, String name, String format, ToDoubleFunction<Measurement> figure, Row row) {
        double c = value(figure, row.crmroute());
        double s = value(figure, row.shipped());
        double t = value(figure, row.tuned());
        double l = value(figure, row.ceiling());
        out.printf(COLUMNS, name, text(format, c), text(format, s), text(format, t), text(format, l),
                ratio(c, s), ratio(c, t), ratio(c, l));
    }

    private static double value(ToDoubleFunction<Measurement> figure, Measurement m) {
        return m.measured() ? figure.applyAsDouble(m) : Double.NaN;
    }

    private static String text(String format, double value) {
        return Double.isNaN(value) ? "n/a" : String.format(format, value);
    }

    private static String ratio(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b) || b == 0) return "-";
        return String.format("%.2fx", a / b);
    }

    /**
     * Issue 12's targets for crmroute in this scenario, measured against the ceiling of the same run (what this load
     * generator and machine allow any server), so they hold on a machine of any speed: (a) at least 0.9x the
     * ceiling's sessions/s; (b) p99 at most the ceiling's + 10 ms, no errors; (c) every call answered correctly,
     * the last answer at most 1.25x the ceiling's, under 64 threads and 512 MB of heap; (d), (e) no errors and no
     * leaked session. n/a where crmroute or the ceiling was not measured.
     */
    static List<String> targets(Scenario scenario, Row row) {
        List<String> lines = new ArrayList<>();
        Measurement crmroute = row.crmroute();
        Measurement ceiling = row.ceiling();
        if (!crmroute.measured()) {
            lines.add("targets: n/a (crmroute not measured)");
            return lines;
        }
        LoadResult r = crmroute.result();
        boolean scaled = ceiling.measured();
        LoadResult c = scaled ? ceiling.result() : null;
        switch (scenario.id()) {
            case 'a':
                if (scaled) {
                    double share = r.sessionsPerSecond() / c.sessionsPerSecond();
                    check(lines, share >= 0.9, String.format(">= 0.9x the ceiling's sessions/s (%,.0f/s): %,.0f/s = %.2fx",
                            c.sessionsPerSecond(), r.sessionsPerSecond(), share));
                }
                check(lines, r.errorCount() == 0, "no errors: " + r.errorCount());
                break;
            case 'b':
                if (scaled) {
                    double bound = c.percentileMs(99) + 10;
                    check(lines, r.percentileMs(99) <= bound, String.format("p99 <= the ceiling's + 10 ms (%.1f ms): %.1f ms", bound,
                            r.percentileMs(99)));
                }
                check(lines, r.errorCount() == 0, "no errors: " + r.errorCount());
                break;
            case 'c':
                check(lines, r.errorCount() == 0 && r.ok() == scenario.plan().total(),
                        String.format("all %,d answered correctly: %,d ok, %,d errors", scenario.plan().total(), r.ok(), r.errorCount()));
                if (scaled) {
                    double bound = 1.25 * c.maxMs();
                    check(lines, r.maxMs() <= bound, String.format("last answer <= 1.25x the ceiling's (%.0f ms): %.0f ms = %.2fx",
                            bound, r.maxMs(), r.maxMs() / c.maxMs()));
                }
                check(lines, crmroute.peakThreads() >= 0 && crmroute.peakThreads() < 64, "< 64 threads: " + crmroute.peakThreads());
                check(lines, crmroute.peakHeapBytes() >= 0 && crmroute.peakHeapMb() < 512,
                        String.format("< 512 MB heap: %.0f MB", crmroute.peakHeapMb()));
                break;
            default:
                check(lines, r.errorCount() == 0, "no errors: " + r.errorCount());
                check(lines, crmroute.leaked() == 0 && crmroute.serverSessionsLeft() >= 0,
                        "no leaked session: " + crmroute.leaked() + (crmroute.serverSessionsLeft() < 0 ? " (in-flight gauge missing)" : ""));
                break;
        }
        if (!scaled && "abc".indexOf(scenario.id()) >= 0) lines.add("targets against the ceiling: n/a (ceiling not measured)");
        return lines;
    }

    /**
     * Issue 12's CPU target for (a) and (b): crmroute's CPU per session at most 1/3 of asterisk-java's, taken as
     * the cheaper of the two baselines.
     */
    static List<String> cpuTargets(Scenario scenario, Row row) {
        List<String> lines = new ArrayList<>();
        if (scenario.id() != 'a' && scenario.id() != 'b') return lines;
        double crmroute = row.crmroute().cpuMicrosPerSession();
        double baseline = Math.min(nanToInfinity(row.shipped().cpuMicrosPerSession()), nanToInfinity(row.tuned().cpuMicrosPerSession()));
        if (Double.isNaN(crmroute) || Double.isInfinite(baseline)) {
            lines.add("CPU target: n/a (CPU per session not measured)");
        } else {
            check(lines, crmroute <= baseline / 3, String.format("CPU per session <= 1/3 of the baseline's (%,.0f us): %,.0f us = %.2fx",
                    baseline / 3, crmroute, crmroute / baseline));
        }
        return lines;
    }

    private static double nanToInfinity(double value) {
        return Double.isNaN(value) ? Double.POSITIVE_INFINITY : value;
    }

    private static void check(List<String> lines, boolean pass, String what) {
        lines.add((pass ? "PASS " : "FAIL ") + what);
    }
}
