package io.crmroute.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Prints one scenario: crmroute and the two baselines side by side, the ratio crmroute/baseline, and
 * crmroute's figures against the targets (PASS/FAIL; n/a when crmroute was not measured).
 */
final class ReportTable {

    private ReportTable() {}

    static void print(PrintStream out, Scenario scenario, Measurement crmroute, Measurement shipped, Measurement tuned) {
        out.printf("%n(%s) %s%n    %s%n", scenario.id(), scenario.title(), scenario.plan().describe());
        out.printf("    %-18s %16s %16s %16s %12s %12s%n", "", "crmroute", "baseline shipped", "baseline tuned",
                "cr/shipped", "cr/tuned");
        row(out, "sessions/s", "%,.0f", m -> m.result().sessionsPerSecond(), crmroute, shipped, tuned);
        row(out, "p50 ms", "%.2f", m -> m.result().percentileMs(50), crmroute, shipped, tuned);
        row(out, "p99 ms", "%.2f", m -> m.result().percentileMs(99), crmroute, shipped, tuned);
        row(out, "p99.9 ms", "%.2f", m -> m.result().percentileMs(99.9), crmroute, shipped, tuned);
        row(out, "max ms", "%.2f", m -> m.result().maxMs(), crmroute, shipped, tuned);
        row(out, "peak heap MB", "%.0f", Measurement::peakHeapMb, crmroute, shipped, tuned);
        row(out, "peak threads", "%.0f", m -> m.peakThreads() < 0 ? Double.NaN : m.peakThreads(), crmroute, shipped, tuned);
        row(out, "ok sessions", "%,.0f", m -> m.result().ok(), crmroute, shipped, tuned);
        row(out, "errors", "%,.0f", m -> m.result().errorCount(), crmroute, shipped, tuned);
        row(out, "leaked sessions", "%,.0f", m -> m.leaked(), crmroute, shipped, tuned);
        for (Measurement m : List.of(crmroute, shipped, tuned)) {
            if (!m.measured()) {
                out.printf("    %s: not measured: %s%n", m.system(), m.failure());
            } else if (m.result().errorCount() > 0) {
                out.printf("    %s errors: %s, e.g. %s%n", m.system(), m.result().errors(),
                        m.result().samples().isEmpty() ? "-" : m.result().samples().get(0));
            }
        }
        for (String line : targets(scenario, crmroute, best(shipped, tuned))) out.println("    " + line);
    }

    private static Measurement best(Measurement shipped, Measurement tuned) {
        if (!tuned.measured()) return shipped;
        if (!shipped.measured()) return tuned;
        return tuned.result().sessionsPerSecond() > shipped.result().sessionsPerSecond() ? tuned : shipped;
    }

    private static void row(PrintStream out, String name, String format, ToDoubleFunction<Measurement> figure,
                            Measurement crmroute, Measurement shipped, Measurement tuned) {
        double c = value(figure, crmroute);
        double s = value(figure, shipped);
        double t = value(figure, tuned);
        out.printf("    %-18s %16s %16s %16s %12s %12s%n", name, text(format, c), text(format, s), text(format, t),
                ratio(c, s), ratio(c, t));
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

    /** The targets for crmroute in this scenario. */
    static List<String> targets(Scenario scenario, Measurement crmroute, Measurement baseline) {
        List<String> lines = new ArrayList<>();
        if (!crmroute.measured()) {
            lines.add("targets: n/a (crmroute not measured)");
            return lines;
        }
        LoadResult r = crmroute.result();
        long crm = scenario.crmLatencyMs();
        switch (scenario.id()) {
            case 'a':
                check(lines, r.sessionsPerSecond() >= 5000, String.format(">= 5,000 sessions/s: %,.0f", r.sessionsPerSecond()));
                check(lines, r.percentileMs(99) < 2, String.format("p99 added latency < 2 ms: %.2f ms", r.percentileMs(99)));
                if (baseline.measured()) {
                    double times = r.sessionsPerSecond() / baseline.result().sessionsPerSecond();
                    check(lines, times >= 3, String.format(">= 3x baseline sessions/s: %.2fx", times));
                }
                check(lines, r.errorCount() == 0, "no errors: " + r.errorCount());
                break;
            case 'b':
                check(lines, r.percentileMs(99) < crm + 5, String.format("p99 < CRM + 5 ms (%d ms): %.2f ms", crm + 5, r.percentileMs(99)));
                check(lines, r.errorCount() == 0, "no errors: " + r.errorCount());
                break;
            case 'c':
                check(lines, r.errorCount() == 0 && r.ok() == scenario.plan().total(),
                        String.format("all %,d answered correctly: %,d ok, %,d errors", scenario.plan().total(), r.ok(), r.errorCount()));
                check(lines, r.maxMs() < crm + 100, String.format("every call within CRM + 100 ms (%d ms): max %.0f ms", crm + 100, r.maxMs()));
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
        return lines;
    }

    private static void check(List<String> lines, boolean pass, String what) {
        lines.add((pass ? "PASS " : "FAIL ") + what);
    }
}
