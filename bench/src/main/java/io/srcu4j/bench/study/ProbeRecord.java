// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench.study;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One figure line of the C probes ({@code native/study/study.h} describes the format):
 * {@code fig study=<s> key=<k> unit=<u> reps=<v,...> others=<pct> placed=<0|1> [k=v ...] label=<text>}.
 *
 * @param study  the probe that measured it
 * @param key    its name within the probe
 * @param unit   what the repetitions count ("ns", "per_million")
 * @param reps   one value per repetition; empty when the row could not be measured
 * @param fields every other key=value pair (others, placed, why, and the probe's own)
 * @param label  what was measured, in words
 */
record ProbeRecord(String study, String key, String unit, List<Double> reps, Map<String, String> fields, String label) {

    ProbeRecord {
        reps = List.copyOf(reps);
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /**
     * The record of a {@code fig} line.
     *
     * @throws IllegalArgumentException naming what is wrong with the line
     */
    static ProbeRecord parse(String line) {
        if (!line.startsWith("fig ")) {
            throw new IllegalArgumentException("not a figure line: " + line);
        }
        int labelAt = line.indexOf(" label=");
        String label = labelAt < 0 ? "" : line.substring(labelAt + " label=".length());
        Map<String, String> fields = fields(line.substring(4, labelAt < 0 ? line.length() : labelAt), line);
        for (String required : List.of("study", "key", "unit", "reps")) {
            if (!fields.containsKey(required)) {
                throw new IllegalArgumentException("figure line without " + required + "=: " + line);
            }
        }
        List<Double> reps = new ArrayList<>();
        String text = fields.remove("reps");
        if (!text.isEmpty()) {
            for (String v : text.split(",")) {
                try {
                    // C prints a repetition that measured nothing as nan (or -nan).
                    reps.add(v.endsWith("nan") ? Double.NaN : Double.parseDouble(v));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("repetition '" + v + "' is not a number: " + line, e);
                }
            }
        }
        return new ProbeRecord(fields.remove("study"), fields.remove("key"), fields.remove("unit"), reps, fields, label);
    }

    /** The key=value pairs of an {@code info} line. */
    static Map<String, String> parseInfo(String line) {
        if (!line.startsWith("info ")) {
            throw new IllegalArgumentException("not an info line: " + line);
        }
        return fields(line.substring(5), line);
    }

    private static Map<String, String> fields(String text, String line) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String token : text.trim().split("\\s+")) {
            if (token.isEmpty()) {
                continue;
            }
            int eq = token.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("'" + token + "' is not key=value: " + line);
            }
            fields.put(token.substring(0, eq), token.substring(eq + 1));
        }
        return fields;
    }

    /** A field of the probe's, or {@code fallback}. */
    String field(String name, String fallback) {
        return fields.getOrDefault(name, fallback);
    }

    /** A numeric field, NaN when absent or not a number. */
    double number(String name) {
        try {
            return Double.parseDouble(fields.getOrDefault(name, "nan"));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Why the row was not measured (the probe's underscores back to spaces); "" when it was. */
    String why() {
        return fields.getOrDefault("why", "").replace('_', ' ');
    }

    /** Whether every pinned thread was found where it was put. */
    boolean placed() {
        return !"0".equals(fields.get("placed"));
    }
}
