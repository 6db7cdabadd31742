// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LoopsTest {

    @Test
    void iterationsFillTheTargetWithinBounds() {
        assertEquals(500_000, Loops.iterations(2.0, 1e6, 10, 1_000_000));
        assertEquals(1000, Loops.iterations(2.0, 1e6, 10, 1000));
        assertEquals(10, Loops.iterations(1e9, 1e6, 10, 1000));
        assertEquals(1000, Loops.iterations(0, 1e6, 10, 1000), "too fast to time: the most");
        assertEquals(10, Loops.iterations(Double.NaN, 1e6, 10, 1000), "no estimate: the least");
    }

    @Test
    void aTimedLoopGivesOneFigurePerRepetition() {
        long[] sink = new long[1];
        List<Double> reps = Loops.nsPerIteration(n -> {
            for (long i = 0; i < n; i++) {
                sink[0] += i;
            }
        }, 3, 1);
        assertEquals(3, reps.size());
        reps.forEach(v -> assertTrue(v >= 0 && v < 1e6, "ns per iteration: " + v));
    }
}
