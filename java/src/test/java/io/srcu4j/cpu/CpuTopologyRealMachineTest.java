// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.cpu;

import io.srcu4j.Capabilities;
import io.srcu4j.Srcu4j;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CpuTopology.current() on the machine running the tests: the parts agree with each other. */
class CpuTopologyRealMachineTest {

    private CpuTopology topology;

    @BeforeEach
    void snapshot() {
        Srcu4j.ensureAvailable();
        topology = CpuTopology.current();
        System.out.println("machine: " + topology.describe());
    }

    @Test
    void cpuSetsNestAndMatchTheCapabilities() {
        Capabilities caps = Srcu4j.capabilities();
        assertFalse(topology.unknown().containsKey(CpuTopology.Part.POSSIBLE), topology.describe());
        assertFalse(topology.unknown().containsKey(CpuTopology.Part.ONLINE), topology.describe());
        assertFalse(topology.unknown().containsKey(CpuTopology.Part.ALLOWED), topology.describe());
        assertEquals(caps.possibleCpus(), topology.possible().last() + 1, topology.describe());
        assertTrue(topology.possible().containsAll(topology.online()), topology.describe());
        assertTrue(topology.online().containsAll(topology.allowed()), topology.describe());
        assertFalse(topology.allowed().isEmpty(), topology.describe());
        topology.cpuset().ifPresent(cpuset -> assertTrue(cpuset.containsAll(topology.allowed()),
                "the kernel keeps the affinity within the cpuset: " + topology.describe()));
    }

    @Test
    void theAllowedCpusAreWhatTheJvmSeesAndTheProcReports() {
        // The JVM sizes availableProcessors() from the same affinity (unless a container quota lowers it).
        assertTrue(Runtime.getRuntime().availableProcessors() <= topology.allowed().size(), topology.describe());
        CpuTopology fromProc = new CpuTopology(Path.of("/"));
        assertEquals(topology.allowed(), fromProc.allowed(), "sched_getaffinity and /proc/thread-self/status");
    }

    @Test
    void everyOnlineCpuIsInExactlyOneCoreNodeAndCacheDomainWhereKnown() {
        checkPartition(CpuTopology.Part.CORES, topology.cores(), CpuCore::cpus);
        checkPartition(CpuTopology.Part.CORES, topology.packages(), CpuPackage::cpus);
        checkPartition(CpuTopology.Part.NUMA_NODES, topology.numaNodes(), NumaNode::cpus);
        checkPartition(CpuTopology.Part.CACHES, topology.lastLevelCaches(), CacheDomain::cpus);
        assertTrue(topology.threadsPerCore() >= (topology.cores().isEmpty() ? 0 : 1), topology.describe());
    }

    private <T> void checkPartition(CpuTopology.Part part, List<T> groups, Function<T, CpuSet> cpusOf) {
        if (topology.unknown().containsKey(part)) {
            return;   // a container or VM hides it: the reason is in describe()
        }
        assertFalse(groups.isEmpty(), part + " is known but empty: " + topology.describe());
        for (int cpu : topology.online().toArray()) {
            int holders = 0;
            for (T group : groups) {
                holders += cpusOf.apply(group).contains(cpu) ? 1 : 0;
            }
            assertEquals(1, holders, "cpu " + cpu + " in " + part + ": " + groups);
        }
    }

    @Test
    void theCurrentCpuIsAllowed() throws Exception {
        InOwnThread.run(() -> {
            CpuTopology seen = CpuTopology.current();
            int cpu = Cpus.current();
            assertTrue(seen.allowed().contains(cpu), "cpu " + cpu + " not in " + seen.allowed());
            assertTrue(seen.online().contains(cpu), "cpu " + cpu + " not in " + seen.online());
        });
    }
}
