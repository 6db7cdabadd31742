// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpeditedVsNormalTest {

    /** native.json as bench_expedited.c writes it, for the classic domain only. */
    private static final String C_JSON = """
            [
              {"name": "synchronize_busy0_classic", "impl": "srcu4j", "what": "w", "ns_per_op": 124.0, "calls": 9,
               "expedited_vs_synchronize": 0.7339, "first_half": 0.7, "second_half": 0.75, "untrimmed_ratio": 0.8},
              {"name": "synchronize_expedited_busy0_classic", "impl": "srcu4j", "what": "w", "ns_per_op": 91.0,
               "calls": 9, "expedited_vs_synchronize": 0.7339, "first_half": 0.7, "second_half": 0.75,
               "untrimmed_ratio": 0.8},
              {"name": "synchronize_busy1_classic", "impl": "srcu4j", "what": "w", "ns_per_op": 1300.0,
               "expedited_vs_synchronize": 1.0769, "first_half": 0.9, "second_half": 1.2, "untrimmed_ratio": 1.4},
              {"name": "synchronize_expedited_busy1_classic", "impl": "srcu4j", "what": "w", "ns_per_op": 1400.0,
               "expedited_vs_synchronize": 1.0769, "first_half": 0.9, "second_half": 1.2, "untrimmed_ratio": 1.4}
            ]
            """;

    private static ExpeditedRun javaRun(String path, String flavor, String created) {
        Map<String, String> v = new HashMap<>(Map.of("flavor", created, "pinned", "true"));
        for (int per = 0; per <= ExpeditedBenchmark.MAX_PER_CPU; per++) {
            v.put("busy" + per + "_synchronize_ns", "200.0");
            v.put("busy" + per + "_expedited_ns", "150.0");
            v.put("busy" + per + "_ratio", per == 2 ? "1.0" : "0.8");
            v.put("busy" + per + "_first_half", "0.5");
            v.put("busy" + per + "_second_half", "1.5");
            v.put("busy" + per + "_untrimmed_ratio", "0.9");
        }
        return new ExpeditedRun(new ExpeditedRuns.Target(path, flavor), v, List.of());
    }

    private static Map<String, Figure> byKey(List<Figure> figures) {
        Map<String, Figure> byKey = new LinkedHashMap<>();
        figures.forEach(f -> byKey.put(f.key(), f));
        return byKey;
    }

    @Test
    void eachCaseIsItsRatioAgainstTheAimBelowOne() {
        NativeResults c = new NativeResults("t", NativeResults.parse(C_JSON), null);
        Map<String, Figure> f = byKey(ExpeditedVsNormal.figures(c, List.of(javaRun(BenchPaths.JAVA, "CLASSIC", "CLASSIC"))));

        Figure c0 = f.get("c_classic_busy0");
        assertEquals(0.7339, c0.value().getAsDouble(), 1e-12, "the ratio bench_expedited.c gave");
        assertEquals(Figure.OK, c0.mark());
        assertEquals("C classic", c0.group());
        assertEquals("0.091 vs 0.124 us per call; halves 0.70x, 0.75x; all batches 0.80x", c0.note());
        assertEquals(Figure.MISS, f.get("c_classic_busy1").mark(), "1.08x is not below 1");

        Figure missing = f.get("c_classic_busy2");
        assertTrue(missing.value().isEmpty());
        assertEquals(Figure.NOT_MEASURED, missing.mark());
        assertTrue(missing.note().contains("synchronize_busy2_classic"), missing.note());
        assertEquals(Figure.NOT_MEASURED, f.get("c_fast_busy0").mark(), "no fast rows in this native.json");

        assertEquals(Figure.OK, f.get("java_java_classic_busy0").mark());
        assertEquals(Figure.MISS, f.get("java_java_classic_busy2").mark(), "exactly 1 is not below 1");
        assertEquals("0.150 vs 0.200 us per call; halves 0.50x, 1.50x; all batches 0.90x",
                f.get("java_java_classic_busy1").note());
        assertEquals(2 * 3 + 3, f.size(), "C classic and fast, and the Java run, at 0, 1 and 2 readers per CPU");
    }

    /** A fast case as bench_expedited.c writes it, with its membarrier counts and cost. */
    private static final String C_FAST_JSON = """
            [
              {"name": "synchronize_busy1_fast", "impl": "srcu4j", "what": "w", "ns_per_op": 84000.0,
               "expedited_vs_synchronize": 0.97, "first_half": 0.9, "second_half": 1.0, "untrimmed_ratio": 0.98,
               "membarriers_per_call": 2.0, "membarrier_ns": 41500.0, "cpu_ns_per_op": 47100.0},
              {"name": "synchronize_expedited_busy1_fast", "impl": "srcu4j", "what": "w", "ns_per_op": 81480.0,
               "expedited_vs_synchronize": 0.97, "first_half": 0.9, "second_half": 1.0, "untrimmed_ratio": 0.98,
               "membarriers_per_call": 1.8172, "membarrier_ns": 41500.0, "cpu_ns_per_op": 46990.0, "rounds": 3,
               "round_ratio_1": 0.91, "round_ratio_2": 0.97, "round_ratio_3": 1.04},
              {"name": "synchronize_busy0_fast", "impl": "srcu4j", "what": "w", "ns_per_op": 90.0,
               "expedited_vs_synchronize": 0.8, "first_half": 0.8, "second_half": 0.8, "untrimmed_ratio": 0.8,
               "membarriers_per_call": 0.0, "membarrier_ns": 1200.0},
              {"name": "synchronize_expedited_busy0_fast", "impl": "srcu4j", "what": "w", "ns_per_op": 72.0,
               "expedited_vs_synchronize": 0.8, "first_half": 0.8, "second_half": 0.8, "untrimmed_ratio": 0.8,
               "membarriers_per_call": 0.0, "membarrier_ns": 1200.0}
            ]
            """;

    @Test
    void aCaseThatMadeMembarrierCallsSaysHowManyOfEachKind() {
        NativeResults c = new NativeResults("t", NativeResults.parse(C_FAST_JSON), null);
        ExpeditedRun fast = javaRun(BenchPaths.NATIVE_DIRECT, "FAST", "FAST");
        Map<String, String> v = new HashMap<>(fast.values());
        v.put("busy1_synchronize_membarriers", "2.0");
        v.put("busy1_expedited_membarriers", "1.5");
        v.put("busy0_synchronize_membarriers", "0.0");
        v.put("busy0_expedited_membarriers", "0.0");
        Map<String, Figure> f = byKey(ExpeditedVsNormal.figures(c, List.of(new ExpeditedRun(fast.target(), v,
                List.of()))));

        assertEquals("the rounds' ratios 0.91 0.97 1.04, the median one's: 81.48 vs 84.00 us per call; halves 0.90x,"
                + " 1.00x; all batches 0.98x; caller's CPU 46.99 vs 47.10"
                + " us per call; membarriers per call 1.82 vs 2.00, 41.50 us each", f.get("c_fast_busy1").note());
        assertEquals("0.072 vs 0.090 us per call; halves 0.80x, 0.80x; all batches 0.80x", f.get("c_fast_busy0").note(),
                "a case without membarrier calls says nothing of them");
        assertTrue(f.get("java_native-direct_fast_busy1").note().endsWith("; membarriers per call 1.50 vs 2.00"),
                f.get("java_native-direct_fast_busy1").note());
        assertTrue(!f.get("java_native-direct_fast_busy0").note().contains("membarrier"));

        v.put("membarrier_count_missing", "java.lang.UnsatisfiedLinkError: s4j_membarrier_count");
        String note = byKey(ExpeditedVsNormal.figures(c, List.of(new ExpeditedRun(fast.target(), v, List.of()))))
                .get("java_native-direct_fast_busy2").note();
        assertTrue(note.endsWith("; membarrier calls not counted: java.lang.UnsatisfiedLinkError: s4j_membarrier_count"),
                note);
    }

    @Test
    void aRunThatFailedOrFellBackSaysSo() {
        NativeResults none = new NativeResults(null, List.of(), "no native.json");
        ExpeditedRun failed = new ExpeditedRun(new ExpeditedRuns.Target(BenchPaths.NATIVE_DIRECT, "FAST"), Map.of(),
                List.of("native-direct-fast exited with status 1"));
        ExpeditedRun fellBack = javaRun(BenchPaths.NATIVE_DIRECT, "FAST", "CLASSIC");
        List<Figure> figures = ExpeditedVsNormal.figures(none, List.of(failed));
        Map<String, Figure> f = byKey(figures);
        assertEquals("no C figures: no native.json", f.get("c_fast_busy1").note());
        assertEquals(Figure.NOT_MEASURED, f.get("java_native-direct_fast_busy0").mark());
        assertEquals("native-direct-fast exited with status 1", f.get("java_native-direct_fast_busy0").note());

        String note = byKey(ExpeditedVsNormal.figures(none, List.of(fellBack))).get("java_native-direct_fast_busy0")
                .note();
        assertTrue(note.endsWith("; the domain was created CLASSIC"), note);
    }

    /** A run whose cases have the ratios given, and times that say which run they came from. */
    private static ExpeditedRun runWithRatios(String pinned, double... ratios) {
        Map<String, String> v = new HashMap<>(Map.of("flavor", "CLASSIC", "pinned", pinned));
        for (int per = 0; per < ratios.length; per++) {
            v.put("busy" + per + "_ratio", Double.toString(ratios[per]));
            v.put("busy" + per + "_synchronize_ns", "1000.0");
            v.put("busy" + per + "_expedited_ns", Double.toString(1000 * ratios[per]));
        }
        return new ExpeditedRun(new ExpeditedRuns.Target(BenchPaths.JAVA, "CLASSIC"), v, List.of());
    }

    @Test
    void severalJvmsGiveEachCaseFromTheRunWithTheMedianRatio() {
        ExpeditedRuns.Target t = new ExpeditedRuns.Target(BenchPaths.JAVA, "CLASSIC");
        ExpeditedRun slowJit = runWithRatios("true", 0.9, 1.3, 0.8);
        ExpeditedRun merged = ExpeditedRun.medianOf(t, List.of(runWithRatios("true", 0.7, 0.6, 0.9), slowJit,
                runWithRatios("false", 0.8, 0.7, 0.7)));
        Map<String, String> v = merged.values();
        assertEquals("0.8", v.get("busy0_ratio"));
        assertEquals("0.7", v.get("busy1_ratio"), "the slow JVM's 1.3 is not the figure");
        assertEquals("700.0", v.get("busy1_expedited_ns"), "the case's times come from the same run as its ratio");
        assertEquals("0.8", v.get("busy2_ratio"));
        assertEquals("0.60 0.70 1.30", v.get("busy1_" + ExpeditedRun.RATIOS_SUFFIX));
        assertEquals("3", v.get(ExpeditedRun.JVMS));
        assertEquals("false", v.get("pinned"), "pinned only when every run was");

        Map<String, Figure> f = byKey(ExpeditedVsNormal.figures(
                new NativeResults("t", NativeResults.parse(C_JSON), null), List.of(merged)));
        Figure one = f.get("java_java_classic_busy1");
        assertEquals(0.7, one.value().getAsDouble(), 1e-12);
        assertTrue(one.note().startsWith("the JVMs' ratios 0.60 0.70 1.30, the median one's run: 0.700 vs 1.00 us"),
                one.note());

        ExpeditedRun failed = new ExpeditedRun(t, Map.of(), List.of("java-classic-2 timed out"));
        ExpeditedRun withFailure = ExpeditedRun.medianOf(t, List.of(runWithRatios("true", 0.7, 0.6, 0.9), failed));
        assertEquals("0.6", withFailure.values().get("busy1_ratio"), "the figures stand on the JVMs that gave them");
        assertEquals(List.of("java-classic-2 timed out"), withFailure.failures(), "and the failure is still reported");
        String note = byKey(ExpeditedVsNormal.figures(new NativeResults("t", NativeResults.parse(C_JSON), null),
                List.of(withFailure))).get("java_java_classic_busy1").note();
        assertTrue(note.startsWith("the JVMs' ratios 0.60, the median one's run: "), note);
        assertTrue(note.endsWith("; failed JVMs, left out: java-classic-2 timed out"), note);
        ExpeditedRun alsoFailed = new ExpeditedRun(t, Map.of(), List.of("java-classic-3 printed no figures"));
        ExpeditedRun none = ExpeditedRun.medianOf(t, List.of(failed, alsoFailed));
        assertEquals(List.of("java-classic-2 timed out", "java-classic-3 printed no figures"), none.failures());
        assertTrue(none.values().isEmpty());
        assertEquals(slowJit, ExpeditedRun.medianOf(t, List.of(slowJit)), "one JVM: its run as it was");
        ExpeditedRun partial = new ExpeditedRun(t, Map.of("busy0_ratio", "0.8"), List.of("java-classic timed out"));
        assertEquals(partial, ExpeditedRun.medianOf(t, List.of(partial)), "a failed lone run keeps what it printed");
    }

    @Test
    void thePlanRunsTheDefaultNativePathBothWaysAndTheJavaPath() {
        BenchSettings full = new BenchSettings("full", 1, 3, null, 5, null, true);
        ExpeditedRuns.Plan plan = ExpeditedRuns.Plan.of(full, true);
        assertEquals(List.of(new ExpeditedRuns.Target(BenchPaths.NATIVE_DIRECT, "CLASSIC"),
                new ExpeditedRuns.Target(BenchPaths.NATIVE_DIRECT, "FAST"),
                new ExpeditedRuns.Target(BenchPaths.JAVA, "CLASSIC")), plan.targets());
        assertEquals(2000, plan.caseMs());
        assertEquals(ExpeditedRuns.Plan.FULL_JVMS, plan.jvms(), "make bench: the median of several JVMs");
        assertEquals(List.of(new ExpeditedRuns.Target(BenchPaths.JAVA, "CLASSIC")),
                ExpeditedRuns.Plan.of(full, false).targets(), "without libsrcu4j, the Java path alone");
        BenchSettings run = new BenchSettings("default", 1, 1, null, 3, null, false);
        assertEquals(600, ExpeditedRuns.Plan.of(run, true).caseMs(), "make run: as the C side's --quick");
        assertEquals(1, ExpeditedRuns.Plan.of(run, true).jvms());
    }
}
