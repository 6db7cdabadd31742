// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench.study;

import java.util.List;

/**
 * What a figure's repetitions say: their median, the quartiles and the extremes, and how many
 * there were. The study reports the median and shows the spread beside it, never a mean: one
 * repetition that another process interrupted moves a mean, not a median.
 *
 * @param n the repetitions; 0 when nothing was measured (every other component is then NaN)
 */
record Spread(int n, double median, double q1, double q3, double min, double max) {

    static final Spread NONE = new Spread(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /** The spread of {@code values}; NaN values (repetitions that measured nothing) are left out. */
    static Spread of(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).sorted().toArray();
        if (v.length == 0) {
            return NONE;
        }
        return new Spread(v.length, quantile(v, 0.5), quantile(v, 0.25), quantile(v, 0.75), v[0], v[v.length - 1]);
    }

    /** The median of {@code values} (NaN left out); NaN when none is left. */
    static double median(List<Double> values) {
        return of(values).median();
    }

    /**
     * The q-quantile of sorted values, interpolating between the two nearest (so the median of an
     * even count is the mean of the middle two).
     */
    static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double at = q * (sorted.length - 1);
        int lo = (int) Math.floor(at);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (at - lo) * (sorted[hi] - sorted[lo]);
    }

    boolean measured() {
        return n > 0;
    }

    /** The spread relative to the median: (max - min) / median; NaN when not measured. */
    double relativeRange() {
        return measured() && median != 0 ? (max - min) / median : Double.NaN;
    }
}
