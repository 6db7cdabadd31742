// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srcu4j.bench.ReportTable.Row;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTableTest {

    private static final List<Row> ROWS = List.of(
            // Deliberately out of order: the table groups by thread count, impls in first-seen order.
            new Row("SRCU4J", 2, 11.0, 0.5),
            new Row("SRCU4J", 1, 10.0, 0.25),
            new Row("RWLOCK", 1, 20.0, 1.0),
            new Row("STAMPED", 1, 15.0, Double.NaN),
            new Row("RWLOCK", 2, 110.0, 4.0),
            new Row("STAMPED", 2, 55.0, 2.0));

    private final ReportTable table = new ReportTable("SRCU4J", "ns/op", ROWS);

    @Test
    void ratiosCompareWithTheBaselineAtTheSameThreadCount() {
        assertEquals(1.0, table.ratioToBaseline(ROWS.get(1)).getAsDouble(), 1e-12);
        assertEquals(2.0, table.ratioToBaseline(ROWS.get(2)).getAsDouble(), 1e-12);
        assertEquals(1.5, table.ratioToBaseline(ROWS.get(3)).getAsDouble(), 1e-12);
        assertEquals(10.0, table.ratioToBaseline(ROWS.get(4)).getAsDouble(), 1e-12);
        assertEquals(5.0, table.ratioToBaseline(ROWS.get(5)).getAsDouble(), 1e-12);
    }

    @Test
    void scalingIsTheScoreAtMoreThreadsOverTheScoreAtFewer() {
        assertEquals(1.1, table.scaling("SRCU4J", 1, 2).getAsDouble(), 1e-12);
        assertEquals(5.5, table.scaling("RWLOCK", 1, 2).getAsDouble(), 1e-12);
        assertTrue(table.scaling("SRCU4J", 1, 4).isEmpty());
    }

    @Test
    void rendersGroupedRowsAlignedColumnsAndTheScalingLine() {
        String expected = """
                impl     threads   ns/op   error  vs SRCU4J  vs 1 thread
                SRCU4J         1   10.00  ± 0.25      1.00x        1.00x
                RWLOCK         1   20.00  ± 1.00      2.00x        1.00x
                STAMPED        1   15.00   ± n/a      1.50x        1.00x
                SRCU4J         2   11.00  ± 0.50      1.00x        1.10x
                RWLOCK         2  110.00  ± 4.00     10.00x        5.50x
                STAMPED        2   55.00  ± 2.00      5.00x        3.67x
                vs SRCU4J = ns/op / SRCU4J ns/op at the same thread count (above 1: slower than SRCU4J)
                vs 1 thread = ns/op / the same impl's ns/op at 1 thread (1.00x: flat as threads are added)
                """;
        assertEquals(expected, table.render());
    }

    @Test
    void missingBaselineGivesNoRatioInsteadOfANumber() {
        List<Row> rows = List.of(new Row("RWLOCK", 1, 20.0, 1.0), new Row("RWLOCK", 2, 40.0, 1.0));
        ReportTable noBaseline = new ReportTable("SRCU4J", "ns/op", rows);

        assertTrue(noBaseline.ratioToBaseline(rows.get(0)).isEmpty());
        String text = noBaseline.render();
        assertTrue(text.contains("RWLOCK        1  20.00  ± 1.00        n/a        1.00x"), text);
        assertTrue(text.contains("RWLOCK        2  40.00  ± 1.00        n/a        2.00x"), text);
        assertFalse(text.contains("NaN"), text);
        assertFalse(text.contains("Infinity"), text);
    }

    @Test
    void aSingleThreadCountHasNoScalingColumn() {
        ReportTable one = new ReportTable("SRCU4J", "ns/op", List.of(new Row("SRCU4J", 1, 8.0, 0.1)));
        assertFalse(one.render().contains("vs 1 thread"), one.render());
    }

    @Test
    void markdownHasAHeaderSeparatorAndOneLinePerRow() {
        String md = table.markdown();
        assertTrue(md.startsWith("| impl | threads | ns/op | error | vs SRCU4J | vs 1 thread |\n"
                + "|---|---|---|---|---|---|\n| SRCU4J | 1 | 10.00 | ± 0.25 | 1.00x | 1.00x |\n"), md);
        assertEquals(8, md.lines().filter(l -> l.startsWith("|")).count(), md);
    }
}
