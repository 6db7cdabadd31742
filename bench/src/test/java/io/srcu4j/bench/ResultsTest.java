// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultsTest {

    private static Measurement pair(String impl, int threads, double ns) {
        return new Measurement(Results.READ_PAIR, Map.of("impl", impl), threads, ThreadKind.PLATFORM, ns, ns / 10,
                "ns/op");
    }

    private static Results of(List<Measurement> rounds) {
        return new Results(rounds, List.of(), new NativeResults(null, List.of(), "not run"), List.of());
    }

    @Test
    void anAimRatioIsTheMedianOfTheRoundsRatios() {
        List<Measurement> rounds = new ArrayList<>();
        double[][] run = {{2.79, 2.02}, {3.17, 2.44}, {3.11, 1.92}};
        for (double[] round : run) {
            rounds.add(pair("NATIVE_DIRECT", 1, round[0]));
            rounds.add(pair("FULL_FENCE", 1, round[1]));
        }
        Results r = of(rounds);
        // Rounds' ratios 1.38, 1.30, 1.62: the median is the first round's, where the medians of
        // the two rows alone (3.11 and 2.02) would say 1.54.
        assertEquals(2.79 / 2.02, r.sideBySide("NATIVE_DIRECT", 1, ThreadKind.PLATFORM, "FULL_FENCE", 1,
                ThreadKind.PLATFORM).getAsDouble(), 1e-9);
        assertEquals(3.11, r.readPair("NATIVE_DIRECT", 1, ThreadKind.PLATFORM).getAsDouble(), 1e-9,
                "the row's own figure is its median round");
        assertEquals(2, r.measurements().size(), "one measurement per configuration");
        assertEquals(6, r.rounds().size());
    }

    @Test
    void rowsOfOneRoundAreComparedByTheirScores() {
        Results r = of(List.of(pair("NATIVE_DIRECT", 1, 3.0), pair("FULL_FENCE", 1, 2.0),
                pair("FULL_FENCE", 1, 2.5)));
        assertEquals(3.0 / 2.5, r.sideBySide("NATIVE_DIRECT", 1, ThreadKind.PLATFORM, "FULL_FENCE", 1,
                ThreadKind.PLATFORM).getAsDouble(), 1e-9, "round counts differ: the scores' ratio");
    }
}
