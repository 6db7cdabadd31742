// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpreadTest {

    @Test
    void medianQuartilesAndExtremesOfAnOddCount() {
        Spread s = Spread.of(List.of(9.0, 1.0, 5.0, 3.0, 7.0));
        assertEquals(5, s.n());
        assertEquals(5.0, s.median());
        assertEquals(3.0, s.q1());
        assertEquals(7.0, s.q3());
        assertEquals(1.0, s.min());
        assertEquals(9.0, s.max());
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(2.5, Spread.median(List.of(4.0, 1.0, 3.0, 2.0)));
    }

    @Test
    void oneSlowRepetitionMovesNeitherTheMedianNorTheQuartilesMuch() {
        Spread s = Spread.of(List.of(2.0, 2.1, 2.0, 1.9, 2.0, 2.1, 1.9, 2.0, 500.0));
        assertEquals(2.0, s.median());
        assertEquals(500.0, s.max(), "the outlier stays visible as the greatest");
        assertTrue(s.q3() <= 2.1);
    }

    @Test
    void repetitionsThatMeasuredNothingAreLeftOut() {
        Spread s = Spread.of(Arrays.asList(Double.NaN, 4.0, Double.POSITIVE_INFINITY, 6.0));
        assertEquals(2, s.n());
        assertEquals(5.0, s.median());
    }

    @Test
    void nothingMeasuredIsNone() {
        Spread s = Spread.of(List.of(Double.NaN));
        assertFalse(s.measured());
        assertTrue(Double.isNaN(s.median()));
        assertEquals(Spread.NONE, Spread.of(List.of()));
        assertTrue(Double.isNaN(s.relativeRange()));
    }

    @Test
    void relativeRange() {
        assertEquals(0.4, Spread.of(List.of(8.0, 10.0, 12.0)).relativeRange(), 1e-12);
    }
}
