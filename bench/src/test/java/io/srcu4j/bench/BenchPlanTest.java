package io.srcu4j.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.TimeValue;

class BenchPlanTest {

    private static final BenchSettings SHORT = new BenchSettings("t", 1, 1, TimeValue.milliseconds(1), 1,
            TimeValue.milliseconds(1), false);
    private static final BenchSettings FULL = new BenchSettings("t", 1, 1, TimeValue.milliseconds(1), 1,
            TimeValue.milliseconds(1), true);

    @Test
    void withoutTheNativeLibraryNoRowNeedsIt() {
        List<BenchRun> plan = BenchPlan.of(SHORT, 2, false, null);
        for (BenchRun run : plan) {
            assertFalse(run.benchmark() == DeferralBenchmark.class, run.toString());
            List<String> impls = run.params().get("impl");
            assertFalse(impls.contains("NATIVE_DIRECT") || impls.contains("NATIVE_DOWNCALL")
                    || impls.contains("JNA"), run.toString());
            assertTrue(impls.contains("JAVA"), run.toString());
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
