// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench.study;

import io.srcu4j.bench.ReportCharts;
import io.srcu4j.bench.ReportCharts.Chart;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The study's charts, drawn the way the benchmark report draws its own: a core-to-core heatmap per language and method, the core-to-core medians
 * per distance, fences and atomics, per-CPU increments, rseq abort rates, membarrier against
 * threads and CPUs, and grace periods per placement. Each is drawn only when it has data.
 */
final class StudyCharts {

    private StudyCharts() {
    }

    /** Draws every chart of {@link #plan}; one that fails is reported on {@code warnings} and left out. */
    static List<Chart> write(Path dir, StudyResults r, PrintStream warnings) {
        return ReportCharts.draw(dir, plan(r), warnings);
    }

    /** The charts the results call for; each chart's heading is the study.md section it goes under. */
    static List<Chart> plan(StudyResults r) {
        List<Chart> charts = new ArrayList<>();
        int n = r.layout().cpus().size();
        for (String lang : StudyResults.LANGS) {
            for (String m : StudyReport.C2C_METHODS) {
                Map<String, Double> values = r.c2cMedians(lang, m);
                if (values.isEmpty()) {
                    continue;
                }
                String title = "Core-to-core latency, " + lang + ", " + StudyReport.METHOD_LABELS.get(m) + ": " + n
                        + " CPUs, " + values.size() + " pair" + (values.size() == 1 ? "" : "s") + " measured";
                charts.add(new Chart("c2c-heatmap-" + lang.toLowerCase(Locale.ROOT) + "-" + m.replace('_', '-')
                        + ".png", title, "c2c", out -> Heatmap.draw(out, title, r.layout(), values)));
            }
        }
        distances(r, charts);
        paired(r, "fences", "Fences and atomics (ns per operation)", charts);
        paired(r, "percpu", "Per-CPU increments (ns per increment)", charts);
        rseq(r, charts);
        membarrier(r, charts);
        placement(r, charts);
        return charts;
    }

    private static void distances(StudyResults r, List<Chart> charts) {
        Map<Distance, Map<String, List<Double>>> byDistance = new TreeMap<>();
        List<String> names = new ArrayList<>();
        for (String lang : StudyResults.LANGS) {
            for (String m : StudyReport.C2C_METHODS) {
                String name = lang + " " + StudyReport.METHOD_LABELS.get(m);
                r.c2cByDistance(lang, m).forEach((d, v) -> {
                    byDistance.computeIfAbsent(d, k -> new LinkedHashMap<>()).put(name, v);
                    if (!names.contains(name)) {
                        names.add(name);
                    }
                });
            }
        }
        if (byDistance.isEmpty()) {
            return;
        }
        List<String> categories = byDistance.keySet().stream().map(d -> d.label).toList();
        List<SpreadCharts.Series> series = new ArrayList<>();
        for (String name : names) {
            List<Spread> spreads = new ArrayList<>();
            for (Map<String, List<Double>> m : byDistance.values()) {
                List<Double> v = m.get(name);
                spreads.add(v == null ? Spread.NONE : spreadOf(r, v, name));
            }
            series.add(new SpreadCharts.Series(name, spreads));
        }
        String title = "Core-to-core latency by distance (ns one way; box: pair medians, or one pair's repetitions)";
        charts.add(new Chart("c2c-distances.png", title, "c2c",
                out -> SpreadCharts.boxes(out, title, "ns, one way (log)", categories, series, true)));
    }

    /** The spread over pair medians; with one pair, its repetitions'. */
    private static Spread spreadOf(StudyResults r, List<Double> pairMedians, String seriesName) {
        if (pairMedians.size() > 1) {
            return Spread.of(pairMedians);
        }
        String lang = seriesName.startsWith("C ") ? "C" : "Java";
        String method = seriesName.endsWith("CAS") ? "cas/" : "store_load/";
        return r.measured("c2c").stream().filter(x -> x.lang().equals(lang) && x.key().startsWith(method)
                && x.median() == pairMedians.getFirst()).findFirst().map(Row::spread).orElse(Spread.of(pairMedians));
    }

    /** Boxes per operation (C and Java), uncontended and shared. */
    private static void paired(StudyResults r, String study, String title, List<Chart> charts) {
        Map<String, Row[]> byOp = new LinkedHashMap<>();
        for (Row x : r.measured(study)) {
            String base = x.key().substring(0, x.key().lastIndexOf('/'));
            if (base.equals("empty")) {
                continue;
            }
            byOp.computeIfAbsent(x.lang() + ": " + x.label(), k -> new Row[2])[x.key().endsWith("/shared") ? 1 : 0] = x;
        }
        if (byOp.isEmpty()) {
            return;
        }
        List<String> categories = new ArrayList<>(byOp.keySet());
        List<Row> un = new ArrayList<>();
        List<Row> sh = new ArrayList<>();
        byOp.values().forEach(two -> {
            un.add(two[0]);
            sh.add(two[1]);
        });
        List<SpreadCharts.Series> series = List.of(new SpreadCharts.Series("uncontended", SpreadCharts.spreads(un)),
                new SpreadCharts.Series("line shared with a second core", SpreadCharts.spreads(sh)));
        charts.add(new Chart(study + ".png", title, study,
                out -> SpreadCharts.boxes(out, title, "ns per operation (log)", categories, series, true)));
    }

    private static void rseq(StudyResults r, List<Chart> charts) {
        List<Row> rates = r.measured("rseq").stream().filter(x -> x.key().startsWith("aborts/")).toList();
        if (rates.isEmpty()) {
            return;
        }
        List<String> categories = rates.stream().map(Row::label).toList();
        String title = "rseq aborts per million sections";
        List<SpreadCharts.Series> series = List.of(new SpreadCharts.Series("libsrcu4j's rseq increment",
                SpreadCharts.spreads(rates)));
        charts.add(new Chart("rseq-aborts.png", title, "rseq",
                out -> SpreadCharts.boxes(out, title, "aborts per million sections", categories, series, false)));
    }

    private static void membarrier(StudyResults r, List<Chart> charts) {
        Map<String, TreeMap<Integer, Row>> series = new LinkedHashMap<>();
        for (Row x : r.measured("membarrier")) {
            String[] k = x.key().split("/");
            series.computeIfAbsent(k[0], z -> new TreeMap<>()).put(Integer.parseInt(k[1]), x);
        }
        List<String> threadSeries = series.keySet().stream().filter(s -> !s.equals("cpus")).toList();
        if (!threadSeries.isEmpty()) {
            List<Double> xs = threadSeries.stream().flatMap(s -> series.get(s).keySet().stream()).distinct().sorted()
                    .map(Integer::doubleValue).toList();
            List<SpreadCharts.Series> lines = new ArrayList<>();
            for (String s : threadSeries) {
                List<Row> rows = xs.stream().map(x -> series.get(s).get(x.intValue())).toList();
                lines.add(new SpreadCharts.Series(s + " threads", SpreadCharts.spreads(rows)));
            }
            String title = "membarrier(PRIVATE_EXPEDITED) against the process's other threads";
            charts.add(new Chart("membarrier-threads.png", title, "membarrier",
                    out -> SpreadCharts.lines(out, title, "other threads", "ns per call (log)", xs, lines, true)));
        }
        TreeMap<Integer, Row> cpus = series.get("cpus");
        if (cpus != null && !cpus.isEmpty()) {
            List<Double> xs = cpus.keySet().stream().map(Integer::doubleValue).toList();
            List<SpreadCharts.Series> lines = List.of(new SpreadCharts.Series("one running thread per CPU",
                    SpreadCharts.spreads(new ArrayList<>(cpus.values()))));
            String title = "membarrier(PRIVATE_EXPEDITED) against the CPUs running the process";
            charts.add(new Chart("membarrier-cpus.png", title, "membarrier",
                    out -> SpreadCharts.lines(out, title, "CPUs with a running thread", "ns per call (log)", xs, lines,
                            true)));
        }
    }

    private static void placement(StudyResults r, List<Chart> charts) {
        Map<String, Row[]> byPlace = new LinkedHashMap<>();
        for (Row x : r.measured("placement")) {
            String[] k = x.key().split("/");
            if (!k[0].equals("gp")) {
                continue;
            }
            int a = Integer.parseInt(k[3]);
            int b = Integer.parseInt(k[4]);
            String cat = x.lang() + " " + k[1] + ", " + r.layout().distance(a, b).label + " (" + a + "/" + b + ")";
            byPlace.computeIfAbsent(cat, z -> new Row[2])[k[2].equals("expedited") ? 1 : 0] = x;
        }
        if (byPlace.isEmpty()) {
            return;
        }
        List<String> categories = new ArrayList<>(byPlace.keySet());
        List<Row> normal = byPlace.values().stream().map(two -> two[0]).toList();
        List<Row> expedited = byPlace.values().stream().map(two -> two[1]).toList();
        List<SpreadCharts.Series> series = List.of(new SpreadCharts.Series("synchronize", SpreadCharts.spreads(normal)),
                new SpreadCharts.Series("synchronize expedited", SpreadCharts.spreads(expedited)));
        String title = "Grace period with a busy reader, by reader/updater placement";
        charts.add(new Chart("placement.png", title, "placement",
                out -> SpreadCharts.boxes(out, title, "ns per grace period (log)", categories, series, true)));
    }
}
