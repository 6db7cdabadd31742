// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.cpu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CpuTopology read from fake sysfs and proc trees: a full machine, and ones with parts missing. */
class CpuTopologyFakeSysfsTest {

    @TempDir
    Path root;

    /**
     * Two packages of two cores of two threads, numbered as x86 kernels do (the siblings of cpu n
     * are n and n + 4); a NUMA node and an L3 per package; L1d, L1i and L2 per core.
     */
    private FakeMachine twoSocketSmtMachine() {
        FakeMachine m = new FakeMachine(root).cpuLists("0-7", "0-7");
        for (int cpu = 0; cpu < 8; cpu++) {
            int core = cpu % 4;
            int pkg = core / 2;
            String siblings = core + "," + (core + 4);
            String l3 = pkg == 0 ? "0-1,4-5" : "2-3,6-7";
            m.topology(cpu, pkg, core % 2, siblings)
                    .cache(cpu, 0, 1, "Data", siblings)
                    .cache(cpu, 1, 1, "Instruction", siblings)
                    .cache(cpu, 2, 2, "Unified", siblings)
                    .cache(cpu, 3, 3, "Unified", l3);
        }
        return m.numaNode(0, "0-1,4-5").numaNode(1, "2-3,6-7").allowed("0-5")
                .cgroupV2("/app.slice/db.service")
                .file("sys/fs/cgroup/app.slice/db.service/cpuset.cpus.effective", "0-5")
                .file("sys/fs/cgroup/app.slice/cpuset.cpus.effective", "0-7");
    }

    @Test
    void readsATwoSocketSmtMachine() {
        twoSocketSmtMachine();
        CpuTopology t = new CpuTopology(root);

        assertEquals(Map.of(), t.unknown());
        assertEquals(CpuSet.range(0, 7), t.possible());
        assertEquals(CpuSet.range(0, 7), t.online());
        assertEquals(CpuSet.range(0, 5), t.allowed());
        assertEquals(CpuSet.range(0, 5), t.cpuset().orElseThrow());
        assertEquals(List.of(new CpuPackage(0, CpuSet.parse("0-1,4-5")), new CpuPackage(1, CpuSet.parse("2-3,6-7"))),
                t.packages());
        assertEquals(List.of(new CpuCore(0, 0, CpuSet.of(0, 4)), new CpuCore(0, 1, CpuSet.of(1, 5)),
                new CpuCore(1, 0, CpuSet.of(2, 6)), new CpuCore(1, 1, CpuSet.of(3, 7))), t.cores());
        assertEquals(2, t.threadsPerCore());
        assertEquals(List.of(CpuSet.of(0, 4), CpuSet.of(1, 5), CpuSet.of(2, 6), CpuSet.of(3, 7)), t.smtSiblings());
        assertEquals(List.of(new NumaNode(0, CpuSet.parse("0-1,4-5")), new NumaNode(1, CpuSet.parse("2-3,6-7"))),
                t.numaNodes());
        assertEquals(List.of(new CacheDomain(3, CpuSet.parse("0-1,4-5")), new CacheDomain(3, CpuSet.parse("2-3,6-7"))),
                t.lastLevelCaches());
        assertEquals(1, t.numaNodeOf(6).orElseThrow().id());
        assertEquals(CpuSet.of(1, 5), t.coreOf(5).orElseThrow().cpus());
        assertEquals(CpuSet.parse("2-3,6-7"), t.lastLevelCacheOf(3).orElseThrow().cpus());
        assertTrue(t.coreOf(8).isEmpty());
        assertEquals("8 possible (0-7), 8 online (0-7), 6 allowed (0-5), cpuset 0-5; 2 packages, 4 cores, "
                + "SMT 2 threads/core; 2 NUMA nodes; LLC: L3 {0-1,4-5} L3 {2-3,6-7}", t.toString());
        assertEquals(t.toString(), t.describe(), "nothing unknown: describe() adds no line");
    }

    @Test
    void aCgroupWithoutItsOwnCpusetFileTakesItsParents() {
        twoSocketSmtMachine().cgroupV2("/app.slice/web.service");   // no file in web.service
        assertEquals(CpuSet.range(0, 7), new CpuTopology(root).cpuset().orElseThrow());
    }

    @Test
    void readsACgroupV1CpusetHierarchyMountedAtASubtree() {
        twoSocketSmtMachine()
                .file("proc/self/cgroup", "5:memory:/docker/abc\n4:cpuset:/docker/abc\n0::/")
                .file("proc/self/mountinfo", "22 1 0:20 / / rw - overlay overlay rw\n"
                        + "40 22 0:35 /docker /sys/fs/cgroup/cpu\\040set rw - cgroup cgroup rw,cpuset\n"
                        + "41 22 0:36 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory")
                .file("sys/fs/cgroup/cpu set/abc/cpuset.effective_cpus", "2-3")
                .file("sys/fs/cgroup/cpu set/abc/cpuset.cpus", "2-7");
        assertEquals(CpuSet.range(2, 3), new CpuTopology(root).cpuset().orElseThrow());
    }

    @Test
    void aTreeWithOnlyTheCpuListsGivesReasonsNotExceptions() {
        new FakeMachine(root).cpuLists("0-3", "0-1");
        CpuTopology t = new CpuTopology(root);

        assertEquals(CpuSet.range(0, 3), t.possible());
        assertEquals(CpuSet.range(0, 1), t.online());
        assertEquals(Set.of(CpuTopology.Part.ALLOWED, CpuTopology.Part.CPUSET, CpuTopology.Part.CORES,
                CpuTopology.Part.NUMA_NODES, CpuTopology.Part.CACHES), t.unknown().keySet());
        assertTrue(t.allowed().isEmpty() && t.cpuset().isEmpty() && t.cores().isEmpty() && t.packages().isEmpty()
                && t.numaNodes().isEmpty() && t.lastLevelCaches().isEmpty() && t.smtSiblings().isEmpty());
        assertEquals(0, t.threadsPerCore());
        assertTrue(t.unknown().get(CpuTopology.Part.CORES).contains("cpu0"), t.unknown().toString());
        assertTrue(t.unknown().get(CpuTopology.Part.NUMA_NODES).contains("node"), t.unknown().toString());
        assertEquals("4 possible (0-3), 2 online (0-1), allowed unknown, cpuset unknown; cores unknown; "
                + "NUMA unknown; LLC: unknown", t.toString());
        String describe = t.describe();
        assertEquals(6, describe.lines().count(), describe);
        assertTrue(describe.contains("\nCORES: cores unknown: cpu0: no "), describe);
    }

    @Test
    void anEmptyTreeIsAllUnknown() {
        CpuTopology t = new CpuTopology(root);
        assertEquals(Set.of(CpuTopology.Part.values()), t.unknown().keySet());
        assertTrue(t.possible().isEmpty() && t.online().isEmpty());
        assertTrue(t.toString().startsWith("possible unknown, online unknown, allowed unknown"), t.toString());
    }

    @Test
    void malformedFilesAreReportedWithTheFileAndTheProblem() {
        twoSocketSmtMachine().file("sys/devices/system/cpu/online", "0-7,x")
                .file("sys/devices/system/node/node1/cpulist", "2-3;6-7")
                .file("sys/devices/system/cpu/cpu2/topology/core_id", "two");
        CpuTopology t = new CpuTopology(root);

        String online = t.unknown().get(CpuTopology.Part.ONLINE);
        assertTrue(online.contains("online") && online.contains("malformed CPU list \"0-7,x\n\""), online);
        // Without the online list the possible CPUs are inspected instead: everything else still reads.
        assertEquals(8, t.lastLevelCaches().stream().mapToInt(d -> d.cpus().size()).sum());
        String cores = t.unknown().get(CpuTopology.Part.CORES);
        assertTrue(cores.startsWith("cores partial: cpu2: ") && cores.contains("core_id") && cores.contains("\"two\""),
                cores);
        assertEquals(4, t.cores().size(), "cpu2's sibling cpu6 still names the core: " + t.cores());
        String nodes = t.unknown().get(CpuTopology.Part.NUMA_NODES);
        assertTrue(nodes.startsWith("NUMA nodes partial: node1: ") && nodes.contains("cpulist"), nodes);
        assertEquals(List.of(new NumaNode(0, CpuSet.parse("0-1,4-5"))), t.numaNodes());
    }

    @Test
    void offlineCpusAreLeftOutWithoutComplaint() {
        FakeMachine m = new FakeMachine(root).cpuLists("0-3", "0-2").allowed("0-2").numaNode(0, "0-2");
        for (int cpu = 0; cpu < 3; cpu++) {
            m.topology(cpu, 0, cpu, Integer.toString(cpu)).cache(cpu, 0, 2, "Unified", "0-2");
        }
        CpuTopology t = new CpuTopology(root);
        assertEquals(Set.of(CpuTopology.Part.CPUSET), t.unknown().keySet());
        assertEquals(3, t.cores().size());
        assertEquals(1, t.threadsPerCore());
        assertEquals(List.of(new CacheDomain(2, CpuSet.range(0, 2))), t.lastLevelCaches());
        assertEquals("4 possible (0-3), 3 online (0-2), 3 allowed (0-2), cpuset unknown; 1 package, 3 cores, no SMT; "
                + "1 NUMA node; LLC: L2 {0-2}", t.toString());
    }

    @Test
    void allowedFallsBackToTheProcessStatusOnOldKernels() {
        new FakeMachine(root).cpuLists("0-3", "0-3")
                .file("proc/self/status", "Name:\tjava\nCpus_allowed_list:\t1,3");
        assertEquals(CpuSet.of(1, 3), new CpuTopology(root).allowed());
    }
}
