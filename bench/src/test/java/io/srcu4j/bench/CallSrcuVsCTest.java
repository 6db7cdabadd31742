// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallSrcuVsCTest {

    private static final String PATH = BenchPaths.defaultPath();

    private static Measurement call(int threads, double ns) {
        return new Measurement(Results.CALL_SRCU_CALL, Map.of("path", PATH), threads, ThreadKind.PLATFORM, ns, 1.0,
                "ns/op");
    }

    /** A run of the call with CallCpu's counters: 1000 calls, and each CPU figure per call. */
    private static Measurement call(int threads, double ns, double cpu, double workers, double gc) {
        return new Measurement(Results.CALL_SRCU_CALL, Map.of("path", PATH), threads, ThreadKind.PLATFORM, ns, 1.0,
                "ns/op", Map.of(CallSrcuVsC.CALLS, 1000.0, CallSrcuVsC.CALLER_CPU, 1000 * cpu,
                        CallSrcuVsC.WORKER_CPU, 1000 * workers, CallSrcuVsC.GC_CPU, 1000 * gc));
    }

    /** bench_defer.c's rows: whole run per item, until the last call returned per item, CPU per call. */
    private static final NativeResults C = new NativeResults("t", List.of(
            new NativeResults.Row("call_srcu_classic", "srcu4j", "", 36.7, Double.NaN),
            new NativeResults.Row(CallSrcuVsC.C_1T, "srcu4j", "", 36.0, 25.0, Map.of("enqueue_cpu_ns_per_call", 20.0)),
            new NativeResults.Row(CallSrcuVsC.C_2T, "srcu4j", "", 87.0, 40.0, Map.of("enqueue_cpu_ns_per_call", 30.0))), null);

    private static Map<String, Figure> byKey(Results r) {
        Map<String, Figure> figures = new LinkedHashMap<>();
        r.callSrcuVsC().forEach(f -> figures.put(f.key(), f));
        return figures;
    }

    @Test
    void javaIsComparedWithTheCallsOfCsRowNotItsWholeRun() {
        Results r = new Results(List.of(call(1, 45.0), call(2, 70.0)), List.of(), C, List.of());
        Map<String, Figure> f = byKey(r);
        assertEquals(45.0, f.get("java_1t_ns").value().getAsDouble(), 1e-9);
        assertEquals(25.0, f.get("c_1t_ns").value().getAsDouble(), 1e-9, "enqueue_ns_per_op, not ns_per_op");
        assertEquals(1.8, f.get("java_to_c_1t").value().getAsDouble(), 1e-9);
        assertEquals(Figure.OK, f.get("java_to_c_1t").mark());
        assertEquals(70.0 / 45.0, f.get("java_2t_to_1t").value().getAsDouble(), 1e-9);
        assertEquals(Figure.MISS, f.get("java_2t_to_1t").mark(), "1.56x is over 1.2x");
        // Two threads each made half the calls before the later one returned.
        assertEquals(80.0, f.get("c_2t_ns").value().getAsDouble(), 1e-9);
        assertEquals(80.0 / 25.0, f.get("c_2t_to_1t").value().getAsDouble(), 1e-9);
        assertEquals(Figure.MISS, f.get("c_2t_to_1t").mark(), "C is held to the same aim");
        // C's CPU time per call is each enqueuer's own already.
        assertEquals(20.0, f.get("c_1t_cpu_ns").value().getAsDouble(), 1e-9);
        assertEquals(1.5, f.get("c_2t_to_1t_cpu").value().getAsDouble(), 1e-9);
        assertEquals(36.0, f.get("c_throughput_ns").value().getAsDouble(), 1e-9);
        assertTrue(f.get("java_1t_cpu_ns").value().isEmpty(), "no counters, no CPU figure");
        assertTrue(f.get("java_1t_cpu_ns").note().contains("CPU counters"), f.get("java_1t_cpu_ns").note());
        assertEquals(Figure.NOT_MEASURED, f.get("java_2t_to_1t_cpu").mark());
    }

    /**
     * Rounds, each 1 thread then 2: each figure is the median over the rounds, each ratio the
     * median of the rounds' own ratios (which a slow round for both thread counts leaves alone).
     */
    @Test
    void roundsGiveMediansAndPairedRatios() {
        List<Measurement> rounds = List.of(
                call(1, 20.0, 10.0, 3.0, 1.0), call(2, 30.0, 11.0, 2.0, 0.5),
                call(1, 100.0, 40.0, 3.0, 1.0), call(2, 110.0, 42.0, 2.0, 0.5),   // a noisy round
                call(1, 22.0, 10.0, 3.0, 1.0), call(2, 24.0, 12.0, 2.0, 0.5));
        Map<String, Figure> f = byKey(new Results(rounds, List.of(), C, List.of()));
        assertEquals(22.0, f.get("java_1t_ns").value().getAsDouble(), 1e-9);
        assertEquals(30.0, f.get("java_2t_ns").value().getAsDouble(), 1e-9);
        assertEquals(10.0, f.get("java_1t_cpu_ns").value().getAsDouble(), 1e-9);
        assertEquals(12.0, f.get("java_2t_cpu_ns").value().getAsDouble(), 1e-9);
        // Rounds' ratios 1.5, 1.1, 1.09: the median 1.1, not 30 / 22.
        assertEquals(1.1, f.get("java_2t_to_1t").value().getAsDouble(), 1e-9);
        assertEquals(Figure.OK, f.get("java_2t_to_1t").mark());
        assertEquals(1.1, f.get("java_2t_to_1t_cpu").value().getAsDouble(), 1e-9);
        // The spread of the rounds' ratios beside their median: cpu 1.1, 1.05, 1.2.
        assertTrue(f.get("java_2t_to_1t").note().contains("median of the rounds' ratios (1.09 to 1.50)"),
                f.get("java_2t_to_1t").note());
        assertTrue(f.get("java_2t_to_1t_cpu").note().contains("(1.05 to 1.20)"), f.get("java_2t_to_1t_cpu").note());
        assertEquals(2.0, f.get("java_2t_workers_ns").value().getAsDouble(), 1e-9);
        assertEquals(0.5, f.get("java_2t_gc_ns").value().getAsDouble(), 1e-9);
        assertEquals(0.5, f.get("java_to_c_1t_cpu").value().getAsDouble(), 1e-9);
    }

    /** A run of callOwnDomain, 2 threads each on a domain of its own, with CallCpu's counters. */
    private static Measurement ownDomains(double ns, double cpu) {
        return new Measurement(Results.CALL_SRCU_OWN_DOMAIN, Map.of("path", PATH), 2, ThreadKind.PLATFORM, ns, 1.0,
                "ns/op", Map.of(CallSrcuVsC.CALLS, 1000.0, CallSrcuVsC.CALLER_CPU, 1000 * cpu,
                        CallSrcuVsC.WORKER_CPU, 0.0, CallSrcuVsC.GC_CPU, 0.0));
    }

    /**
     * Each round's third run, 2 threads on a domain each, is the floor: its ratio to the round's
     * 1-thread run, and the round's 2-thread run on one domain against it, each the median of the
     * rounds' ratios.
     */
    @Test
    void twoThreadsOnADomainEachAreTheFloorUnderTheTwoThreadRatio() {
        List<Measurement> rounds = List.of(
                call(1, 20.0, 10.0, 0, 0), call(2, 26.0, 12.0, 0, 0), ownDomains(22.0, 11.0),
                call(1, 40.0, 20.0, 0, 0), call(2, 52.0, 26.0, 0, 0), ownDomains(44.0, 24.0),
                call(1, 20.0, 10.0, 0, 0), call(2, 24.0, 13.0, 0, 0), ownDomains(21.0, 10.5));
        Map<String, Figure> f = byKey(new Results(rounds, List.of(), C, List.of()));
        // CPU: own / 1 thread 1.1, 1.2, 1.05; one / own 12/11, 26/24, 13/10.5.
        assertEquals(1.1, f.get("java_2t_own_to_1t_cpu").value().getAsDouble(), 1e-9);
        assertEquals(12.0 / 11.0, f.get("java_2t_to_own_cpu").value().getAsDouble(), 1e-9);
        assertEquals(1.1, f.get("java_2t_own_to_1t").value().getAsDouble(), 1e-9, "wall: 1.1, 1.1, 1.05");
        assertEquals("", f.get("java_2t_to_own_cpu").mark(), "no aim of its own");

        Map<String, Figure> without = byKey(new Results(List.of(call(1, 20.0, 10.0, 0, 0), call(2, 26.0, 12.0, 0, 0)),
                List.of(), C, List.of()));
        assertTrue(without.get("java_2t_to_own_cpu").value().isEmpty());
        assertTrue(without.get("java_2t_to_own_cpu").note().contains("callOwnDomain"));
    }

    /**
     * The wall ratio the CPU times predict: on 2 CPUs, with the workers and the collector busy
     * 0.2 of a CPU at 2 threads, each caller gets 0.9 of one, so its wall time is 2 / 1.8 its CPU
     * time; with CPUs to spare, the CPU ratio itself.
     */
    @Test
    void theSharingFigureSaysWhatTheWorkersAndTheCollectorLeaveTheCallers() {
        // 2.5 + 2.5 ns of other CPU per call, 50 ns per call per thread: 5 * 2 / 50 = 0.2 CPUs.
        List<Measurement> runs = List.of(call(1, 40.0, 40.0, 2.5, 0.0), call(2, 50.0, 44.0, 2.5, 2.5));
        Results r = new Results(runs, List.of(), C, List.of());
        Map<String, Figure> on2 = new LinkedHashMap<>();
        CallSrcuVsC.figures(r, PATH, 2).forEach(fig -> on2.put(fig.key(), fig));
        assertEquals(1.1 * 2 / 1.8, on2.get("java_2t_to_1t_sharing").value().getAsDouble(), 1e-9);
        assertTrue(on2.get("java_2t_to_1t_sharing").note().contains("1.80 of 2 CPUs"),
                on2.get("java_2t_to_1t_sharing").note());
        Map<String, Figure> on8 = new LinkedHashMap<>();
        CallSrcuVsC.figures(r, PATH, 8).forEach(fig -> on8.put(fig.key(), fig));
        assertEquals(1.1, on8.get("java_2t_to_1t_sharing").value().getAsDouble(), 1e-9);
    }

    /**
     * C's rows carry the workers' CPU time while the enqueuers queued: at 2 threads, 4 ns per call
     * and 40 ns per call per thread keep 4 * 2 / 40 = 0.2 CPUs busy, so the CPU ratio 1.5 allows
     * a wall ratio of 1.5 * 2 / 1.8 on 2 CPUs.
     */
    @Test
    void cHasItsSharingFigureFromItsWorkersCpuTime() {
        NativeResults c = new NativeResults("t", List.of(
                new NativeResults.Row(CallSrcuVsC.C_1T, "srcu4j", "", 36.0, 25.0,
                        Map.of("enqueue_cpu_ns_per_call", 20.0, CallSrcuVsC.C_WORKERS_CPU, 6.0)),
                new NativeResults.Row(CallSrcuVsC.C_2T, "srcu4j", "", 87.0, 20.0,
                        Map.of("enqueue_cpu_ns_per_call", 30.0, CallSrcuVsC.C_WORKERS_CPU, 4.0))), null);
        Map<String, Figure> f = new LinkedHashMap<>();
        CallSrcuVsC.figures(new Results(List.of(call(1, 45.0), call(2, 70.0)), List.of(), c, List.of()), PATH, 2)
                .forEach(fig -> f.put(fig.key(), fig));
        assertEquals(6.0, f.get("c_1t_workers_ns").value().getAsDouble(), 1e-9);
        assertEquals(4.0, f.get("c_2t_workers_ns").value().getAsDouble(), 1e-9);
        assertEquals(1.5 * 2 / 1.8, f.get("c_2t_to_1t_sharing").value().getAsDouble(), 1e-9);
        assertTrue(f.get("c_2t_to_1t_sharing").note().contains("1.80 of 2 CPUs the workers (0.20 CPUs)"),
                f.get("c_2t_to_1t_sharing").note());
        // bench_defer.c output without the field: no figure, and the note says what is missing.
        Map<String, Figure> old = byKey(new Results(List.of(call(1, 45.0), call(2, 70.0)), List.of(), C, List.of()));
        assertTrue(old.get("c_2t_to_1t_sharing").value().isEmpty());
        assertTrue(old.get("c_2t_workers_ns").note().contains(CallSrcuVsC.C_2T), old.get("c_2t_workers_ns").note());
    }

    @Test
    void aJavaCallOverTwiceCsIsAMiss() {
        Map<String, Figure> f = byKey(new Results(List.of(call(1, 100.0), call(2, 120.0)), List.of(), C, List.of()));
        assertEquals(Figure.MISS, f.get("java_to_c_1t").mark());
        assertEquals(Figure.OK, f.get("java_2t_to_1t").mark());
    }

    @Test
    void withoutNativeJsonTheReportSaysSoInsteadOfARatio() {
        NativeResults none = NativeResults.read(Path.of("no-such-directory"));
        Results r = new Results(List.of(call(1, 45.0), call(2, 70.0)), List.of(), none, List.of());
        Map<String, Figure> f = byKey(r);
        assertTrue(f.get("java_to_c_1t").value().isEmpty());
        assertEquals(Figure.NOT_MEASURED, f.get("java_to_c_1t").mark());
        assertTrue(f.get("c_1t_ns").note().contains("native.json"), f.get("c_1t_ns").note());
        assertTrue(f.get("java_to_c_1t").note().contains("no C figure"), f.get("java_to_c_1t").note());
        String console = r.consoleText();
        assertTrue(console.contains("== callSrcu against C"), console);
        assertTrue(console.contains("did not run"), console);
    }

    @Test
    void aNativeJsonWithoutTheRowIsNamed() {
        NativeResults old = new NativeResults("t", List.of(new NativeResults.Row("full_fence", "baseline", "", 8.0)),
                null);
        Map<String, Figure> f = byKey(new Results(List.of(call(1, 45.0)), List.of(), old, List.of()));
        assertTrue(f.get("c_1t_ns").note().contains("no " + CallSrcuVsC.C_1T), f.get("c_1t_ns").note());
        assertTrue(f.get("java_2t_ns").note().contains("gave no result"), f.get("java_2t_ns").note());
    }

    @Test
    void theReportFilesCarryTheComparison() {
        Results r = new Results(List.of(call(1, 45.0), call(2, 70.0)), List.of(), C, List.of());
        String md = ReportFiles.markdown(r, List.of());
        assertTrue(md.contains("## callSrcu against C"), md);
        assertTrue(md.contains("| Java / C, 1 thread | 1.80x | <= 2x | ok |"), md);
        assertTrue(md.contains("| Java 2 threads / 1 thread, wall | 1.56x | <= 1.2x | MISS |"), md);
        String json = ReportFiles.summaryJson(r);
        assertTrue(json.contains("\"java_to_c_1t\": 1.800"), json);
        assertTrue(json.contains("\"java_to_c_1t_mark\": \"ok\""), json);
        assertTrue(json.contains("\"java_2t_to_1t_mark\": \"MISS\""), json);
        assertTrue(json.contains("\"c_1t_ns\": 25.000"), json);
    }
}
