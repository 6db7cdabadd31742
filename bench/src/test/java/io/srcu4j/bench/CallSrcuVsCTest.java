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

    /** bench_defer.c's rows: whole run per item, and until the last call returned per item. */
    private static final NativeResults C = new NativeResults("t", List.of(
            new NativeResults.Row("call_srcu_classic", "srcu4j", "", 36.7, Double.NaN),
            new NativeResults.Row(CallSrcuVsC.C_1T, "srcu4j", "", 36.0, 25.0),
            new NativeResults.Row(CallSrcuVsC.C_2T, "srcu4j", "", 87.0, 40.0)), null);

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
        assertEquals(Figure.MISS, f.get("java_2t_to_1t").mark(), "1.56x is over 1.5x");
        // Two threads each made half the calls before the later one returned.
        assertEquals(80.0, f.get("c_2t_ns").value().getAsDouble(), 1e-9);
        assertEquals(36.0, f.get("c_throughput_ns").value().getAsDouble(), 1e-9);
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
        assertTrue(md.contains("| Java 2 threads / 1 thread | 1.56x | <= 1.5x | MISS |"), md);
        String json = ReportFiles.summaryJson(r);
        assertTrue(json.contains("\"java_to_c_1t\": 1.800"), json);
        assertTrue(json.contains("\"java_to_c_1t_mark\": \"ok\""), json);
        assertTrue(json.contains("\"java_2t_to_1t_mark\": \"MISS\""), json);
        assertTrue(json.contains("\"c_1t_ns\": 25.000"), json);
    }
}
