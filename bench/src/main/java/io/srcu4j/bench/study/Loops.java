// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench.study;

import java.util.ArrayList;
import java.util.List;

/**
 * Timed loops for the Java rows, sized and repeated as the C probes' are (harness.c): a warm-up
 * that also lets the JIT compile the loop and sizes the repetitions to about {@code repMillis}
 * each, then {@code reps} repetitions, each giving ns per iteration.
 */
final class Loops {

    /** Runs its operation {@code iters} times. */
    @FunctionalInterface
    interface Loop {
        void run(long iters);
    }

    /** Warm-up iterations: enough for C2 to compile the loop (OSR) before anything is timed. */
    static final long WARM_UP = 2_000_000;

    private Loops() {
    }

    static List<Double> nsPerIteration(Loop loop, int reps, double repMillis) {
        long t0 = System.nanoTime();
        loop.run(WARM_UP);
        loop.run(WARM_UP);
        double est = (System.nanoTime() - t0) / (2.0 * WARM_UP);
        long iters = iterations(est, repMillis * 1e6, 100_000, 1_000_000_000);
        List<Double> out = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            long s = System.nanoTime();
            loop.run(iters);
            out.add((System.nanoTime() - s) / (double) iters);
        }
        return out;
    }

    /** target / estimate, within [lo, hi]; lo without an estimate, hi for a loop too fast to time. */
    static long iterations(double estimate, double target, long lo, long hi) {
        if (Double.isNaN(estimate)) {
            return lo;
        }
        double want = estimate > 0.01 ? target / estimate : hi;
        return want < lo ? lo : want > hi ? hi : (long) want;
    }
}
