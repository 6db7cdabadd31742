// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.cpu;

import io.srcu4j.Srcu4j;

import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * An immutable snapshot of the machine's CPUs as this process sees them: which exist, which are
 * online, which the calling thread may use and what its cgroup cpuset allows, and how they are
 * laid out in packages, cores (SMT siblings), NUMA nodes and last-level-cache domains.
 *
 * <p>Everything comes from the kernel: {@code /sys/devices/system/cpu}, {@code
 * /sys/devices/system/node}, {@code /proc/self/cgroup} with the cgroup file system, and the
 * thread's affinity. Containers and virtual machines often hide part of that; a part that cannot
 * be read is empty, and {@link #unknown()} says why. Taking a snapshot never fails.
 *
 * <p>CPUs that go on- or offline, or a changed affinity or cpuset, show in the next snapshot only.
 */
public final class CpuTopology {

    /** The parts of a snapshot that can be missing. */
    public enum Part {
        /** {@link CpuTopology#possible()}. */
        POSSIBLE,
        /** {@link CpuTopology#online()}. */
        ONLINE,
        /** {@link CpuTopology#allowed()}. */
        ALLOWED,
        /** {@link CpuTopology#cpuset()}. */
        CPUSET,
        /** {@link CpuTopology#cores()}, {@link CpuTopology#packages()} and {@link CpuTopology#smtSiblings()}. */
        CORES,
        /** {@link CpuTopology#numaNodes()}. */
        NUMA_NODES,
        /** {@link CpuTopology#lastLevelCaches()}. */
        CACHES
    }

    /** How many last-level-cache domains {@link #toString()} lists before it abbreviates. */
    private static final int LISTED_CACHE_DOMAINS = 8;

    private final CpuSet possible;
    private final CpuSet online;
    private final CpuSet allowed;
    private final Optional<CpuSet> cpuset;
    private final List<CpuCore> cores;
    private final List<CpuPackage> packages;
    private final List<NumaNode> numaNodes;
    private final List<CacheDomain> lastLevelCaches;
    private final Map<Part, String> unknown;

    /**
     * A snapshot read under {@code root}, the file system root, with the allowed CPUs taken from
     * {@code /proc}; tests point it at a fake tree.
     */
    CpuTopology(Path root) {
        this(root, new SysfsTopology(root).allowedFromProc());
    }

    private CpuTopology(Path root, Reading<CpuSet> allowedReading) {
        SysfsTopology sysfs = new SysfsTopology(root);
        Map<Part, String> gaps = new EnumMap<>(Part.class);
        possible = valueOr(sysfs.possible(), CpuSet.empty(), Part.POSSIBLE, gaps);
        online = valueOr(sysfs.online(), CpuSet.empty(), Part.ONLINE, gaps);
        allowed = valueOr(allowedReading, CpuSet.empty(), Part.ALLOWED, gaps);
        CpuSet cpuset = valueOr(CgroupCpuset.read(root), null, Part.CPUSET, gaps);
        this.cpuset = Optional.ofNullable(cpuset);
        // Offline CPUs have no topology or cache directories: look at the online ones only.
        CpuSet present = !online.isEmpty() ? online : possible;
        cores = valueOr(sysfs.cores(present), List.of(), Part.CORES, gaps);
        packages = SysfsTopology.packages(cores);
        numaNodes = valueOr(sysfs.numaNodes(), List.of(), Part.NUMA_NODES, gaps);
        lastLevelCaches = valueOr(sysfs.lastLevelCaches(present), List.of(), Part.CACHES, gaps);
        unknown = Collections.unmodifiableMap(gaps);
    }

    /**
     * A snapshot of this machine, with {@link #allowed()} the calling thread's affinity. Reads
     * that affinity through libsrcu4j ({@code sched_getaffinity}, exact for the calling thread, no
     * {@code /proc} needed) when it is loaded, else from {@code /proc/thread-self/status}.
     *
     * @return a new snapshot; a part that could not be read is empty and listed in {@link #unknown()}
     */
    public static CpuTopology current() {
        Path root = Path.of("/");
        return new CpuTopology(root, Srcu4j.isAvailable() ? nativeAffinity() : new SysfsTopology(root).allowedFromProc());
    }

    private static Reading<CpuSet> nativeAffinity() {
        try {
            return Reading.of(Cpus.allowed());
        } catch (RuntimeException | LinkageError e) {
            return Reading.missing("the thread's affinity is unavailable (" + e.getMessage() + ")");
        }
    }

    private static <T> T valueOr(Reading<T> reading, T fallback, Part part, Map<Part, String> gaps) {
        if (reading.reason() != null) {
            gaps.put(part, reading.reason());
        }
        return reading.found() ? reading.value() : fallback;
    }

    /**
     * {@return the CPUs the kernel may ever bring online ({@code /sys/devices/system/cpu/possible});
     * empty when unknown}
     */
    public CpuSet possible() {
        return possible;
    }

    /**
     * {@return the CPUs online at the snapshot ({@code /sys/devices/system/cpu/online}); empty
     * when unknown}
     */
    public CpuSet online() {
        return online;
    }

    /**
     * {@return the CPUs the thread that took the snapshot may run on (its affinity): the
     * process's CPUs unless that thread was pinned} The kernel keeps it within the cgroup cpuset.
     * Empty when unknown.
     */
    public CpuSet allowed() {
        return allowed;
    }

    /**
     * {@return the effective CPUs of this process's cgroup cpuset ({@code cpuset.cpus.effective}
     * under cgroup v2, {@code cpuset.effective_cpus} under v1); empty when there is none or it
     * cannot be read} {@link #unknown()} says which.
     */
    public Optional<CpuSet> cpuset() {
        return cpuset;
    }

    /** {@return the physical cores of the online CPUs, by lowest CPU; empty when unknown} */
    public List<CpuCore> cores() {
        return cores;
    }

    /** {@return the packages (sockets) of the online CPUs, by id; empty when unknown} */
    public List<CpuPackage> packages() {
        return packages;
    }

    /**
     * {@return the CPUs of each core that has more than one hardware thread, by lowest CPU;
     * empty without SMT or when cores are unknown}
     */
    public List<CpuSet> smtSiblings() {
        return cores.stream().map(CpuCore::cpus).filter(c -> c.size() > 1).toList();
    }

    /** {@return the most hardware threads any core has: 1 without SMT, 0 when cores are unknown} */
    public int threadsPerCore() {
        return cores.stream().mapToInt(c -> c.cpus().size()).max().orElse(0);
    }

    /** {@return the NUMA nodes, by id, memory-only ones included; empty when unknown} */
    public List<NumaNode> numaNodes() {
        return numaNodes;
    }

    /**
     * {@return the last-level-cache domains of the online CPUs, by lowest CPU; empty when
     * unknown}
     */
    public List<CacheDomain> lastLevelCaches() {
        return lastLevelCaches;
    }

    /**
     * {@return the core holding {@code cpu}; empty when cores are unknown or none holds it (an
     * offline CPU, or a number this machine does not have)}
     *
     * @param cpu a CPU number
     */
    public Optional<CpuCore> coreOf(int cpu) {
        return cores.stream().filter(c -> c.cpus().contains(cpu)).findFirst();
    }

    /**
     * {@return the NUMA node holding {@code cpu}; empty when nodes are unknown or none holds it}
     *
     * @param cpu a CPU number
     */
    public Optional<NumaNode> numaNodeOf(int cpu) {
        return numaNodes.stream().filter(n -> n.cpus().contains(cpu)).findFirst();
    }

    /**
     * {@return the last-level-cache domain holding {@code cpu}; empty when the domains are
     * unknown or none holds it (an offline CPU, or a number this machine does not have)}
     *
     * @param cpu a CPU number
     */
    public Optional<CacheDomain> lastLevelCacheOf(int cpu) {
        return lastLevelCaches.stream().filter(d -> d.cpus().contains(cpu)).findFirst();
    }

    /**
     * {@return the parts that could not be read, or only in part, each with the reason (a missing
     * file, a malformed one, no cgroup cpuset); empty when everything was found} The map cannot
     * be changed.
     */
    public Map<Part, String> unknown() {
        return unknown;
    }

    /**
     * {@return {@link #toString()}, then one line per {@link #unknown()} part with its reason}
     * The machine section of a report.
     */
    public String describe() {
        StringBuilder text = new StringBuilder(toString());
        unknown.forEach((part, reason) -> text.append('\n').append(part).append(": ").append(reason));
        return text.toString();
    }

    /**
     * One line, such as {@code 2 possible (0-1), 2 online (0-1), 2 allowed (0-1), cpuset 0-1;
     * 1 package, 2 cores, no SMT; 1 NUMA node; LLC: L3 {0-1}}.
     */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        text.append(cpus(possible, Part.POSSIBLE, "possible")).append(", ")
                .append(cpus(online, Part.ONLINE, "online")).append(", ")
                .append(cpus(allowed, Part.ALLOWED, "allowed")).append(", ")
                .append(cpuset.map(c -> "cpuset " + c).orElse("cpuset unknown")).append("; ");
        if (cores.isEmpty()) {
            text.append("cores unknown; ");
        } else {
            text.append(count(packages.size(), "package")).append(", ").append(count(cores.size(), "core"))
                    .append(", ").append(threadsPerCore() == 1 ? "no SMT" : "SMT " + threadsPerCore() + " threads/core")
                    .append("; ");
        }
        text.append(numaNodes.isEmpty() ? "NUMA unknown" : count(numaNodes.size(), "NUMA node")).append("; LLC: ");
        if (lastLevelCaches.isEmpty()) {
            text.append("unknown");
        } else {
            StringJoiner domains = new StringJoiner(" ");
            lastLevelCaches.stream().limit(LISTED_CACHE_DOMAINS)
                    .forEach(d -> domains.add("L" + d.level() + " {" + d.cpus() + "}"));
            text.append(domains);
            if (lastLevelCaches.size() > LISTED_CACHE_DOMAINS) {
                text.append(" and ").append(lastLevelCaches.size() - LISTED_CACHE_DOMAINS).append(" more");
            }
        }
        return text.toString();
    }

    private String cpus(CpuSet set, Part part, String label) {
        return unknown.containsKey(part) && set.isEmpty() ? label + " unknown" : set.size() + " " + label + " (" + set + ")";
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
