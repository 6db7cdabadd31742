// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the CPU topology the kernel publishes under {@code /sys/devices/system/cpu} and
 * {@code /sys/devices/system/node}, and a thread's allowed CPUs from {@code /proc}. Every method
 * returns a {@link Reading}: a missing or malformed file becomes a reason, never an exception.
 */
final class SysfsTopology {

    private static final Pattern NODE_DIR = Pattern.compile("node(\\d+)");
    private static final Pattern CACHE_DIR = Pattern.compile("index\\d+");

    private final Path root;
    private final Path cpuDir;
    private final Path nodeDir;

    /** {@code root} is the file system root: {@code /} outside tests. */
    SysfsTopology(Path root) {
        this.root = root;
        this.cpuDir = root.resolve("sys/devices/system/cpu");
        this.nodeDir = root.resolve("sys/devices/system/node");
    }

    Reading<CpuSet> possible() {
        return cpuList(cpuDir.resolve("possible"));
    }

    Reading<CpuSet> online() {
        return cpuList(cpuDir.resolve("online"));
    }

    /**
     * The calling thread's allowed CPUs from {@code /proc/thread-self/status} (the thread's own
     * affinity), else {@code /proc/self/status} (the main thread's, on kernels before 3.17).
     */
    Reading<CpuSet> allowedFromProc() {
        for (String status : List.of("proc/thread-self/status", "proc/self/status")) {
            Path file = root.resolve(status);
            try (Stream<String> lines = Files.lines(file)) {
                String list = lines.filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst().orElse(null);
                if (list == null) {
                    return Reading.missing(file + " has no Cpus_allowed_list");
                }
                return Reading.of(CpuSet.parse(list.substring("Cpus_allowed_list:".length())));
            } catch (NoSuchFileException e) {
                // try the next one
            } catch (IOException | RuntimeException e) {
                return Reading.missing(file + " unreadable (" + e.getMessage() + ")");
            }
        }
        return Reading.missing("no /proc/thread-self/status or /proc/self/status");
    }

    /**
     * The physical cores of {@code cpus}: CPUs are grouped by their {@code core_cpus_list} (the
     * kernel's SMT sibling list; {@code thread_siblings_list} on kernels before 5.7), labelled with
     * {@code physical_package_id} and {@code core_id}. CPUs without a topology directory (offline,
     * or hidden) are left out and named in the reason.
     */
    Reading<List<CpuCore>> cores(CpuSet cpus) {
        if (cpus.isEmpty()) {
            return Reading.missing("cores unknown: no CPU known to look at");
        }
        Map<CpuSet, CpuCore> cores = new LinkedHashMap<>();
        List<String> gaps = new ArrayList<>();
        for (int cpu : cpus.toArray()) {
            Path topology = cpuDir.resolve("cpu" + cpu).resolve("topology");
            try {
                CpuSet siblings = readCpuList(topology.resolve("core_cpus_list"), topology.resolve("thread_siblings_list"));
                int packageId = readInt(topology.resolve("physical_package_id"));
                int coreId = readInt(topology.resolve("core_id"));
                CpuCore known = cores.get(siblings);
                if (known == null) {
                    cores.put(siblings, new CpuCore(packageId, coreId, siblings));
                } else if (known.packageId() != packageId || known.coreId() != coreId) {
                    gaps.add("cpu" + cpu + " is a sibling of " + siblings + " but reports package " + packageId
                            + " core " + coreId);
                }
            } catch (IOException | RuntimeException e) {
                gaps.add("cpu" + cpu + ": " + describe(e));
            }
        }
        List<CpuCore> sorted = cores.values().stream().sorted(Comparator.comparingInt(c -> c.cpus().first())).toList();
        return result(sorted, gaps, "cores");
    }

    /** The packages of the given cores, by {@code physical_package_id}. */
    static List<CpuPackage> packages(List<CpuCore> cores) {
        Map<Integer, CpuSet> byId = new TreeMap<>();
        for (CpuCore core : cores) {
            byId.merge(core.packageId(), core.cpus(), CpuSet::or);
        }
        return byId.entrySet().stream().map(e -> new CpuPackage(e.getKey(), e.getValue())).toList();
    }

    /** Every {@code node<N>} directory and its {@code cpulist}; memory-only nodes have no CPU. */
    Reading<List<NumaNode>> numaNodes() {
        if (!Files.isDirectory(nodeDir)) {
            return Reading.missing(nodeDir + " absent (kernel without NUMA support, or hidden)");
        }
        Map<Integer, NumaNode> nodes = new TreeMap<>();
        List<String> gaps = new ArrayList<>();
        try (Stream<Path> entries = Files.list(nodeDir)) {
            for (Path dir : entries.toList()) {
                Matcher m = NODE_DIR.matcher(dir.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                int id = Integer.parseInt(m.group(1));
                try {
                    nodes.put(id, new NumaNode(id, readCpuList(dir.resolve("cpulist"))));
                } catch (IOException | RuntimeException e) {
                    gaps.add("node" + id + ": " + describe(e));
                }
            }
        } catch (IOException | RuntimeException e) {
            return Reading.missing(nodeDir + " unreadable (" + describe(e) + ")");
        }
        return result(List.copyOf(nodes.values()), gaps, "NUMA nodes");
    }

    /**
     * For each CPU of {@code cpus}, the {@code shared_cpu_list} of its highest-level data or
     * unified cache ({@code cpu<N>/cache/index<K>}); CPUs sharing one make one domain.
     */
    Reading<List<CacheDomain>> lastLevelCaches(CpuSet cpus) {
        if (cpus.isEmpty()) {
            return Reading.missing("last-level caches unknown: no CPU known to look at");
        }
        Map<CpuSet, CacheDomain> domains = new LinkedHashMap<>();
        List<String> gaps = new ArrayList<>();
        for (int cpu : cpus.toArray()) {
            Path cacheDir = cpuDir.resolve("cpu" + cpu).resolve("cache");
            try (Stream<Path> entries = Files.list(cacheDir)) {
                CacheDomain highest = null;
                for (Path index : entries.filter(p -> CACHE_DIR.matcher(p.getFileName().toString()).matches()).toList()) {
                    String type = Files.readString(index.resolve("type")).strip();
                    if (type.equals("Instruction")) {
                        continue;   // an instruction cache holds no shared data
                    }
                    int level = readInt(index.resolve("level"));
                    if (highest == null || level > highest.level()) {
                        highest = new CacheDomain(level, readCpuList(index.resolve("shared_cpu_list")));
                    }
                }
                if (highest == null) {
                    gaps.add("cpu" + cpu + ": no data or unified cache in " + cacheDir);
                } else {
                    domains.putIfAbsent(highest.cpus(), highest);
                }
            } catch (IOException | RuntimeException e) {
                gaps.add("cpu" + cpu + ": " + describe(e));
            }
        }
        List<CacheDomain> sorted = domains.values().stream()
                .sorted(Comparator.comparingInt(d -> d.cpus().first())).toList();
        return result(sorted, gaps, "last-level caches");
    }

    private static <T> Reading<List<T>> result(List<T> found, List<String> gaps, String what) {
        if (gaps.isEmpty()) {
            return Reading.of(found);
        }
        String reason = summarize(gaps);
        return found.isEmpty() ? Reading.missing(what + " unknown: " + reason) : Reading.partial(found, what + " partial: " + reason);
    }

    /** The first gap, and how many more: one CPU's story usually tells all of them. */
    private static String summarize(List<String> gaps) {
        return gaps.getFirst() + (gaps.size() > 1 ? " (and " + (gaps.size() - 1) + " more)" : "");
    }

    private static Reading<CpuSet> cpuList(Path file) {
        try {
            return Reading.of(readCpuList(file));
        } catch (IOException | RuntimeException e) {
            return Reading.missing(describe(e));
        }
    }

    /** The first of {@code files} that exists, parsed as a CPU list. */
    private static CpuSet readCpuList(Path... files) throws IOException {
        for (Path file : files) {
            if (Files.exists(file)) {
                try {
                    return CpuSet.parse(Files.readString(file));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
                }
            }
        }
        throw new NoSuchFileException(files[0].toString());
    }

    private static int readInt(Path file) throws IOException {
        String text = Files.readString(file).strip();
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": \"" + text + "\" is not a number", e);
        }
    }

    private static String describe(Exception e) {
        return e instanceof NoSuchFileException ? "no " + e.getMessage() : e.getMessage();
    }
}
