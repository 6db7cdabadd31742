// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What {@link ExpeditedBenchmark} printed ({@code key=value}) for one path and flavor, and why it
 * gave nothing if it did not: one JVM's run, or the median of several ({@link #medianOf}).
 *
 * @param target   the path and flavor it ran
 * @param values   its figures by key
 * @param failures why the run failed, if it did
 */
record ExpeditedRun(ExpeditedRuns.Target target, Map<String, String> values, List<String> failures) {

    /** Set on a median run: how many JVMs gave figures, and each case's ratios from the lowest. */
    static final String JVMS = "jvms";
    static final String RATIOS_SUFFIX = "ratios";

    ExpeditedRun {
        values = Map.copyOf(values);
        failures = List.copyOf(failures);
    }

    /**
     * One target's runs, each in a JVM of its own, as one: for each case (0, 1, 2 busy readers
     * per CPU), every figure of the run whose ratio is the median of the runs' (the upper of two),
     * so that a case's times, halves and membarrier counts stay those of one run; {@code pinned}
     * only when every run pinned its threads. A JVM whose JIT made one kind slower for its whole
     * run (one in eight or so on a 2-CPU VM) then moves the figure no more than any other run.
     * Runs that failed are left out of the figures, and their failures kept, as the report's; one
     * run is returned as it was, failed or not (its partial figures with its failure).
     */
    static ExpeditedRun medianOf(ExpeditedRuns.Target target, List<ExpeditedRun> runs) {
        if (runs.size() == 1) {
            return runs.getFirst();
        }
        List<ExpeditedRun> usable = runs.stream().filter(r -> r.failures().isEmpty()).toList();
        List<String> failures = new ArrayList<>();
        runs.stream().filter(r -> !r.failures().isEmpty()).forEach(r -> failures.addAll(r.failures()));
        if (usable.isEmpty()) {
            return new ExpeditedRun(target, Map.of(), failures);
        }
        Map<String, String> merged = new HashMap<>(usable.getFirst().values());
        merged.put("pinned", Boolean.toString(usable.stream().allMatch(r -> "true".equals(r.values().get("pinned")))));
        for (int per = 0; per <= ExpeditedBenchmark.MAX_PER_CPU; per++) {
            String p = "busy" + per + "_";
            List<ExpeditedRun> byRatio = usable.stream().filter(r -> ratio(r, p).isPresent())
                    .sorted(Comparator.comparingDouble(r -> ratio(r, p).getAsDouble())).toList();
            merged.keySet().removeIf(k -> k.startsWith(p));
            if (byRatio.isEmpty()) {
                continue;
            }
            byRatio.get(byRatio.size() / 2).values().forEach((k, v) -> {
                if (k.startsWith(p)) {
                    merged.put(k, v);
                }
            });
            merged.put(p + RATIOS_SUFFIX, String.join(" ", byRatio.stream()
                    .map(r -> String.format(Locale.ROOT, "%.2f", ratio(r, p).getAsDouble())).toList()));
        }
        merged.put(JVMS, Integer.toString(usable.size()));
        return new ExpeditedRun(target, merged, failures);
    }

    private static OptionalDouble ratio(ExpeditedRun run, String prefix) {
        return Lifecycle.number(run.values(), prefix + "ratio");
    }
}
