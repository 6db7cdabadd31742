// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One thread count of {@link ThreadScaleBenchmark}: the fence's run and the read sections' run,
 * one right after the other, each in a JVM of its own, and the figure they give: the read pair's
 * cost per core against the fence's, with the aim of at most {@value #AIM}x.
 *
 * @param kind     {@code platform} or {@code virtual}
 * @param threads  how many threads ran
 * @param fence    what the fence's run printed ({@code key=value})
 * @param srcu     what the read sections' run printed
 * @param failures why a run gave nothing, if one did
 */
record ThreadScale(String kind, int threads, Map<String, String> fence, Map<String, String> srcu,
        List<String> failures) {

    static final String TITLE = "Read pair at any thread count";
    static final double AIM = 1.5;
    static final String NOTE = "each row: the same loop of operations in every thread, a JVM for the fence"
            + " (VarHandle.fullFence(), one call per operation) and one for read sections of the default"
            + " path right after it; the threads publish their counts every " + ThreadScaleBenchmark.STRIDE
            + " operations and the main thread divides the operations of fixed windows, so no thread waits"
            + " for another; per core: window x min(CPUs, threads) / operations; the ratio: median windows;"
            + " worst: the slowest window of the read sections against the fence's median; stall: the longest"
            + " a thread went between two publications (time slices included); virtual threads yield every "
            + ThreadScaleBenchmark.VIRTUAL_BATCH + " operations";

    ThreadScale {
        fence = Map.copyOf(fence);
        srcu = Map.copyOf(srcu);
        failures = List.copyOf(failures);
    }

    /** The row of this thread count. */
    Figure figure() {
        OptionalDouble f = number(fence, "median_ns");
        OptionalDouble s = number(srcu, "median_ns");
        OptionalDouble worst = number(srcu, "worst_ns");
        OptionalDouble ratio = Results.ratio(s, f);
        String what = String.format(Locale.ROOT, "read pair / fence, %,d %s threads", threads, kind);
        String note;
        if (!failures.isEmpty()) {
            note = String.join("; ", failures);
        } else {
            note = String.format(Locale.ROOT, "%s vs %s ns per op per core; worst window %s; longest stall %s ms%s",
                    fmt(s), fmt(f), Results.ratio(worst, f).isPresent()
                            ? String.format(Locale.ROOT, "%.2fx", Results.ratio(worst, f).getAsDouble()) : "-",
                    srcu.getOrDefault("max_gap_ms", "-"),
                    srcu.containsKey("warning") ? "; " + srcu.get("warning") : "");
        }
        return new Figure(kind, "read_pair_vs_fence_" + kind + "_" + threads, what, ratio, "x",
                new Figure.Aim("<= " + AIM + "x", AIM), note);
    }

    private static String fmt(OptionalDouble v) {
        return v.isPresent() ? String.format(Locale.ROOT, "%.2f", v.getAsDouble()) : "-";
    }

    private static OptionalDouble number(Map<String, String> values, String key) {
        OptionalDouble v = Lifecycle.number(values, key);
        return v.isPresent() && Double.isFinite(v.getAsDouble()) ? v : OptionalDouble.empty();
    }
}
