// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.util.List;

/** Rows of cells as a Markdown table; the first row is the header (public for the hardware study). */
public final class MarkdownTable {

    private MarkdownTable() {
    }

    public static String of(List<String[]> rows) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            out.append("| ").append(String.join(" | ", rows.get(i))).append(" |\n");
            if (i == 0) {
                out.append("|---".repeat(rows.get(0).length)).append("|\n");
            }
        }
        return out.toString();
    }
}
