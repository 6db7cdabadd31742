// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench.study;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Which CPU pairs the core-to-core study measures: every unordered pair of allowed CPUs while
 * there are at most {@code budget}, else a sample of {@code budget} that a 192-CPU machine can
 * measure in minutes. The sample is stratified by {@link Distance}: each distance the machine has
 * gets an equal share (or all its pairs when it has fewer), the rest goes to the distances with
 * pairs left in proportion to them; within a distance, pairs with a CPU not yet in the sample
 * come first, so every CPU appears once the budget allows. The draw is seeded: the same machine
 * and seed give the same pairs.
 */
final class PairSampler {

    /** The pairs chosen, and what was left out. */
    record Sample(List<int[]> pairs, long total, Map<Distance, long[]> perDistance, long seed) {

        boolean sampled() {
            return pairs.size() < total;
        }

        /** One line for the report: all pairs, or what the sample holds. */
        String describe() {
            if (!sampled()) {
                return "every pair of allowed CPUs: " + total;
            }
            StringJoiner classes = new StringJoiner(", ");
            perDistance.forEach((d, n) -> classes.add(d.label + " " + n[0] + " of " + n[1]));
            Set<Integer> cpus = new HashSet<>();
            pairs.forEach(p -> {
                cpus.add(p[0]);
                cpus.add(p[1]);
            });
            return String.format(Locale.ROOT, "sampled %d of %d pairs (seed %d), stratified by distance: %s;"
                    + " %d CPUs appear in the sample", pairs.size(), total, seed, classes, cpus.size());
        }
    }

    private PairSampler() {
    }

    /**
     * The pairs (a, b), a < b, to measure among {@code layout}'s CPUs.
     *
     * @throws IllegalArgumentException when {@code budget} is below 1
     */
    static Sample choose(CpuLayout layout, int budget, long seed) {
        if (budget < 1) {
            throw new IllegalArgumentException("pair budget is " + budget + "; it must be at least 1");
        }
        Map<Distance, List<int[]>> byDistance = new EnumMap<>(Distance.class);
        List<Integer> cpus = layout.cpus();
        long total = 0;
        for (int i = 0; i < cpus.size(); i++) {
            for (int j = i + 1; j < cpus.size(); j++) {
                int a = cpus.get(i);
                int b = cpus.get(j);
                byDistance.computeIfAbsent(layout.distance(a, b), d -> new ArrayList<>()).add(new int[] {a, b});
                total++;
            }
        }
        Map<Distance, long[]> counts = new LinkedHashMap<>();
        if (total <= budget) {
            List<int[]> all = new ArrayList<>();
            byDistance.forEach((d, pairs) -> {
                all.addAll(pairs);
                counts.put(d, new long[] {pairs.size(), pairs.size()});
            });
            all.sort((x, y) -> x[0] != y[0] ? Integer.compare(x[0], y[0]) : Integer.compare(x[1], y[1]));
            return new Sample(all, total, counts, seed);
        }
        Map<Distance, Integer> quota = quotas(byDistance, budget);
        Random random = new Random(seed);
        Set<Integer> covered = new HashSet<>();
        List<int[]> chosen = new ArrayList<>();
        for (Map.Entry<Distance, List<int[]>> e : byDistance.entrySet()) {
            List<int[]> pool = new ArrayList<>(e.getValue());
            Collections.shuffle(pool, random);
            int want = quota.get(e.getKey());
            List<int[]> taken = new ArrayList<>();
            boolean[] used = new boolean[pool.size()];
            // First the pairs that bring a CPU the sample does not have yet, then any.
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i < pool.size() && taken.size() < want; i++) {
                    int[] p = pool.get(i);
                    if (!used[i] && (pass == 1 || !covered.contains(p[0]) || !covered.contains(p[1]))) {
                        used[i] = true;
                        taken.add(p);
                        covered.add(p[0]);
                        covered.add(p[1]);
                    }
                }
            }
            chosen.addAll(taken);
            counts.put(e.getKey(), new long[] {taken.size(), e.getValue().size()});
        }
        chosen.sort((x, y) -> x[0] != y[0] ? Integer.compare(x[0], y[0]) : Integer.compare(x[1], y[1]));
        return new Sample(chosen, total, counts, seed);
    }

    /** An equal share per distance (all of a small one), the rest in proportion to what is left. */
    private static Map<Distance, Integer> quotas(Map<Distance, List<int[]>> byDistance, int budget) {
        Map<Distance, Integer> quota = new EnumMap<>(Distance.class);
        int share = Math.max(1, budget / (2 * byDistance.size()));
        int left = budget;
        long rest = 0;
        for (Map.Entry<Distance, List<int[]>> e : byDistance.entrySet()) {
            int q = Math.min(Math.min(share, e.getValue().size()), left);
            quota.put(e.getKey(), q);
            left -= q;
            rest += e.getValue().size() - q;
        }
        int spare = left;
        for (Map.Entry<Distance, List<int[]>> e : byDistance.entrySet()) {
            if (left == 0 || rest == 0) {
                break;
            }
            long remaining = e.getValue().size() - quota.get(e.getKey());
            int more = (int) Math.min(remaining, Math.min(left, Math.round((double) spare * remaining / rest)));
            quota.merge(e.getKey(), more, Integer::sum);
            left -= more;
        }
        // Rounding may leave a few: give them to whichever distance still has pairs.
        for (Map.Entry<Distance, List<int[]>> e : byDistance.entrySet()) {
            int more = Math.min(left, e.getValue().size() - quota.get(e.getKey()));
            quota.merge(e.getKey(), more, Integer::sum);
            left -= more;
        }
        return quota;
    }
}
