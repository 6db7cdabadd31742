// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class FigureTest {

    private static final Figure.Aim TWICE = new Figure.Aim("<= 2x", 2.0);

    private static Figure ratio(OptionalDouble value) {
        return new Figure("", "r", "ratio", value, "x", TWICE, "");
    }

    @Test
    void aFigureAtItsLimitMeetsTheAimAndOneAboveItIsMarked() {
        assertEquals(Figure.OK, ratio(OptionalDouble.of(2.0)).mark());
        assertEquals(Figure.MISS, ratio(OptionalDouble.of(2.01)).mark());
        assertTrue(ratio(OptionalDouble.of(2.01)).missed());
        assertEquals(Figure.NOT_MEASURED, ratio(OptionalDouble.empty()).mark(), "not measured is not met");
        assertEquals(Figure.NOT_MEASURED, ratio(OptionalDouble.of(Double.NaN)).mark());
        assertEquals("", new Figure("", "c", "context", OptionalDouble.of(9), "ns", null, "").mark(),
                "a figure for context has no mark");
    }

    @Test
    void valuesShowInTheirUnits() {
        assertEquals("3.93x", ratio(OptionalDouble.of(3.929)).valueText());
        assertEquals("20009 B", new Figure("", "g", "g", OptionalDouble.of(20008.9), "B", null, "").valueText());
        assertEquals("10005", new Figure("", "t", "t", OptionalDouble.of(10005), "", null, "").valueText());
        assertEquals("25.61 ns", new Figure("", "n", "n", OptionalDouble.of(25.609), "ns", null, "").valueText());
        assertEquals("n/a", ratio(OptionalDouble.empty()).valueText());
    }

    @Test
    void aPathColumnAppearsWhenFiguresBelongToPaths() {
        List<String[]> plain = Figure.cells(List.of(ratio(OptionalDouble.of(1.5))));
        assertArrayEquals(new String[] {"figure", "value", "aim", "mark", "note"}, plain.get(0));
        assertArrayEquals(new String[] {"ratio", "1.50x", "<= 2x", "ok", ""}, plain.get(1));
        List<String[]> grouped = Figure.cells(List.of(new Figure("jna", "t", "threads", OptionalDouble.of(7), "",
                new Figure.Aim("<= 4", 4), "x")));
        assertArrayEquals(new String[] {"path", "figure", "value", "aim", "mark", "note"}, grouped.get(0));
        assertArrayEquals(new String[] {"jna", "threads", "7", "<= 4", "MISS", "x"}, grouped.get(1));
        String text = Figure.text(List.of(new Figure("", "r", "a ratio", OptionalDouble.of(1.5), "x", TWICE, "")));
        assertTrue(text.contains("\na ratio  1.50x  <= 2x  ok\n"), text);
    }

    @Test
    void theSummaryHasEachValueAndTheMarkOfEachAim() {
        Map<String, Object> summary = Figure.summary(List.of(ratio(OptionalDouble.of(3.0)),
                new Figure("", "c", "context", OptionalDouble.empty(), "ns", null, "")));
        assertEquals(List.of("r", "r_mark", "c"), List.copyOf(summary.keySet()));
        assertEquals(Figure.MISS, summary.get("r_mark"));
        assertEquals(OptionalDouble.empty(), summary.get("c"));
    }
}
