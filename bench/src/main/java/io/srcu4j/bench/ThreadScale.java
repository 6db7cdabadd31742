// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One thread count of {@link ThreadScaleBenchmark}: rounds of the fence's run and the read
 * sections' run, one right after the other, each in a JVM of its own, and the figure they give:
 * the read pair's cost per core against the fence's, the median over the rounds of each round's
 * ratio, with the aim of at most {@value #AIM}x. A round's two runs share the machine's load of
 * that moment; the median keeps one disturbed round from deciding the figure.
 *
 * @param kind     {@code platform} or {@code virtual}
 * @param threads  how many threads ran
 * @param fence    what each round's fence run printed ({@code key=value})
 * @param srcu     what each round's read-section run printed, in the same order
 * @param failures why a run gave nothing, if one did
 */
record ThreadScale(String kind, int threads, List<Map<String, String>> fence, List<Map<String, String>> srcu,
        List<String> failures) {

    static final String TITLE = "Read pair at any thread count";
    static final double AIM = 1.5;
    static final String NOTE = "each row: the same loop of operations in every thread, a JVM for the fence"
            + " (VarHandle.fullFence(), one call per operation) and one for read sections of the default"
            + " path right after it; the threads publish their counts every " + ThreadScaleBenchmark.STRIDE
            + " operations and the main thread divides the operations of fixed windows, so no thread waits"
            + " for another; per core: window x min(CPUs, threads) / operations; a round: the two runs' median"
            + " windows; the ratio: the median round's; worst: the slowest window of the read sections against"
            + " the fence's median, over all rounds; stall: the longest"
            + " a thread went between two publications (time slices included); virtual threads yield every "
            + ThreadScaleBenchmark.VIRTUAL_BATCH + " operations";

    ThreadScale {
        if (fence.size() != srcu.size()) {
            throw new IllegalArgumentException("rounds: " + fence.size() + " fence runs, " + srcu.size() + " read-section runs");
        }
        fence = fence.stream().map(Map::copyOf).toList();
        srcu = srcu.stream().map(Map::copyOf).toList();
        failures = List.copyOf(failures);
    }

    /** The row of this thread count. */
    Figure figure() {
        String what = String.format(Locale.ROOT, "read pair / fence, %,d %s threads", threads, kind);
        Figure.Aim aim = new Figure.Aim("<= " + AIM + "x", AIM);
        String id = "read_pair_vs_fence_" + kind + "_" + threads;
        if (!failures.isEmpty() || fence.isEmpty()) {
            String why = failures.isEmpty() ? "no rounds ran" : String.join("; ", failures);
            return new Figure(kind, id, what, OptionalDouble.empty(), "x", aim, why);
        }
        // The round whose ratio is the median: its ns figures go with it into the note.
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < fence.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble(i -> roundRatio(i).orElse(Double.POSITIVE_INFINITY)));
        int median = order.get(order.size() / 2);
        OptionalDouble ratio = roundRatio(median);
        double worst = 0;
        double stall = 0;
        String warning = "";
        for (int i = 0; i < fence.size(); i++) {
            OptionalDouble w = Results.ratio(number(srcu.get(i), "worst_ns"), number(fence.get(i), "median_ns"));
            worst = Math.max(worst, w.orElse(0));
            stall = Math.max(stall, number(srcu.get(i), "max_gap_ms").orElse(0));
            warning = srcu.get(i).containsKey("warning") ? "; " + srcu.get(i).get("warning") : warning;
        }
        String note = String.format(Locale.ROOT,
                "%s vs %s ns per op per core (median of %d rounds; rounds %s); worst window %.2fx; longest stall %.1f ms%s",
                fmt(number(srcu.get(median), "median_ns")), fmt(number(fence.get(median), "median_ns")), fence.size(),
                String.join(" ", order.stream().sorted().map(i -> roundRatio(i).isPresent()
                        ? String.format(Locale.ROOT, "%.2fx", roundRatio(i).getAsDouble()) : "-").toList()),
                worst, stall, warning);
        return new Figure(kind, id, what, ratio, "x", aim, note);
    }

    /** Round {@code i}'s ratio: its read sections' median window against its fence's. */
    private OptionalDouble roundRatio(int i) {
        return Results.ratio(number(srcu.get(i), "median_ns"), number(fence.get(i), "median_ns"));
    }

    private static String fmt(OptionalDouble v) {
        return v.isPresent() ? String.format(Locale.ROOT, "%.2f", v.getAsDouble()) : "-";
    }

    private static OptionalDouble number(Map<String, String> values, String key) {
        OptionalDouble v = Lifecycle.number(values, key);
        return v.isPresent() && Double.isFinite(v.getAsDouble()) ? v : OptionalDouble.empty();
    }
}
