// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PairSamplerTest {

    @Test
    void twoCpusGiveTheirOnePairUnsampled() {
        PairSampler.Sample s = PairSampler.choose(TestLayouts.twoCpuVm(), 150, 1);
        assertEquals(1, s.pairs().size());
        assertEquals(0, s.pairs().getFirst()[0]);
        assertEquals(1, s.pairs().getFirst()[1]);
        assertFalse(s.sampled());
        assertEquals("every pair of allowed CPUs: 1", s.describe());
    }

    @Test
    void aSmallMachineWithinBudgetHasEveryPair() {
        CpuLayout m = TestLayouts.server(1, 2, 4, 2);   // 16 CPUs, 120 pairs
        PairSampler.Sample s = PairSampler.choose(m, 120, 1);
        assertEquals(120, s.pairs().size());
        assertFalse(s.sampled());
        assertEquals(120, keys(s.pairs()).size());
    }

    /** 192 CPUs: 2 nodes x 4 LLCs x 12 cores x 2 threads, 18336 pairs. */
    @Test
    void a192CpuMachineIsSampledWithinBudgetCoveringEveryDistanceAndCpu() {
        CpuLayout m = TestLayouts.server(2, 4, 12, 2);
        assertEquals(192, m.cpus().size());
        PairSampler.Sample s = PairSampler.choose(m, 150, 18);
        assertEquals(150, s.pairs().size());
        assertEquals(192L * 191 / 2, s.total());
        assertTrue(s.sampled());
        assertEquals(150, keys(s.pairs()).size(), "no pair twice");
        Map<Distance, Integer> perDistance = new EnumMap<>(Distance.class);
        Set<Integer> cpus = new HashSet<>();
        for (int[] p : s.pairs()) {
            assertTrue(p[0] < p[1], "a < b");
            perDistance.merge(m.distance(p[0], p[1]), 1, Integer::sum);
            cpus.add(p[0]);
            cpus.add(p[1]);
        }
        // 96 SMT pairs exist; the equal share is 150 / (2 * 4) = 18 for each of the 4 distances.
        for (Distance d : m.distancesPresent()) {
            assertTrue(perDistance.getOrDefault(d, 0) >= 18, d + ": " + perDistance);
            assertEquals(perDistance.getOrDefault(d, 0).longValue(), s.perDistance().get(d)[0], d.label);
        }
        assertEquals(192, cpus.size(), "every CPU appears once the budget allows (150 pairs, 300 places)");
        String text = s.describe();
        assertTrue(text.startsWith("sampled 150 of 18336 pairs (seed 18)"), text);
        assertTrue(text.contains("SMT siblings"), text);
        assertTrue(text.contains("192 CPUs appear"), text);
    }

    @Test
    void theSameSeedGivesTheSamePairsAndAnotherSeedOthers() {
        CpuLayout m = TestLayouts.server(2, 4, 12, 2);
        Set<String> a = keys(PairSampler.choose(m, 100, 7).pairs());
        assertEquals(a, keys(PairSampler.choose(m, 100, 7).pairs()));
        assertNotEquals(a, keys(PairSampler.choose(m, 100, 8).pairs()));
    }

    @Test
    void everyDistanceGetsAtLeastItsShare() {
        // 2 nodes of 20 single-thread cores: 400 cross-node pairs, 380 within; the LLCs per node.
        CpuLayout m = TestLayouts.server(2, 1, 20, 1);
        PairSampler.Sample s = PairSampler.choose(m, 30, 1);
        assertEquals(30, s.pairs().size());
        assertEquals(2, s.perDistance().size());
        s.perDistance().values().forEach(n -> assertTrue(n[0] >= 7, "each distance its share: " + n[0]));
    }

    @Test
    void aBudgetBelowOneIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PairSampler.choose(TestLayouts.twoCpuVm(), 0, 1));
        assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
    }

    private static Set<String> keys(List<int[]> pairs) {
        Set<String> out = new HashSet<>();
        pairs.forEach(p -> out.add(p[0] + ":" + p[1]));
        return out;
    }
}
