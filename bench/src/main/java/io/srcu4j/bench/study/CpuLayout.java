// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench.study;

import io.srcu4j.cpu.CacheDomain;
import io.srcu4j.cpu.CpuCore;
import io.srcu4j.cpu.CpuTopology;
import io.srcu4j.cpu.NumaNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The CPUs the study may use (this process's allowed CPUs) and where each sits: its core, its
 * last-level-cache domain and its NUMA node, each -1 when the kernel does not say. Built from
 * {@link CpuTopology}; tests build one for a machine they describe.
 *
 * @param cpus the allowed CPUs, ascending
 * @param core core index per CPU (same index: SMT siblings); -1 when unknown
 * @param llc  last-level-cache domain index per CPU; -1 when unknown
 * @param node NUMA node per CPU; -1 when unknown
 */
record CpuLayout(List<Integer> cpus, Map<Integer, Integer> core, Map<Integer, Integer> llc, Map<Integer, Integer> node) {

    CpuLayout {
        cpus = List.copyOf(cpus);
        core = Map.copyOf(core);
        llc = Map.copyOf(llc);
        node = Map.copyOf(node);
        for (int i = 1; i < cpus.size(); i++) {
            if (cpus.get(i) <= cpus.get(i - 1)) {
                throw new IllegalArgumentException("CPUs must ascend without repeats: " + cpus);
            }
        }
    }

    /** The allowed CPUs of {@code t}, placed by its cores, caches and nodes. */
    static CpuLayout of(CpuTopology t) {
        List<Integer> cpus = t.allowed().stream().boxed().toList();
        Map<Integer, Integer> core = new HashMap<>();
        Map<Integer, Integer> llc = new HashMap<>();
        Map<Integer, Integer> node = new HashMap<>();
        List<CpuCore> cores = t.cores();
        for (int i = 0; i < cores.size(); i++) {
            int index = i;
            cores.get(i).cpus().stream().forEach(c -> core.put(c, index));
        }
        List<CacheDomain> caches = t.lastLevelCaches();
        for (int i = 0; i < caches.size(); i++) {
            int index = i;
            caches.get(i).cpus().stream().forEach(c -> llc.put(c, index));
        }
        for (NumaNode n : t.numaNodes()) {
            n.cpus().stream().forEach(c -> node.put(c, n.id()));
        }
        return new CpuLayout(cpus, core, llc, node);
    }

    private static int of(Map<Integer, Integer> m, int cpu) {
        return m.getOrDefault(cpu, -1);
    }

    /** How far apart {@code a} and {@code b} are. */
    Distance distance(int a, int b) {
        if (a == b) {
            return Distance.SAME_CPU;
        }
        int coreA = of(core, a);
        if (coreA >= 0 && coreA == of(core, b)) {
            return Distance.SMT_SIBLING;
        }
        int nodeA = of(node, a);
        int nodeB = of(node, b);
        if (nodeA >= 0 && nodeB >= 0 && nodeA != nodeB) {
            return Distance.OTHER_NUMA;
        }
        int llcA = of(llc, a);
        int llcB = of(llc, b);
        if (llcA < 0 || llcB < 0) {
            return Distance.LLC_UNKNOWN;
        }
        return llcA == llcB ? Distance.SAME_LLC : Distance.OTHER_LLC;
    }

    /** The distances some pair of distinct allowed CPUs has, near to far. */
    Set<Distance> distancesPresent() {
        Set<Distance> found = EnumSet.noneOf(Distance.class);
        // One CPU of each (core, llc, node) kind stands for its like: enough to find every distance
        // without looking at all n^2 pairs of a large machine.
        Map<List<Integer>, List<Integer>> kinds = new HashMap<>();
        for (int cpu : cpus) {
            List<Integer> kind = List.of(of(core, cpu), of(llc, cpu), of(node, cpu));
            List<Integer> members = kinds.computeIfAbsent(kind, k -> new ArrayList<>());
            if (members.size() < 2) {
                members.add(cpu);
            }
        }
        List<Integer> sample = kinds.values().stream().flatMap(List::stream).sorted().toList();
        for (int i = 0; i < sample.size(); i++) {
            for (int j = i + 1; j < sample.size(); j++) {
                found.add(distance(sample.get(i), sample.get(j)));
            }
        }
        return found;
    }

    /** Whether the kernel tells every allowed CPU's core (so SMT siblings are known). */
    boolean knowsCores() {
        return cpus.stream().allMatch(c -> of(core, c) >= 0);
    }

    /** Whether the kernel tells every allowed CPU's last-level cache. */
    boolean knowsCaches() {
        return cpus.stream().allMatch(c -> of(llc, c) >= 0);
    }

    /** Whether the kernel tells every allowed CPU's NUMA node. */
    boolean knowsNodes() {
        return cpus.stream().allMatch(c -> of(node, c) >= 0);
    }

    /**
     * What the machine lacks, in words, for the report: no SMT, one LLC, one NUMA node, or parts
     * the kernel does not tell. Empty when it has all of them.
     */
    List<String> lacks() {
        List<String> lacks = new ArrayList<>();
        if (cpus.size() < 2) {
            lacks.add("a second CPU: one CPU is allowed, so no pair can be measured");
        }
        if (!knowsCores()) {
            lacks.add("core topology: the kernel does not say which CPUs are SMT siblings");
        } else if (cpus.stream().map(c -> core.get(c)).distinct().count() == cpus.size()) {
            lacks.add("SMT: one hardware thread per core, so no SMT-sibling pair");
        }
        if (!knowsCaches()) {
            lacks.add("cache topology: the kernel lists no caches (no /sys/devices/system/cpu/cpu*/cache), so no"
                    + " pair of cores can be classed as same or other LLC");
        } else if (cpus.stream().map(c -> llc.get(c)).distinct().count() == 1) {
            lacks.add("a second LLC: every allowed CPU shares one last-level cache");
        }
        if (!knowsNodes()) {
            lacks.add("NUMA topology: the kernel does not say which node each CPU is on");
        } else if (cpus.stream().map(c -> node.get(c)).distinct().count() == 1) {
            lacks.add("a second NUMA node: every allowed CPU is on one node");
        }
        return lacks;
    }

    /**
     * The CPU to share a cache line with {@code a} across cores: the nearest one on another core
     * (the lowest on a tie), else an SMT sibling; -1 when {@code a} is the only CPU.
     */
    int otherCore(int a) {
        int best = -1;
        for (int cpu : cpus) {
            if (cpu != a && (best < 0 || rank(distance(a, cpu)) < rank(distance(a, best)))) {
                best = cpu;
            }
        }
        return best;
    }

    /** Nearest first, but a sibling on the same core after every other core. */
    private static int rank(Distance d) {
        return d == Distance.SMT_SIBLING ? Distance.values().length : d.ordinal();
    }

    /** The first pair (a, b), a the lowest allowed CPU that has one, at {@code d}; null when none is. */
    int[] firstPairAt(Distance d) {
        Objects.requireNonNull(d, "d");
        for (int a : cpus) {
            for (int b : cpus) {
                if (distance(a, b) == d && (d == Distance.SAME_CPU || a != b)) {
                    return new int[] {a, b};
                }
            }
        }
        return null;
    }
}
