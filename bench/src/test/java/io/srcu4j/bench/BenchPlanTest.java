package io.srcu4j.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.List;
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
            for (BenchRun run : BenchPlan.of(settings, 2, false, null)) {
                assertFalse(run.benchmark() == DeferralBenchmark.class, run.toString());
                if (run.benchmark() == ReadPairBenchmark.class) {
                    List<String> impls = run.params().get("impl");
                    assertFalse(impls.contains("NATIVE_DIRECT") || impls.contains("NATIVE_DOWNCALL")
                            || impls.contains("JNA"), run.toString());
                    assertTrue(impls.contains("JAVA"), run.toString());
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
        assertEquals(List.of("throughput", "callbackLatency"), callSrcu.stream().map(BenchRun::method).toList());
        assertEquals(1, grace.get(0).threads());
        for (BenchRun run : callSrcu) {
            assertEquals(1, run.threads(), run.toString());
            assertEquals(List.of(BenchPaths.NATIVE_DIRECT), run.params().get("path"));
        }
    }

    @Test
    void theWorkloadsAddElevenForksToTheShortRun() {
        // 2 + 3 lookups, 4 grace periods, 2 callSrcu: at about 3 s a fork, within the minute
        // make run may grow by.
        List<BenchRun> plan = BenchPlan.of(SHORT, 2, true, null);
        int workloads = BenchPlan.forks(plan.stream().filter(r -> r.benchmark() == ReadMostlyBenchmark.class
                || r.benchmark() == GracePeriodBenchmark.class || r.benchmark() == CallSrcuBenchmark.class).toList());
        assertEquals(11, workloads);
    }

    @Test
    void theFullRunPutsEveryWorkloadOnEveryPathAndTheLookupsAtEveryThreadCount() {
        List<BenchRun> plan = BenchPlan.of(FULL, 2, true, null);
        List<BenchRun> lookups = runsOf(plan, ReadMostlyBenchmark.class);
        assertEquals(List.of(1, 1, 2, 2, 4, 4), lookups.stream().map(BenchRun::threads).toList());
        lookups.stream().filter(r -> r.params().get("impl").equals(List.of("SRCU")))
                .forEach(r -> assertEquals(BenchPaths.ALL, r.params().get("path"), r.toString()));
        for (Class<?> benchmark : List.of(GracePeriodBenchmark.class, CallSrcuBenchmark.class)) {
            runsOf(plan, benchmark).forEach(r -> assertEquals(BenchPaths.ALL, r.params().get("path"), r.toString()));
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
                .map(BenchRun::threads).toList());
        assertEquals(List.of(1, 2, 4), BenchPlan.of(FULL, 2, true, null).stream()
                .filter(r -> r.kind() == ThreadKind.VIRTUAL).map(BenchRun::threads).toList());
    }

    @Test
    void theFullRunPutsEveryReadPairRowOnVirtualThreads() {
        int all = ReadPairBenchmark.Impl.values().length;
        BenchPlan.of(FULL, 2, true, null).stream().filter(r -> r.kind() == ThreadKind.VIRTUAL)
                .forEach(r -> assertEquals(all, r.params().get("impl").size(), r.toString()));
        BenchPlan.of(SHORT, 2, true, null).stream().filter(r -> r.kind() == ThreadKind.VIRTUAL)
                .forEach(r -> assertTrue(r.params().get("impl").size() < all, r.toString()));
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
