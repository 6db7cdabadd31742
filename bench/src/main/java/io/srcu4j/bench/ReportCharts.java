// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The report's charts, drawn from {@link Results}: the read pair per thread kind as bars, the
 * read pair against thread count as lines, and one bar chart per other benchmark, built from
 * whatever parameters and unit its measurements carry.
 */
public final class ReportCharts {

    /** A span of scores wider than this gets a log Y axis in the generic charts. */
    private static final double LOG_SPAN = 30;

    /**
     * One chart of the report.
     *
     * @param file    file name in the report directory
     * @param title   what the chart shows, also its alt text in report.md
     * @param heading the report.md heading it goes under
     * @param draw    draws it into the given file
     */
    public record Chart(String file, String title, String heading, Consumer<Path> draw) {
    }

    private ReportCharts() {
    }

    /**
     * Draws every chart of {@link #plan} into {@code dir} and returns the ones written. A chart
     * that fails is reported on {@code warnings} and left out: the tables carry the same numbers.
     */
    static List<Chart> write(Path dir, Results results, PrintStream warnings) {
        return draw(dir, plan(results), warnings);
    }

    /**
     * Draws {@code charts} into {@code dir} and returns the ones written; one that fails is
     * reported on {@code warnings} and left out (the hardware study's charts go through here too).
     */
    public static List<Chart> draw(Path dir, List<Chart> charts, PrintStream warnings) {
        List<Chart> written = new ArrayList<>();
        for (Chart chart : charts) {
            try {
                chart.draw().accept(dir.resolve(chart.file()));
                written.add(chart);
            } catch (ChartException | IllegalArgumentException e) {
                warnings.println("warning: chart " + chart.file() + " not written: " + e.getMessage());
            }
        }
        return written;
    }

    /** The charts the results call for; a chart with nothing to show is not planned. */
    static List<Chart> plan(Results r) {
        List<Chart> charts = new ArrayList<>();
        for (ThreadKind kind : ThreadKind.values()) {
            List<Measurement> pairs = readPairs(r, kind);
            if (!pairs.isEmpty()) {
                charts.add(readPairBars(kind, pairs));
            }
        }
        List<Measurement> platform = readPairs(r, ThreadKind.PLATFORM);
        if (platform.stream().map(Measurement::threads).distinct().count() > 1) {
            charts.add(readPairLines(platform));
        }
        charts.addAll(otherBenchmarks(r, charts.stream().map(Chart::file).collect(Collectors.toSet())));
        return charts;
    }

    private static List<Measurement> readPairs(Results r, ThreadKind kind) {
        return r.measurements().stream()
                .filter(m -> m.benchmark().equals(Results.READ_PAIR) && m.kind() == kind).toList();
    }

    private static Chart readPairBars(ThreadKind kind, List<Measurement> pairs) {
        List<String> impls = distinct(pairs, m -> m.param("impl"));
        List<ChartSeries> series = new ArrayList<>();
        for (int threads : threadCounts(pairs)) {
            series.add(series(threadsLabel(threads, kind),
                    impls.stream().map(impl -> find(pairs, m -> m.param("impl").equals(impl)
                            && m.threads() == threads)).toList()));
        }
        String title = "Read lock/unlock pair, " + kind.label + " threads (lower is better)";
        return new Chart("read-pair-" + kind.label + ".png", title, ReportFiles.readPairHeading(kind),
                out -> Charts.bar(out, title, readPairAxis(), impls, series, true));
    }

    private static Chart readPairLines(List<Measurement> pairs) {
        List<Integer> counts = threadCounts(pairs);
        List<ChartSeries> series = new ArrayList<>();
        for (String impl : distinct(pairs, m -> m.param("impl"))) {
            series.add(series(impl, counts.stream().map(t -> find(pairs, m -> m.param("impl").equals(impl)
                    && m.threads() == t)).toList()));
        }
        String title = "Read lock/unlock pair against thread count, platform threads (lower is better)";
        List<Double> xs = counts.stream().map(Integer::doubleValue).toList();
        return new Chart("read-pair-threads.png", title, ReportFiles.readPairHeading(ThreadKind.PLATFORM),
                out -> Charts.line(out, title, "benchmark threads", readPairAxis(), xs, series, true));
    }

    private static String readPairAxis() {
        return "time per lock/unlock pair (ns/op, log scale)";
    }

    /** One bar chart per benchmark and unit: categories are its parameter combinations. */
    private static List<Chart> otherBenchmarks(Results r, Set<String> taken) {
        Map<String, List<Measurement>> groups = new LinkedHashMap<>();
        for (Measurement m : r.measurements()) {
            if (!m.benchmark().equals(Results.READ_PAIR)) {
                groups.computeIfAbsent(m.benchmark() + " " + m.unit(), k -> new ArrayList<>()).add(m);
            }
        }
        Set<String> files = new HashSet<>(taken);
        List<Chart> charts = new ArrayList<>();
        for (List<Measurement> group : groups.values()) {
            Measurement first = group.getFirst();
            // Only the parameters that differ within the chart name its bars: a value shared by
            // every bar (the path of a one-path run, say) would only push the others out of the label.
            Set<String> varying = varyingParams(group);
            List<String> combos = distinct(group, m -> paramsLabel(m, varying));
            // One series per distinct (kind, threads): platform first, then virtual, fewer threads first.
            TreeSet<Measurement> runs = new TreeSet<>(Comparator.comparing(Measurement::kind)
                    .thenComparingInt(Measurement::threads));
            runs.addAll(group);
            List<ChartSeries> series = new ArrayList<>();
            for (Measurement run : runs) {
                series.add(series(threadsLabel(run.threads(), run.kind()), combos.stream()
                        .map(c -> find(group, m -> paramsLabel(m, varying).equals(c) && m.threads() == run.threads()
                                && m.kind() == run.kind())).toList()));
            }
            boolean log = spansDecades(group);
            String title = first.benchmark() + " (" + better(first.unit()) + ")";
            String axis = quantity(first.unit()) + " (" + first.unit() + (log ? ", log scale)" : ")");
            String file = uniqueFile(files, fileStem(first.benchmark())
                    + (groups.keySet().stream().filter(k -> k.startsWith(first.benchmark() + " ")).count() > 1
                            ? "-" + fileStem(first.unit()) : ""));
            charts.add(new Chart(file, title, Results.sectionTitle(first.benchmark()),
                    out -> Charts.bar(out, title, axis, combos, series, log)));
        }
        return charts;
    }

    private static ChartSeries series(String name, List<Measurement> points) {
        return new ChartSeries(name,
                points.stream().map(m -> m != null && m.usable() ? m.score() : Double.NaN).toList(),
                points.stream().map(m -> m != null && m.usable() ? m.error() : Double.NaN).toList());
    }

    private static Measurement find(List<Measurement> in, Predicate<Measurement> which) {
        return in.stream().filter(which).findFirst().orElse(null);
    }

    private static List<String> distinct(List<Measurement> in, Function<Measurement, String> key) {
        return List.copyOf(in.stream().map(key).collect(Collectors.toCollection(LinkedHashSet::new)));
    }

    private static List<Integer> threadCounts(List<Measurement> in) {
        return List.copyOf(in.stream().map(Measurement::threads).collect(Collectors.toCollection(TreeSet::new)));
    }

    /**
     * "a=1, b=x" for the parameters in {@code keys}, in key order, the same for every fork
     * whatever order JMH listed them in.
     */
    static String paramsLabel(Measurement m, Set<String> keys) {
        String label = new TreeMap<>(m.params()).entrySet().stream().filter(e -> keys.contains(e.getKey()))
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        return label.isEmpty() ? "(one configuration)" : label;
    }

    /** The parameter names whose values are not the same in every measurement of {@code group}. */
    static Set<String> varyingParams(List<Measurement> group) {
        Set<String> varying = new TreeSet<>();
        for (Measurement m : group) {
            for (Map.Entry<String, String> e : m.params().entrySet()) {
                if (group.stream().anyMatch(o -> !e.getValue().equals(o.params().get(e.getKey())))) {
                    varying.add(e.getKey());
                }
            }
        }
        return varying;
    }

    static String threadsLabel(int threads, ThreadKind kind) {
        String kindWord = kind == ThreadKind.VIRTUAL ? " virtual" : "";
        return threads + kindWord + (threads == 1 ? " thread" : " threads");
    }

    private static boolean spansDecades(List<Measurement> group) {
        double min = group.stream().filter(Measurement::usable).mapToDouble(Measurement::score).min().orElse(1);
        double max = group.stream().filter(Measurement::usable).mapToDouble(Measurement::score).max().orElse(1);
        return max / min > LOG_SPAN;
    }

    /** JMH's units are time per op ("ns/op", average time) or ops per time (throughput). */
    private static String quantity(String unit) {
        return unit.endsWith("/op") ? "time per operation" : unit.startsWith("ops/") ? "throughput" : "score";
    }

    private static String better(String unit) {
        return unit.endsWith("/op") ? "lower is better" : unit.startsWith("ops/") ? "higher is better" : unit;
    }

    /** "DeferralBenchmark.handOver" -> "deferral-hand-over": file-name safe, readable. */
    static String fileStem(String name) {
        String words = name.replace("Benchmark.", ".").replaceAll("([a-z0-9])([A-Z])", "$1-$2");
        return words.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    private static String uniqueFile(Set<String> taken, String stem) {
        String file = stem + ".png";
        for (int n = 2; !taken.add(file); n++) {
            file = stem + "-" + n + ".png";
        }
        return file;
    }
}
