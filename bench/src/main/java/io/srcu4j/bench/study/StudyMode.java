// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench.study;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How long the study runs: {@code default} fits in a few minutes on 2 CPUs (and, by sampling
 * pairs, on a 192-CPU machine); {@code full} repeats more, runs each repetition longer and
 * measures ten times as many pairs. The C probes get {@code --full} for the latter.
 *
 * @param reps          repetitions of each Java figure (the C probes have their own: 9 and 15)
 * @param repMillis     length of one repetition of a Java loop
 * @param pairBudget    core-to-core pairs measured at most (sampled beyond)
 * @param placementPairs pairs per distance in the SRCU placement study
 */
enum StudyMode {
    DEFAULT(9, 20, 150, 1),
    FULL(15, 60, 1500, 3);

    final int reps;
    final double repMillis;
    final int pairBudget;
    final int placementPairs;

    StudyMode(int reps, double repMillis, int pairBudget, int placementPairs) {
        this.reps = reps;
        this.repMillis = repMillis;
        this.pairBudget = pairBudget;
        this.placementPairs = placementPairs;
    }

    /**
     * The mode named {@code text} ("default" or "full", any case; empty is default).
     *
     * @throws IllegalArgumentException naming the modes there are
     */
    static StudyMode parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            return DEFAULT;
        }
        for (StudyMode m : values()) {
            if (m.name().equalsIgnoreCase(t)) {
                return m;
            }
        }
        throw new IllegalArgumentException("STUDY=" + text + " is not a study mode; use one of: "
                + Arrays.stream(values()).map(StudyMode::word).collect(Collectors.joining(", ")));
    }

    String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
