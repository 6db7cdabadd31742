// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuLayoutTest {

    /** 2 nodes x 2 LLCs x 3 cores x 2 threads: CPUs 0-11 first threads, 12-23 their siblings. */
    private final CpuLayout server = TestLayouts.server(2, 2, 3, 2);

    @Test
    void distancesFollowCoreCacheAndNode() {
        assertEquals(Distance.SAME_CPU, server.distance(4, 4));
        assertEquals(Distance.SMT_SIBLING, server.distance(0, 12));
        assertEquals(Distance.SAME_LLC, server.distance(0, 2));
        assertEquals(Distance.SAME_LLC, server.distance(0, 14), "a sibling of a core in the same LLC");
        assertEquals(Distance.OTHER_LLC, server.distance(0, 3));
        assertEquals(Distance.OTHER_NUMA, server.distance(0, 6));
        assertEquals(Distance.OTHER_NUMA, server.distance(18, 5));
        assertEquals(server.distance(3, 9), server.distance(9, 3), "symmetric");
    }

    @Test
    void everyDistanceOfTheServerIsFound() {
        assertEquals(EnumSet.of(Distance.SMT_SIBLING, Distance.SAME_LLC, Distance.OTHER_LLC, Distance.OTHER_NUMA),
                server.distancesPresent());
        assertTrue(server.lacks().isEmpty(), "the server lacks nothing: " + server.lacks());
    }

    @Test
    void theTwoCpuVmLacksSmtCachesAndASecondNode() {
        CpuLayout vm = TestLayouts.twoCpuVm();
        assertEquals(Distance.LLC_UNKNOWN, vm.distance(0, 1), "no cache information: not same or other LLC");
        assertEquals(EnumSet.of(Distance.LLC_UNKNOWN), vm.distancesPresent());
        List<String> lacks = vm.lacks();
        assertEquals(3, lacks.size(), lacks.toString());
        assertTrue(lacks.get(0).startsWith("SMT"), lacks.get(0));
        assertTrue(lacks.get(1).startsWith("cache topology"), lacks.get(1));
        assertTrue(lacks.get(2).startsWith("a second NUMA node"), lacks.get(2));
        assertFalse(vm.knowsCaches());
        assertTrue(vm.knowsCores());
        assertTrue(vm.knowsNodes());
    }

    @Test
    void oneLlcAndOneCpuAreSaid() {
        CpuLayout oneLlc = new CpuLayout(List.of(0, 1), Map.of(0, 0, 1, 1), Map.of(0, 0, 1, 0), Map.of(0, 0, 1, 0));
        assertTrue(oneLlc.lacks().contains("a second LLC: every allowed CPU shares one last-level cache"),
                oneLlc.lacks().toString());
        CpuLayout one = new CpuLayout(List.of(3), Map.of(3, 0), Map.of(3, 0), Map.of(3, 0));
        assertTrue(one.lacks().getFirst().startsWith("a second CPU"), one.lacks().toString());
        assertTrue(one.distancesPresent().isEmpty());
        assertEquals(-1, one.otherCore(3));
        assertNull(one.firstPairAt(Distance.SAME_LLC));
    }

    @Test
    void theSharingPartnerIsOnAnotherCoreNearestFirst() {
        assertEquals(1, server.otherCore(0), "same LLC, not the SMT sibling 12");
        CpuLayout smtOnly = new CpuLayout(List.of(0, 1), Map.of(0, 0, 1, 0), Map.of(0, 0, 1, 0), Map.of(0, 0, 1, 0));
        assertEquals(1, smtOnly.otherCore(0), "a sibling when there is no other core");
        assertEquals(1, TestLayouts.twoCpuVm().otherCore(0));
    }

    @Test
    void firstPairAtEachDistance() {
        assertEquals(List.of(0, 12), List.of(server.firstPairAt(Distance.SMT_SIBLING)[0],
                server.firstPairAt(Distance.SMT_SIBLING)[1]));
        int[] numa = server.firstPairAt(Distance.OTHER_NUMA);
        assertEquals(Distance.OTHER_NUMA, server.distance(numa[0], numa[1]));
        assertEquals(0, numa[0]);
    }

    @Test
    void cpusMustAscend() {
        assertThrows(IllegalArgumentException.class, () -> new CpuLayout(List.of(1, 0), Map.of(), Map.of(), Map.of()));
    }
}
