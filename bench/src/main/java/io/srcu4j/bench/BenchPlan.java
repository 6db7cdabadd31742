// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Which benchmarks a report runs: the matrix of {@code make run} (the main paths at 1 thread and
 * at the CPU count, virtual threads for the default path) or of {@code make bench} (every path at
 * 1, 2, CPUs and 2 x CPUs threads, platform and virtual; 2 threads always, for the figures
 * summary.json names by it). Rows that need libsrcu4j are left out when
 * it did not load; the report says why. The rows the read-side aims compare (the default path
 * and the fence, at 1 and 2 threads) run in {@value #AIM_ROUNDS} rounds, each one JMH run of
 * the two side by side, and the report takes each row's median round: on a shared machine a
 * fork's JIT, placement and neighbours move a read pair by a third, and rounds spread over the
 * run meet the same neighbours on both rows.
 *
 * <p>The workloads: read-mostly lookups at 2 threads (SRCU on native-direct and java, the three
 * other protections), grace periods (both kinds, idle and busy) and callSrcu (throughput and
 * latency, and the call at 1 and 2 threads, and at 2 on a domain each, in {@value #CALL_ROUNDS}
 * rounds, {@value #FULL_CALL_ROUNDS} in {@code make bench}) on the default path;
 * {@code make bench} runs them on every path, the lookups at every thread count.
 */
final class BenchPlan {

    /** Rounds of the rows the read-side aims compare. */
    static final int AIM_ROUNDS = 3;
    /** Rounds of callSrcu's call at 1 and 2 threads, and at 2 on a domain each, on the default
     *  path (CallSrcuVsC's ratios). */
    static final int CALL_ROUNDS = 3;
    /** The same in {@code make bench}: the 2-thread call shares both CPUs with the workers, so
     *  neighbours move it most, and its rounds' ratios spread by 0.3 on a 2-CPU VM; four more
     *  rounds steady the median for about 2 minutes. */
    static final int FULL_CALL_ROUNDS = 7;

    private BenchPlan() {
    }

    static List<BenchRun> of(BenchSettings settings, int cpus, boolean nativeAvailable, int[] threadOverride) {
        int[] threads = threadOverride != null ? threadOverride
                : settings.full() ? distinct(1, 2, cpus, 2 * cpus) : distinct(1, 2, cpus);
        int busiest = threads[threads.length - 1];
        List<BenchRun> runs = new ArrayList<>();

        List<String> readPairImpls = new ArrayList<>();
        for (ReadPairBenchmark.Impl impl : ReadPairBenchmark.Impl.values()) {
            if (nativeAvailable || !(impl.isSrcu() && BenchPaths.needsNative(impl.path))) {
                readPairImpls.add(impl.name());
            }
        }
        // Virtual threads: the srcu4j paths without a downcall against the fence; the full run
        // adds every row.
        List<String> virtualImpls = settings.full() ? readPairImpls : readPairImpls.stream()
                .filter(i -> i.equals("NATIVE_DIRECT") || i.equals("JAVA") || i.equals("FULL_FENCE"))
                .toList();
        List<String> aimImpls = List.of(implOf(BenchPaths.defaultPath(nativeAvailable)), Results.BASELINE);
        List<BenchRun> rest = new ArrayList<>();
        List<BenchRun> aims = new ArrayList<>();
        for (ThreadKind kind : ThreadKind.values()) {
            for (int t : threads) {
                List<String> impls = kind == ThreadKind.VIRTUAL ? virtualImpls : readPairImpls;
                List<String> others = t > 2 ? impls : impls.stream().filter(i -> !aimImpls.contains(i)).toList();
                if (t <= 2) {
                    aims.add(new BenchRun(ReadPairBenchmark.class, "readPair", Map.of("impl", aimImpls), t, kind));
                }
                if (!others.isEmpty()) {
                    rest.add(new BenchRun(ReadPairBenchmark.class, "readPair", Map.of("impl", others), t, kind));
                }
            }
        }
        // The rounds spread over the read pairs: first, between the others, and last.
        int between = Math.ceilDiv(rest.size(), AIM_ROUNDS - 1);
        for (int round = 0; round < AIM_ROUNDS; round++) {
            runs.addAll(aims);
            runs.addAll(rest.subList(Math.min(round * between, rest.size()),
                    Math.min((round + 1) * between, rest.size())));
        }

        List<String> handOver = List.of(DeferralBenchmark.Impl.CALL_SRCU.name(),
                DeferralBenchmark.Impl.DEFER.name());
        if (nativeAvailable) {
            runs.add(new BenchRun(DeferralBenchmark.class, "handOver", Map.of("impl", handOver), 1,
                    ThreadKind.PLATFORM));
            if (settings.full()) {
                runs.add(new BenchRun(DeferralBenchmark.class, "handOver", Map.of("impl", handOver),
                        busiest, ThreadKind.PLATFORM));
            }
        }
        runs.addAll(workloads(settings, nativeAvailable,
                threadOverride != null ? threadOverride : settings.full() ? threads : new int[] {2}));
        return runs;
    }

    /** The read-mostly, grace-period and callSrcu runs; {@code lookupThreads}: the reader counts. */
    private static List<BenchRun> workloads(BenchSettings settings, boolean nativeAvailable, int[] lookupThreads) {
        List<String> paths = settings.full() ? BenchPaths.available(nativeAvailable)
                : List.of(BenchPaths.defaultPath(nativeAvailable));
        List<String> srcuLookupPaths = settings.full() ? paths : BenchPaths.main(nativeAvailable);
        List<String> lockImpls = Arrays.stream(ReadMostlyBenchmark.Impl.values())
                .filter(i -> i != ReadMostlyBenchmark.Impl.SRCU).map(Enum::name).toList();
        List<BenchRun> runs = new ArrayList<>();
        for (int t : lookupThreads) {
            // Two runs, as the path means something to the SRCU rows only: the others get one
            // value, so that JMH does not fork them once per path.
            runs.add(new BenchRun(ReadMostlyBenchmark.class, "lookup",
                    Map.of("impl", List.of(ReadMostlyBenchmark.Impl.SRCU.name()), "path", srcuLookupPaths), t,
                    ThreadKind.PLATFORM));
            runs.add(new BenchRun(ReadMostlyBenchmark.class, "lookup",
                    Map.of("impl", lockImpls, "path", List.of(BenchPaths.defaultPath(nativeAvailable))), t,
                    ThreadKind.PLATFORM));
        }
        runs.add(new BenchRun(GracePeriodBenchmark.class, "gracePeriod", Map.of(
                "kind", names(GracePeriodBenchmark.Kind.values()),
                "readers", names(GracePeriodBenchmark.Readers.values()),
                "path", paths), 1, ThreadKind.PLATFORM));
        for (String method : List.of("throughput", "callbackLatency")) {
            runs.add(new BenchRun(CallSrcuBenchmark.class, method, Map.of("path", paths), 1, ThreadKind.PLATFORM));
        }
        // The call at 1 and 2 threads, for the comparison with C's call_srcu rows (CallSrcuVsC): on
        // the default path in rounds, each the three one right after the other (the third: 2
        // threads on a domain each, the machine's floor under the 2-thread ratio), for the
        // medians; the other paths (make bench) once.
        String def = BenchPaths.defaultPath(nativeAvailable);
        for (int round = 0, rounds = settings.full() ? FULL_CALL_ROUNDS : CALL_ROUNDS; round < rounds; round++) {
            for (int t : new int[] {1, 2}) {
                runs.add(new BenchRun(CallSrcuBenchmark.class, "call", Map.of("path", List.of(def)), t,
                        ThreadKind.PLATFORM));
            }
            runs.add(new BenchRun(CallSrcuBenchmark.class, "callOwnDomain", Map.of("path", List.of(def)), 2,
                    ThreadKind.PLATFORM));
        }
        List<String> others = paths.stream().filter(p -> !p.equals(def)).toList();
        if (!others.isEmpty()) {
            for (int t : new int[] {1, 2}) {
                runs.add(new BenchRun(CallSrcuBenchmark.class, "call", Map.of("path", others), t, ThreadKind.PLATFORM));
            }
        }
        return runs;
    }

    private static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toList();
    }

    /** Benchmarks (parameter combinations) all runs make together. */
    static int forks(List<BenchRun> runs) {
        return runs.stream().mapToInt(BenchRun::combinations).sum();
    }


    /** The read-pair row that runs srcu4j on {@code path}. */
    private static String implOf(String path) {
        for (ReadPairBenchmark.Impl impl : ReadPairBenchmark.Impl.values()) {
            if (path.equals(impl.path)) {
                return impl.name();
            }
        }
        throw new IllegalArgumentException("no read-pair row runs " + path);
    }

    private static int[] distinct(int... counts) {
        return IntStream.of(counts).filter(c -> c >= 1).distinct().sorted().toArray();
    }

    /** A list like "1,2,4" as sorted distinct counts; null for null. */
    static int[] parseThreads(String spec) {
        if (spec == null) {
            return null;
        }
        try {
            int[] counts = Arrays.stream(spec.split(",")).map(String::strip).mapToInt(Integer::parseInt)
                    .distinct().sorted().toArray();
            if (counts.length > 0 && counts[0] >= 1) {
                return counts;
            }
        } catch (NumberFormatException ignored) {
            // Reported below.
        }
        throw new IllegalArgumentException("srcu4j.bench.threads: expected a list like 1,2,4, got '" + spec + "'");
    }
}
