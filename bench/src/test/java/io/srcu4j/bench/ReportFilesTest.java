package io.srcu4j.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportFilesTest {

    private static Measurement pair(String impl, int threads, ThreadKind kind, double ns) {
        return new Measurement(Results.READ_PAIR, Map.of("impl", impl), threads, kind, ns, 0.1, "ns/op");
    }

    private static final Results RESULTS = new Results(List.of(
            pair("NATIVE_DIRECT", 1, ThreadKind.PLATFORM, 2.5),
            pair("JAVA", 1, ThreadKind.PLATFORM, 4.0),
            pair("FULL_FENCE", 1, ThreadKind.PLATFORM, 2.0),
            pair("RWLOCK", 2, ThreadKind.PLATFORM, 120.0),
            pair("NATIVE_DIRECT", 1, ThreadKind.VIRTUAL, 5.0),
            new Measurement("DeferralBenchmark.handOver", Map.of("impl", "CALL_SRCU"), 1, ThreadKind.PLATFORM,
                    30.0, Double.NaN, "ns/op")),
            List.of("os/arch Linux"),
            new NativeResults("t", List.of(new NativeResults.Row("read_pair_fast", "srcu4j", "", 1.7)), null),
            List.of());

    @Test
    void summaryHasTheNamedFiguresAndNullForWhatWasNotMeasured() {
        String json = ReportFiles.summaryJson(RESULTS);
        assertTrue(json.contains("\"fullfence_ns\": 2.000"), json);
        assertTrue(json.contains("\"rwlock_read_pair_2t_ns\": 120.000"), json);
        assertTrue(json.contains("\"stamped_read_pair_2t_ns\": null"), json);
        assertTrue(json.contains("\"call_srcu_ns\": 30.000"), json);
        assertTrue(json.contains("\"java\": 4.000"), json);
        assertTrue(json.contains("\"read_pair_fast/srcu4j\": 1.700"), json);
        assertFalse(json.contains("NaN"), json);
        // Balanced braces: one object, nested maps closed.
        assertTrue(json.chars().filter(c -> c == '{').count() == json.chars().filter(c -> c == '}').count(), json);
    }

    @Test
    void markdownCarriesTheHeadlineRatiosAndTheNativeTable() {
        String md = ReportFiles.markdown(RESULTS, List.of());
        assertTrue(md.contains("## Read lock/unlock pair, virtual threads"), md);
        assertTrue(md.contains("| NATIVE_DIRECT | 1 | 2.50 | ± 0.10 | 1.25x |"), md);
        assertTrue(md.contains("| DeferralBenchmark.handOver | {impl=CALL_SRCU} |"), md);
        assertTrue(md.contains("```\nt\n```"), md);
    }
}
