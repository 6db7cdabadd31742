// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.util.List;
import java.util.Locale;
import java.util.function.IntPredicate;

/**
 * Rows of cells as aligned console text, two spaces between columns: the first
 * {@code leftColumns} columns (the names) left-aligned, the others (the numbers) right-aligned.
 * The first row is the header. Or any columns right-aligned, the others left.
 */
final class TextTable {

    private TextTable() {
    }

    static String of(List<String[]> rows, int leftColumns) {
        return of(rows, c -> c >= leftColumns);
    }

    static String of(List<String[]> rows, IntPredicate rightAligned) {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] line : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], line[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] line : rows) {
            StringBuilder text = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                if (c > 0) {
                    text.append("  ");
                }
                String format = rightAligned.test(c) ? "%" + width[c] + "s" : "%-" + width[c] + "s";
                text.append(String.format(Locale.ROOT, format, line[c]));
            }
            out.append(text.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
