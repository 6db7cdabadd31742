// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench.study;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Machines the study's tests describe instead of reading sysfs. */
final class TestLayouts {

    private TestLayouts() {
    }

    /**
     * A machine numbered the way Linux numbers x86 servers: the first hardware thread of every
     * core first (node by node, LLC by LLC), then the second threads in the same order.
     */
    static CpuLayout server(int nodes, int llcsPerNode, int coresPerLlc, int smt) {
        int cores = nodes * llcsPerNode * coresPerLlc;
        List<Integer> cpus = new ArrayList<>();
        Map<Integer, Integer> core = new HashMap<>();
        Map<Integer, Integer> llc = new HashMap<>();
        Map<Integer, Integer> node = new HashMap<>();
        for (int t = 0; t < smt; t++) {
            for (int c = 0; c < cores; c++) {
                int cpu = t * cores + c;
                cpus.add(cpu);
                core.put(cpu, c);
                llc.put(cpu, c / coresPerLlc);
                node.put(cpu, c / (coresPerLlc * llcsPerNode));
            }
        }
        return new CpuLayout(cpus.stream().sorted().toList(), core, llc, node);
    }

    /** This project's usual VM: two cores, no SMT, one node, and no cache information. */
    static CpuLayout twoCpuVm() {
        return new CpuLayout(List.of(0, 1), Map.of(0, 0, 1, 1), Map.of(), Map.of(0, 0, 1, 0));
    }
}
