package billswitch.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benchmark's human outputs: a console table and an HTML page with the latency distributions. */
final class Report {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b",
        "#e377c2", "#7f7f7f", "#bcbd22"};

    private Report() {
    }

    /**
     * One line a scenario. {@code cpu ms/pay} is the server's, PostgreSQL's and the load generator's; {@code upstream}
     * the upstream BillSwitch's (process and PostgreSQL) where a scenario pays through one; {@code heap MB} the
     * server's heap peak where it is sampled.
     */
    static String table(List<Bench.Scenario> scenarios) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-16s %8s %10s %8s %8s %8s %8s %7s %9s %6s %7s %12s %9s %8s %6s%n",
                "scenario", "clients", "payments/s", "p50 ms", "p95 ms", "p99 ms", "p99.9", "errors", "pgbench", "ratio", "ledger",
                "cpu ms/pay", "upstream", "heap MB", "steal"));
        for (Bench.Scenario x : scenarios) {
            s.append(String.format(Locale.ROOT, "%-16s %8s %10.0f %8.1f %8.1f %8.1f %8.1f %7d %9s %6s %7s %12s %9s %8s %6s%n", x.name(),
                    x.offeredPerSecond() != null ? String.format(Locale.ROOT, "%.0f/s", x.offeredPerSecond()) : x.clients(),
                    x.paymentsPerSecond(), x.latencyMs().p50(), x.latencyMs().p95(), x.latencyMs().p99(), x.latencyMs().p999(),
                    x.errors(), x.pgbenchTps() == null ? "-" : String.format(Locale.ROOT, "%.0f", x.pgbenchTps()),
                    x.ratioToPgbench() == null ? "-" : String.format(Locale.ROOT, "%.2f", x.ratioToPgbench()),
                    x.ledgerVerified() ? "ok" : "FAILED", cpu(x.cpuMsPerPayment(), "total"),
                    cpu(x.cpuMsPerPayment(), "upstreamTotal"),
                    x.serverHeapPeakBytes() == null ? "-" : Long.toString(x.serverHeapPeakBytes() >> 20),
                    steal(x.cpuMsPerPayment())));
        }
        return s.toString();
    }

    /** The HTTP connector scenario against scenario (a) of the same run, and the target it is held to. */
    static String httpLine(double ratio) {
        return String.format(Locale.ROOT, "http-connector / a-100-partners: %.2f of (a)'s payments/s (target at least 0.50: %s)",
                ratio, ratio >= 0.5 ? "met" : "missed");
    }

    /** pgbench at a fixed rate, for the half-peak scenario's latency to be read against. */
    static String line(PgBench.AtRate r) {
        return String.format(Locale.ROOT, "pgbench tpcb-like at %.0f/s offered (half its 16-client rate), open loop, %d clients: "
                        + "%.0f transactions/s, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, p99.9 %.1f ms", r.offeredPerSecond(),
                r.clients(), r.tps(), r.latencyMs().p50(), r.latencyMs().p95(), r.latencyMs().p99(), r.latencyMs().p999());
    }

    /** One of the CPU figures a payment ({@code total}: the three processes'), or "-". */
    private static String cpu(Map<String, Double> perPayment, String key) {
        Double total = perPayment == null ? null : perPayment.get(key);
        return total == null ? "-" : String.format(Locale.ROOT, "%.3f", total);
    }

    /** The share of the machine's time the hypervisor took during the scenario, or "-". */
    private static String steal(Map<String, Double> perPayment) {
        Double steal = perPayment == null ? null : perPayment.get("machineSteal");
        return steal == null ? "-" : String.format(Locale.ROOT, "%.1f%%", steal * 100);
    }

    static String html(Map<String, Object> results, List<Bench.Scenario> scenarios, PgBench.AtRate pgbenchAtRate) {
        StringBuilder h = new StringBuilder("""
                <!doctype html><html><head><meta charset="utf-8"><title>BillSwitch benchmark</title>
                <style>body{font-family:sans-serif;margin:2em}td,th{padding:4px 10px;text-align:right}
                th{background:#eee}td:first-child{text-align:left}</style></head><body>
                <h1>BillSwitch benchmark</h1>
                """);
        h.append("<p>").append(escape(String.valueOf(results.get("machine")))).append("<br>")
                .append(escape(String.valueOf(results.get("postgres")))).append("</p>\n<pre>")
                .append(escape(table(scenarios))).append("</pre>\n");
        if (pgbenchAtRate != null) {
            h.append("<p>").append(escape(line(pgbenchAtRate))).append("</p>\n");
        }
        if (results.get(Bench.HTTP_TO_SANDBOX) instanceof Double ratio) {
            h.append("<p>").append(escape(httpLine(ratio))).append("</p>\n");
        }
        List<Series> series = new ArrayList<>();
        scenarios.forEach(sc -> series.add(new Series(sc.name(), sc.latencyCurve(), sc.latencyMs().max(), false)));
        if (pgbenchAtRate != null) {
            series.add(new Series(String.format(Locale.ROOT, "pgbench tpcb-like at %.0f/s, open loop",
                    pgbenchAtRate.offeredPerSecond()), pgbenchAtRate.latencyCurve(), pgbenchAtRate.latencyMs().max(), true));
        }
        h.append("<h2>Latency distribution</h2>\n").append(svg(series)).append("</body></html>\n");
        return h.toString();
    }

    /** One line of the chart: (percentile, ms) points; pgbench's is dashed. */
    private record Series(String name, List<double[]> curve, double maxMs, boolean dashed) {
    }

    /** Latency (ms, log scale) against percentile, on a "nines" axis: 0, 90, 99, 99.9, 99.99. */
    private static String svg(List<Series> lines) {
        int w = 900;
        int hgt = 480;
        int left = 70;
        int bottom = 40;
        double maxMs = lines.stream().mapToDouble(Series::maxMs).max().orElse(1); // no lines: an axis up to 1 ms
        double minMs = 0.1;
        double logSpan = Math.log10(Math.max(maxMs, 1) / minMs);
        StringBuilder s = new StringBuilder("<svg xmlns='http://www.w3.org/2000/svg' width='" + w + "' height='" + hgt + "'>\n");
        s.append("<rect x='0' y='0' width='").append(w).append("' height='").append(hgt).append("' fill='white'/>\n");
        for (int nines = 0; nines <= 4; nines++) {
            double x = left + (w - left - 20) * nines / 4.0;
            s.append(String.format(Locale.ROOT, "<line x1='%.0f' y1='10' x2='%.0f' y2='%d' stroke='#ddd'/>", x, x, hgt - bottom));
            String label = new String[] {"0%", "90%", "99%", "99.9%", "99.99%"}[nines];
            s.append(String.format(Locale.ROOT, "<text x='%.0f' y='%d' font-size='12' text-anchor='middle'>%s</text>%n", x, hgt - 20, label));
        }
        for (double ms = minMs; ms <= maxMs * 10; ms *= 10) {
            double y = yOf(ms, minMs, logSpan, hgt, bottom);
            s.append(String.format(Locale.ROOT, "<line x1='%d' y1='%.0f' x2='%d' y2='%.0f' stroke='#ddd'/>", left, y, w - 20, y));
            s.append(String.format(Locale.ROOT, "<text x='%d' y='%.0f' font-size='12' text-anchor='end'>%s ms</text>%n",
                    left - 5, y + 4, ms < 1 ? String.valueOf(ms) : String.valueOf((long) ms)));
        }
        for (int i = 0; i < lines.size(); i++) {
            Series line = lines.get(i);
            StringBuilder points = new StringBuilder();
            for (double[] p : line.curve()) {
                double nines = Math.min(4, -Math.log10(Math.max(1e-4, 1 - p[0] / 100)));
                double x = left + (w - left - 20) * nines / 4.0;
                double y = yOf(Math.max(minMs, p[1]), minMs, logSpan, hgt, bottom);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            String colour = COLOURS[i % COLOURS.length];
            s.append("<polyline fill='none' stroke-width='2' stroke='").append(colour)
                    .append(line.dashed() ? "' stroke-dasharray='6,4" : "").append("' points='").append(points).append("'/>\n");
            s.append(String.format(Locale.ROOT, "<text x='%d' y='%d' font-size='12' fill='%s'>%s</text>%n", left + 10, 25 + 15 * i,
                    colour, escape(line.name())));
        }
        return s.append("</svg>\n").toString();
    }

    private static double yOf(double ms, double minMs, double logSpan, int hgt, int bottom) {
        double f = Math.log10(ms / minMs) / Math.max(logSpan, 1e-9);
        return (hgt - bottom) - f * (hgt - bottom - 10);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
