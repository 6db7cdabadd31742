// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench.study;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one study run measured, and the questions the report asks of it.
 *
 * @param machine  the machine section's lines
 * @param layout   the allowed CPUs and where they sit
 * @param mode     default or full
 * @param sampling how the core-to-core pairs were chosen (for study.json)
 * @param info     what the C probes said about the run (arch, rseq mode, ...)
 * @param rows     every figure, C and Java, in the order measured
 * @param failures what could not run
 * @param seconds  how long the study took
 */
record StudyResults(List<String> machine, CpuLayout layout, StudyMode mode, Map<String, Object> sampling,
        Map<String, String> info, List<Row> rows, List<String> failures, double seconds) {

    static final String[] LANGS = {"C", "Java"};

    StudyResults {
        machine = List.copyOf(machine);
        sampling = Map.copyOf(sampling);
        info = Map.copyOf(info);
        rows = List.copyOf(rows);
        failures = List.copyOf(failures);
    }

    List<Row> of(String study) {
        return rows.stream().filter(r -> r.study().equals(study)).toList();
    }

    Optional<Row> find(String study, String lang, String key) {
        return rows.stream().filter(r -> r.study().equals(study) && r.lang().equals(lang) && r.key().equals(key))
                .findFirst();
    }

    /** Rows of {@code study} measured with reps (not the missing ones). */
    List<Row> measured(String study) {
        return of(study).stream().filter(r -> !r.reps().isEmpty()).toList();
    }

    /** The CPU pair of a core-to-core key "method/a/b". */
    static int[] pairOf(String key) {
        String[] p = key.split("/");
        return new int[] {Integer.parseInt(p[p.length - 2]), Integer.parseInt(p[p.length - 1])};
    }

    /** The core-to-core medians of one language and method, keyed "a:b". */
    Map<String, Double> c2cMedians(String lang, String method) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Row r : measured("c2c")) {
            if (r.lang().equals(lang) && r.key().startsWith(method + "/")) {
                int[] p = pairOf(r.key());
                out.put(Math.min(p[0], p[1]) + ":" + Math.max(p[0], p[1]), r.median());
            }
        }
        return out;
    }

    /** The pair medians per distance, for one language and method. */
    Map<Distance, List<Double>> c2cByDistance(String lang, String method) {
        Map<Distance, List<Double>> out = new EnumMap<>(Distance.class);
        c2cMedians(lang, method).forEach((pair, median) -> {
            String[] p = pair.split(":");
            Distance d = layout.distance(Integer.parseInt(p[0]), Integer.parseInt(p[1]));
            out.computeIfAbsent(d, k -> new ArrayList<>()).add(median);
        });
        return out;
    }

    /** The median over pairs of Java's median / C's median, for one method; NaN without both. */
    double javaOverC(String method) {
        Map<String, Double> c = c2cMedians("C", method);
        Map<String, Double> j = c2cMedians("Java", method);
        List<Double> ratios = new ArrayList<>();
        c.forEach((pair, cm) -> {
            Double jm = j.get(pair);
            if (jm != null && cm > 0) {
                ratios.add(jm / cm);
            }
        });
        return Spread.median(ratios);
    }

    /** The share of measured figures marked as loaded. */
    double loadedShare() {
        List<Row> m = rows.stream().filter(r -> !r.reps().isEmpty()).toList();
        return m.isEmpty() ? 0 : m.stream().filter(Row::loaded).count() / (double) m.size();
    }
}
