// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.runner.options.TimeValue;

class BenchPlanTest {

    private static final BenchSettings SHORT = new BenchSettings("t", 1, 1, TimeValue.milliseconds(1), 1,
            TimeValue.milliseconds(1), false);
    private static final BenchSettings FULL = new BenchSettings("t", 1, 1, TimeValue.milliseconds(1), 1,
            TimeValue.milliseconds(1), true);

    private static final List<String> LOCKS = List.of("RWLOCK", "STAMPED", "ARENA_CLOSE");

    @Test
    void withoutTheNativeLibraryNoRowNeedsIt() {
        for (BenchSettings settings : List.of(SHORT, FULL)) {
            List<BenchRun> plan = BenchPlan.of(settings, 2, false, null);
            for (BenchRun run : plan) {
                assertFalse(run.benchmark() == DeferralBenchmark.class, run.toString());
                if (run.benchmark() == ReadPairBenchmark.class) {
                    List<String> impls = run.params().get("impl");
                    assertFalse(impls.contains("NATIVE_DIRECT") || impls.contains("NATIVE_DOWNCALL")
                            || impls.contains("JNA"), run.toString());
                    assertTrue(readPairRows(plan, run.threads(), run.kind()).contains("JAVA"), run.toString());
                }
                List<String> paths = run.params().get("path");
                if (paths != null) {
                    assertEquals(List.of(BenchPaths.JAVA), paths, run.toString());
                }
            }
        }
    }

    private static List<BenchRun> runsOf(List<BenchRun> plan, Class<?> benchmark) {
        return plan.stream().filter(r -> r.benchmark() == benchmark).toList();
    }

    @Test
    void theShortRunLooksUpAtTwoThreadsOnTheMainPathsAndTheThreeOtherProtections() {
        List<BenchRun> lookups = runsOf(BenchPlan.of(SHORT, 8, true, null), ReadMostlyBenchmark.class);
        assertEquals(2, lookups.size(), lookups.toString());
        for (BenchRun run : lookups) {
            assertEquals("lookup", run.method());
            assertEquals(2, run.threads(), run.toString());
            assertEquals(ThreadKind.PLATFORM, run.kind());
        }
        assertEquals(List.of("SRCU"), lookups.get(0).params().get("impl"));
        assertEquals(List.of(BenchPaths.NATIVE_DIRECT, BenchPaths.JAVA), lookups.get(0).params().get("path"));
        // One path for the locks (it means nothing to them), or JMH would fork them once per path.
        assertEquals(LOCKS, lookups.get(1).params().get("impl"));
        assertEquals(List.of(BenchPaths.NATIVE_DIRECT), lookups.get(1).params().get("path"));
        assertEquals(3, lookups.get(1).combinations());
    }

    @Test
    void theShortRunTimesGracePeriodsAndCallSrcuOnTheDefaultPathAtOneThread() {
        List<BenchRun> plan = BenchPlan.of(SHORT, 2, true, null);
        List<BenchRun> grace = runsOf(plan, GracePeriodBenchmark.class);
        assertEquals(1, grace.size());
        assertEquals(List.of("NORMAL", "EXPEDITED"), grace.get(0).params().get("kind"));
        assertEquals(List.of("IDLE", "BUSY"), grace.get(0).params().get("readers"));
        assertEquals(List.of(BenchPaths.NATIVE_DIRECT), grace.get(0).params().get("path"));
        assertEquals(4, grace.get(0).combinations());
        List<BenchRun> callSrcu = runsOf(plan, CallSrcuBenchmark.class);
        assertEquals(List.of("throughput", "callbackLatency", "call", "call", "callOwnDomain", "call", "call",
                "callOwnDomain", "call", "call", "callOwnDomain"), callSrcu.stream().map(BenchRun::method).toList());
        // The call alone at 1 and 2 threads, for the comparison with C's rows of 1 and 2 threads,
        // and 2 threads on a domain each: in rounds, each the three side by side.
        assertEquals(List.of(1, 1, 1, 2, 2, 1, 2, 2, 1, 2, 2), callSrcu.stream().map(BenchRun::threads).toList());
        assertEquals(1, grace.get(0).threads());
        for (BenchRun run : callSrcu) {
            assertEquals(ThreadKind.PLATFORM, run.kind(), run.toString());
            assertEquals(List.of(BenchPaths.NATIVE_DIRECT), run.params().get("path"));
        }
    }

    @Test
    void theWorkloadsAddTwentyForksToTheShortRun() {
        // 2 + 3 lookups, 4 grace periods, 2 + 3 x 3 callSrcu (make run's forks measure for
        // about 1.4 s each: a warm-up of 0.5 s and three iterations of 0.3 s).
        List<BenchRun> plan = BenchPlan.of(SHORT, 2, true, null);
        int workloads = BenchPlan.forks(plan.stream().filter(r -> r.benchmark() == ReadMostlyBenchmark.class
                || r.benchmark() == GracePeriodBenchmark.class || r.benchmark() == CallSrcuBenchmark.class).toList());
        assertEquals(20, workloads);
    }

    @Test
    void theFullRunPutsEveryWorkloadOnEveryPathAndTheLookupsAtEveryThreadCount() {
        List<BenchRun> plan = BenchPlan.of(FULL, 2, true, null);
        List<BenchRun> lookups = runsOf(plan, ReadMostlyBenchmark.class);
        assertEquals(List.of(1, 1, 2, 2, 4, 4), lookups.stream().map(BenchRun::threads).toList());
        lookups.stream().filter(r -> r.params().get("impl").equals(List.of("SRCU")))
                .forEach(r -> assertEquals(BenchPaths.ALL, r.params().get("path"), r.toString()));
        runsOf(plan, GracePeriodBenchmark.class)
                .forEach(r -> assertEquals(BenchPaths.ALL, r.params().get("path"), r.toString()));
        List<BenchRun> callSrcu = runsOf(plan, CallSrcuBenchmark.class);
        callSrcu.stream().filter(r -> !r.method().equals("call") && !r.method().equals("callOwnDomain"))
                .forEach(r -> assertEquals(BenchPaths.ALL, r.params().get("path"), r.toString()));
        List<BenchRun> own = callSrcu.stream().filter(r -> r.method().equals("callOwnDomain")).toList();
        assertEquals(BenchPlan.FULL_CALL_ROUNDS, own.size(), "a domain each, beside every round");
        own.forEach(r -> assertEquals(List.of(BenchPaths.NATIVE_DIRECT), r.params().get("path"), r.toString()));
        own.forEach(r -> assertEquals(2, r.threads(), r.toString()));
        // The call: the default path in rounds, the others once, at 1 and 2 threads.
        for (int t : new int[] {1, 2}) {
            int threads = t;
            List<String> paths = callSrcu.stream().filter(r -> r.method().equals("call") && r.threads() == threads)
                    .flatMap(r -> r.params().get("path").stream()).toList();
            assertEquals(BenchPlan.FULL_CALL_ROUNDS, paths.stream().filter(BenchPaths.NATIVE_DIRECT::equals).count());
            assertEquals(Set.copyOf(BenchPaths.ALL), Set.copyOf(paths), paths.toString());
        }
    }

    @Test
    void thePlanFixesEveryParameterThatWouldOtherwiseForkMoreThanOnce() {
        // A @Param the plan leaves out runs with every value of its annotation (every constant of
        // an enum): more forks than BenchPlan.forks counts.
        for (BenchSettings settings : List.of(SHORT, FULL)) {
            for (BenchRun run : BenchPlan.of(settings, 2, true, null)) {
                for (Field field : run.benchmark().getFields()) {
                    Param param = field.getAnnotation(Param.class);
                    if (param != null && !run.params().containsKey(field.getName())) {
                        int values = field.getType().isEnum() && param.value().length == 0
                                ? field.getType().getEnumConstants().length : param.value().length;
                        assertEquals(1, values, run + ": " + field.getName() + " is left to JMH");
                    }
                }
            }
        }
    }

    @Test
    void eachBenchmarkReportsInItsOwnTimeUnit() {
        // No unit is forced on the command line: µs for grace periods, ns for read pairs.
        for (BenchRun run : BenchPlan.of(SHORT, 2, true, null)) {
            assertFalse(run.options(SHORT, new String[0]).getTimeUnit().hasValue(), run.toString());
        }
    }

    @Test
    void threadCountsAreOneTwoAndTheCpusDeduplicated() {
        assertEquals(List.of(1, 2, 8), BenchPlan.of(SHORT, 8, true, null).stream()
                .filter(r -> r.kind() == ThreadKind.PLATFORM && r.benchmark() == ReadPairBenchmark.class)
                .map(BenchRun::threads).distinct().toList());
        assertEquals(List.of(1, 2, 4), BenchPlan.of(FULL, 2, true, null).stream()
                .filter(r -> r.kind() == ThreadKind.VIRTUAL).map(BenchRun::threads).distinct().toList());
    }

    /** Every read-pair row run at {@code threads} on {@code kind}, over all the plan's runs. */
    private static Set<String> readPairRows(List<BenchRun> plan, int threads, ThreadKind kind) {
        Set<String> rows = new HashSet<>();
        plan.stream().filter(r -> r.benchmark() == ReadPairBenchmark.class && r.threads() == threads
                && r.kind() == kind).forEach(r -> rows.addAll(r.params().get("impl")));
        return rows;
    }

    @Test
    void theFullRunPutsEveryReadPairRowOnVirtualThreads() {
        int all = ReadPairBenchmark.Impl.values().length;
        for (int t : new int[] {1, 2, 4}) {
            assertEquals(all, readPairRows(BenchPlan.of(FULL, 2, true, null), t, ThreadKind.VIRTUAL).size());
        }
        for (int t : new int[] {1, 2}) {
            assertTrue(readPairRows(BenchPlan.of(SHORT, 2, true, null), t, ThreadKind.VIRTUAL).size() < all);
        }
    }

    @Test
    void theAimsRowsRunInRoundsAtOneAndTwoThreadsAndEveryOtherRowOnce() {
        for (boolean nativeAvailable : new boolean[] {true, false}) {
            List<String> aims = List.of(nativeAvailable ? "NATIVE_DIRECT" : "JAVA", "FULL_FENCE");
            List<BenchRun> plan = BenchPlan.of(SHORT, 4, nativeAvailable, null);
            List<BenchRun> pairs = runsOf(plan, ReadPairBenchmark.class);
            for (ThreadKind kind : ThreadKind.values()) {
                for (int t : new int[] {1, 2, 4}) {
                    Map<String, Integer> times = new HashMap<>();
                    pairs.stream().filter(r -> r.threads() == t && r.kind() == kind)
                            .forEach(r -> r.params().get("impl").forEach(i -> times.merge(i, 1, Integer::sum)));
                    times.forEach((impl, n) -> assertEquals(aims.contains(impl) && t <= 2 ? BenchPlan.AIM_ROUNDS : 1,
                            n, impl + " " + kind + " " + t));
                }
            }
            // The rounds open and close the read pairs, so both ends of that stretch meet them.
            assertEquals(aims, pairs.get(0).params().get("impl"));
            assertEquals(aims, pairs.get(pairs.size() - 1).params().get("impl"));
            pairs.forEach(r -> assertFalse(r.params().get("impl").isEmpty(), r.toString()));
        }
    }

    @Test
    void theCallRowsForkWithAFixedHeapTouchedFromTheStartAndNoOtherRowDoes() {
        List<String> heap = List.of(CallSrcuBenchmark.HEAP_MIN, CallSrcuBenchmark.HEAP_MAX, CallSrcuBenchmark.PRE_TOUCH);
        for (BenchRun run : BenchPlan.of(SHORT, 4, true, null)) {
            List<String> args = List.of(run.options(SHORT, new String[] {"--enable-native-access=ALL-UNNAMED"})
                    .getJvmArgsAppend().get().toArray(String[]::new));
            boolean call = run.benchmark() == CallSrcuBenchmark.class
                    && (run.method().equals("call") || run.method().equals("callOwnDomain"));
            assertEquals(call, args.containsAll(heap), run.toString());
            assertEquals(1, args.stream().filter("--enable-native-access=ALL-UNNAMED"::equals).count(), run.toString());
        }
    }

    @Test
    void repeatedRoundsBecomeTheirMedianRound() {
        List<Measurement> rounds = List.of(pair("NATIVE_DIRECT", 4.6), pair("FULL_FENCE", 2.0),
                pair("NATIVE_DIRECT", 2.5), pair("FULL_FENCE", 2.2), pair("NATIVE_DIRECT", 2.7),
                pair("FULL_FENCE", 1.9), pair("JAVA", 8.0));
        List<Measurement> merged = Measurement.medianRounds(rounds);
        assertEquals(List.of("NATIVE_DIRECT", "FULL_FENCE", "JAVA"), merged.stream().map(m -> m.param("impl")).toList());
        assertEquals(List.of(2.7, 2.0, 8.0), merged.stream().map(Measurement::score).toList());
        assertEquals(2.2, Measurement.medianRounds(List.of(pair("X", 2.2), pair("X", 1.0))).get(0).score(),
                "of two, the upper");
    }

    private static Measurement pair(String impl, double ns) {
        return new Measurement(Results.READ_PAIR, Map.of("impl", impl), 1, ThreadKind.PLATFORM, ns, ns / 10, "ns/op");
    }

    @Test
    void threadListsAreParsedOrRefusedByName() {
        assertArrayEquals(new int[] {1, 2, 4}, BenchPlan.parseThreads("4, 1,2,2"));
        var e = assertThrows(IllegalArgumentException.class, () -> BenchPlan.parseThreads("1,x"));
        assertTrue(e.getMessage().contains("srcu4j.bench.threads"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BenchPlan.parseThreads("0"));
    }

    @Test
    void aVirtualForkIsRecognisedFromItsJvmArguments() {
        assertEquals(ThreadKind.VIRTUAL, ThreadKind.of(List.of("-Xmx1g", "-Djmh.executor=VIRTUAL")));
        assertEquals(ThreadKind.PLATFORM, ThreadKind.of(List.of("-Xmx1g")));
    }
}
