// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One figure of the report held to an aim, or shown beside those that are for context: what it
 * is, its value, the aim and the mark ({@code ok}, {@code MISS}, or {@code n/a} with the reason
 * when it was not measured). A figure over its aim is always marked, never left out.
 *
 * @param group   what the figure belongs to (a path), or "" when the table has one group
 * @param key     its name in summary.json
 * @param what    what was measured
 * @param value   the figure; empty when it was not measured
 * @param unit    how {@link #valueText()} shows it: "ns", "B", "x" (a ratio) or "" (a count)
 * @param aim     the aim, or null for a figure shown for context
 * @param note    why the figure is missing, or what else to know about it; "" for nothing
 */
record Figure(String group, String key, String what, OptionalDouble value, String unit, Aim aim, String note) {

    /**
     * At most {@code limit}.
     *
     * @param text how the report states it ("<= 2x")
     */
    record Aim(String text, double limit) {
        boolean met(double value) {
            return value <= limit;
        }
    }

    static final String OK = "ok";
    static final String MISS = "MISS";
    static final String NOT_MEASURED = "n/a";

    /** The figure as the table shows it: "25.6 ns", "3.93x", "20009 B", "10005"; "n/a" when missing. */
    String valueText() {
        if (value.isEmpty() || !Double.isFinite(value.getAsDouble())) {
            return NOT_MEASURED;
        }
        double v = value.getAsDouble();
        return switch (unit) {
            case "x" -> String.format(Locale.ROOT, "%.2fx", v);
            case "" -> String.format(Locale.ROOT, "%.0f", v);
            case "B" -> String.format(Locale.ROOT, "%.0f B", v);
            default -> Results.fmt(v) + " " + unit;
        };
    }

    /** ok or MISS against the aim; n/a when not measured; "" without an aim. */
    String mark() {
        if (aim == null) {
            return "";
        }
        if (value.isEmpty() || !Double.isFinite(value.getAsDouble())) {
            return NOT_MEASURED;
        }
        return aim.met(value.getAsDouble()) ? OK : MISS;
    }

    /** Whether the figure has an aim and is over it. */
    boolean missed() {
        return mark().equals(MISS);
    }

    /** The figures for summary.json: each key with its value (null when missing), and its mark when it has an aim. */
    static Map<String, Object> summary(List<Figure> figures) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Figure f : figures) {
            out.put(f.key(), f.value());
            if (f.aim() != null) {
                out.put(f.key() + "_mark", f.mark());
            }
        }
        return out;
    }

    /** The figures as table cells, the header first; a group column when any figure has a group. */
    static List<String[]> cells(List<Figure> figures) {
        boolean grouped = figures.stream().anyMatch(f -> !f.group().isEmpty());
        List<String[]> cells = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("figure", "value", "aim", "mark", "note"));
        if (grouped) {
            header.addFirst("path");
        }
        cells.add(header.toArray(String[]::new));
        for (Figure f : figures) {
            List<String> row = new ArrayList<>(List.of(f.what(), f.valueText(), f.aim() == null ? "" : f.aim().text(),
                    f.mark(), f.note()));
            if (grouped) {
                row.addFirst(f.group());
            }
            cells.add(row.toArray(String[]::new));
        }
        return cells;
    }

    /** {@link #cells} as aligned text: the values right-aligned, the words left. */
    static String text(List<Figure> figures) {
        int valueColumn = figures.stream().anyMatch(f -> !f.group().isEmpty()) ? 2 : 1;
        return TextTable.of(cells(figures), c -> c == valueColumn);
    }
}
