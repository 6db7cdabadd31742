// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One figure of the study, from C or from Java: what it is, its repetitions and their spread, and
 * the marks a reader must see beside it (measured while other processes took CPU time, a pinned
 * thread found off its CPU, or why it was not measured at all).
 *
 * @param study  which study ("c2c", "fences", "percpu", "rseq", "membarrier", "placement")
 * @param key    the figure's name within the study, unique per language
 * @param lang   "C" or "Java"
 * @param label  what was measured, in words
 * @param unit   "ns" or "per million sections"
 * @param reps   one value per repetition (empty when not measured)
 * @param others CPU time other processes took meanwhile, in % of all CPUs
 * @param placed false when a pinned thread was found off its CPU
 * @param fields details (the CPUs, counts); for the JSON
 * @param why    why it was not measured; "" when it was
 */
record Row(String study, String key, String lang, String label, String unit, List<Double> reps, double others,
        boolean placed, Map<String, String> fields, String why) {

    /** Other processes took more than this share of all CPUs: the figure is marked as loaded. */
    static final double LOADED_PCT = 10;

    static final String PER_MILLION = "per million sections";

    Row {
        reps = List.copyOf(reps);
        fields = Map.copyOf(fields);
    }

    /** A C probe's record. */
    static Row of(ProbeRecord r) {
        String unit = r.unit().equals("per_million") ? PER_MILLION : r.unit();
        Map<String, String> fields = new LinkedHashMap<>(r.fields());
        fields.keySet().removeAll(List.of("others", "placed", "why"));
        return new Row(r.study(), r.key(), "C", r.label(), unit, r.reps(), r.number("others"), r.placed(), fields,
                r.why());
    }

    /** A row that was not measured. */
    static Row missing(String study, String key, String lang, String label, String unit, String why) {
        return new Row(study, key, lang, label, unit, List.of(), 0, true, Map.of(), why);
    }

    Spread spread() {
        return Spread.of(reps);
    }

    double median() {
        return spread().median();
    }

    boolean loaded() {
        return others > LOADED_PCT;
    }

    /** The marks for the tables: why not measured, or loaded and off-CPU notes; "" for none. */
    String mark() {
        if (!why.isEmpty()) {
            return "not measured: " + why;
        }
        if (reps.isEmpty()) {
            return "not measured";
        }
        List<String> marks = new ArrayList<>();
        if (loaded()) {
            marks.add(String.format(Locale.ROOT, "loaded: others took %.0f %% of the CPUs", others));
        }
        if (!placed) {
            marks.add("a pinned thread was found off its CPU");
        }
        return String.join("; ", marks);
    }
}
