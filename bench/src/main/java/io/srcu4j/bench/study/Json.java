// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench.study;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * study.json's writer: maps (in their order), lists, strings, booleans, integers and doubles; a
 * double that is not finite (a figure not measured) is null. Two-space indent.
 */
final class Json {

    private Json() {
    }

    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, "", out);
        return out.append('\n').toString();
    }

    private static void write(Object value, String indent, StringBuilder out) {
        switch (value) {
            case null -> out.append("null");
            case Map<?, ?> map when map.isEmpty() -> out.append("{}");
            case Map<?, ?> map -> {
                out.append("{\n");
                int i = 0;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    out.append(indent).append("  ");
                    string(String.valueOf(e.getKey()), out);
                    out.append(": ");
                    write(e.getValue(), indent + "  ", out);
                    out.append(++i < map.size() ? ",\n" : "\n");
                }
                out.append(indent).append('}');
            }
            case List<?> list when list.isEmpty() -> out.append("[]");
            case List<?> list -> {
                boolean flat = list.stream().allMatch(v -> v instanceof Number || v instanceof Boolean);
                out.append(flat ? "[" : "[\n");
                for (int i = 0; i < list.size(); i++) {
                    if (!flat) {
                        out.append(indent).append("  ");
                    }
                    write(list.get(i), indent + "  ", out);
                    if (i + 1 < list.size()) {
                        out.append(flat ? ", " : ",\n");
                    }
                }
                out.append(flat ? "]" : "\n" + indent + "]");
            }
            case Double d -> out.append(Double.isFinite(d) ? number(d) : "null");
            case Float f -> write(f.doubleValue(), indent, out);
            case Number n -> out.append(n);
            case Boolean b -> out.append(b);
            default -> string(value.toString(), out);
        }
    }

    /** Up to 4 significant digits past the point: enough for ns figures, short to read. */
    private static String number(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        String s = String.format(Locale.ROOT, "%.4g", d);
        if (s.contains("e")) {
            return s;
        }
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
