// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.TreeSet;

/**
 * The comparison table printed by {@link RunReport}: one row per implementation and thread count,
 * each with its score and its ratio to a baseline implementation measured at the same thread
 * count, followed by how the baseline scales with threads.
 *
 * <p>Plain data in, text out, so the arithmetic and layout can be tested without running JMH.
 * Scores are "lower is better" (time per operation); a ratio above 1 means slower than the
 * baseline.
 */
public final class ReportTable {

    /**
     * One measured configuration.
     *
     * @param impl    implementation name, as the benchmark's {@code impl} parameter spells it
     * @param threads number of benchmark threads
     * @param score   mean time per operation, in the table's unit
     * @param error   half-width of the confidence interval JMH reports; NaN when JMH has none
     *                (a single measurement iteration)
     */
    public record Row(String impl, int threads, double score, double error) {
        public Row {
            Objects.requireNonNull(impl, "impl");
        }
    }

    private final String baseline;
    private final String unit;
    private final List<Row> rows;

    /**
     * @param baseline implementation every other one is compared with
     * @param unit     unit of the scores, for the header (e.g. "ns/op")
     * @param rows     measured rows, in the order implementations should be listed
     */
    public ReportTable(String baseline, String unit, List<Row> rows) {
        this.baseline = Objects.requireNonNull(baseline, "baseline");
        this.unit = Objects.requireNonNull(unit, "unit");
        this.rows = List.copyOf(rows);
    }

    /** Score of {@code row} divided by the baseline's score at the same thread count. */
    public OptionalDouble ratioToBaseline(Row row) {
        OptionalDouble base = score(baseline, row.threads());
        if (base.isEmpty() || !usable(row.score())) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(row.score() / base.getAsDouble());
    }

    /** Score of {@code impl} at {@code threads} divided by its score at {@code fromThreads}. */
    public OptionalDouble scaling(String impl, int fromThreads, int threads) {
        OptionalDouble from = score(impl, fromThreads);
        OptionalDouble to = score(impl, threads);
        if (from.isEmpty() || to.isEmpty()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(to.getAsDouble() / from.getAsDouble());
    }

    /** The table as aligned text, then its legend. */
    public String render() {
        return TextTable.of(cells(), 1) + legend();
    }

    /** The same table in Markdown, then its legend as a paragraph. */
    public String markdown() {
        return MarkdownTable.of(cells()) + '\n' + legend();
    }

    private List<String[]> cells() {
        TreeSet<Integer> threadCounts = threadCounts();
        boolean scaling = threadCounts.size() > 1;
        List<String[]> cells = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("impl", "threads", unit, "error", "vs " + baseline));
        if (scaling) {
            header.add("vs " + threadsWord(threadCounts.first()));
        }
        cells.add(header.toArray(String[]::new));
        for (Row row : ordered()) {
            List<String> line = new ArrayList<>(List.of(
                    row.impl(),
                    Integer.toString(row.threads()),
                    number(row.score()),
                    usable(row.error()) ? "± " + number(row.error()) : "± n/a",
                    ratio(ratioToBaseline(row))));
            if (scaling) {
                line.add(ratio(scaling(row.impl(), threadCounts.first(), row.threads())));
            }
            cells.add(line.toArray(String[]::new));
        }
        return cells;
    }

    private String legend() {
        StringBuilder out = new StringBuilder();
        out.append("vs ").append(baseline).append(" = ").append(unit).append(" / ").append(baseline)
                .append(' ').append(unit).append(" at the same thread count (above 1: slower than ")
                .append(baseline).append(")\n");
        TreeSet<Integer> threadCounts = threadCounts();
        if (threadCounts.size() > 1) {
            out.append("vs ").append(threadsWord(threadCounts.first())).append(" = ").append(unit)
                    .append(" / the same impl's ").append(unit).append(" at ")
                    .append(threadsWord(threadCounts.first()))
                    .append(" (1.00x: flat as threads are added)\n");
        }
        return out.toString();
    }

    private TreeSet<Integer> threadCounts() {
        TreeSet<Integer> counts = new TreeSet<>();
        for (Row row : rows) {
            counts.add(row.threads());
        }
        return counts;
    }

    /** Rows grouped by thread count, implementations in the order they first appear. */
    private List<Row> ordered() {
        Map<String, Integer> rank = new LinkedHashMap<>();
        for (Row row : rows) {
            rank.putIfAbsent(row.impl(), rank.size());
        }
        List<Row> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingInt(Row::threads).thenComparing(row -> rank.get(row.impl())));
        return sorted;
    }

    private OptionalDouble score(String impl, int threads) {
        for (Row row : rows) {
            if (row.impl().equals(impl) && row.threads() == threads && usable(row.score())
                    && row.score() > 0) {
                return OptionalDouble.of(row.score());
            }
        }
        return OptionalDouble.empty();
    }

    private static boolean usable(double value) {
        return !Double.isNaN(value) && !Double.isInfinite(value);
    }

    private static String number(double value) {
        return usable(value) ? String.format(Locale.ROOT, "%.2f", value) : "n/a";
    }

    private static String ratio(OptionalDouble ratio) {
        return ratio.isPresent() ? String.format(Locale.ROOT, "%.2fx", ratio.getAsDouble()) : "n/a";
    }

    private static String threadsWord(int threads) {
        return threads == 1 ? "1 thread" : threads + " threads";
    }
}
