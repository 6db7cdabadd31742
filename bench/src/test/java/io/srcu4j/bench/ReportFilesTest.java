// SPDX-License-Identifier: Apache-2.0
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

    private static final String DEFAULT_PATH = BenchPaths.defaultPath();

    private static Measurement lookup(String impl, String path, double ns, double torn) {
        return new Measurement(Results.READ_MOSTLY, Map.of("impl", impl, "path", path, "updateMicros", "2000"), 2,
                ThreadKind.PLATFORM, ns, 1.0, "ns/op", Map.of("tornReads", torn, "retries", 0.0));
    }

    private static Measurement gracePeriod(String kind, String readers, double us) {
        return new Measurement(Results.GRACE_PERIOD, Map.of("kind", kind, "readers", readers, "path", DEFAULT_PATH), 1,
                ThreadKind.PLATFORM, us, Double.NaN, "us/op");
    }

    private static final Results RESULTS = new Results(List.of(
            pair("NATIVE_DIRECT", 1, ThreadKind.PLATFORM, 2.5),
            pair("JAVA", 1, ThreadKind.PLATFORM, 4.0),
            pair("FULL_FENCE", 1, ThreadKind.PLATFORM, 2.0),
            pair("RWLOCK", 2, ThreadKind.PLATFORM, 120.0),
            pair("NATIVE_DIRECT", 1, ThreadKind.VIRTUAL, 5.0),
            new Measurement("DeferralBenchmark.handOver", Map.of("impl", "CALL_SRCU"), 1, ThreadKind.PLATFORM,
                    30.0, Double.NaN, "ns/op"),
            lookup("SRCU", BenchPaths.JAVA, 12.0, 0),
            // The lock rows carry the path's default value, which means nothing to them.
            lookup("RWLOCK", BenchPaths.NATIVE_DIRECT, 80.0, 0),
            gracePeriod("NORMAL", "IDLE", 2.5),
            gracePeriod("EXPEDITED", "IDLE", 0.75),
            gracePeriod("NORMAL", "BUSY", 40.0),
            new Measurement(Results.CALL_SRCU_THROUGHPUT, Map.of("path", DEFAULT_PATH), 1, ThreadKind.PLATFORM,
                    90.0, 2.0, "ns/op"),
            new Measurement(Results.CALL_SRCU_LATENCY, Map.of("path", DEFAULT_PATH), 1, ThreadKind.PLATFORM,
                    11.5, 0.5, "us/op")),
            List.of("os/arch Linux"),
            new NativeResults("t", List.of(new NativeResults.Row("read_pair_fast", "srcu4j", "", 1.7)), null),
            List.of());

    @Test
    void summaryHasTheNamedFiguresAndNullForWhatWasNotMeasured() {
        String json = ReportFiles.summaryJson(RESULTS);
        assertHas(json,
                "\"fullfence_ns\": 2.000",
                "\"rwlock_read_pair_2t_ns\": 120.000",
                "\"stamped_read_pair_2t_ns\": null",
                "\"call_srcu_ns\": 30.000",
                "\"java\": 4.000",
                "\"read_pair_fast/srcu4j\": 1.700",
                // Scores in µs come out in ns.
                "\"synchronize_idle_ns\": 2500.000",
                "\"synchronize_expedited_idle_ns\": 750.000",
                "\"synchronize_busy_ns\": 40000.000",
                "\"synchronize_expedited_busy_ns\": null",
                "\"call_srcu_throughput_ns\": 90.000",
                "\"call_srcu_latency_ns\": 11500.000",
                "\"SRCU/java\": 12.000",
                "\"SRCU/jna\": null",
                "\"RWLOCK\": 80.000",
                "\"ARENA_CLOSE\": null",
                "\"read_mostly_torn_reads\": 0.000",
                // The expedited cases, C and Java, each with its mark: none measured here.
                "\"c_classic_busy0\": null",
                "\"c_classic_busy0_mark\": \"n/a\"");
        assertFalse(json.contains("NaN"), json);
        // Balanced braces: one object, nested maps closed.
        assertTrue(json.chars().filter(c -> c == '{').count() == json.chars().filter(c -> c == '}').count(), json);
    }

    @Test
    void markdownCarriesTheHeadlineRatiosAndTheNativeTable() {
        String md = ReportFiles.markdown(RESULTS, List.of());
        assertHas(md,
                "## Read lock/unlock pair, virtual threads",
                "| NATIVE_DIRECT | 1 | 2.50 | ± 0.10 | 1.25x |",
                "| DeferralBenchmark.handOver | {impl=CALL_SRCU} |",
                "## synchronizeExpedited against synchronize",
                "| C fast | expedited / normal, 2 busy readers per CPU | n/a | < 1x | n/a |",
                "```\nt\n```");
    }

    @Test
    void markdownHasASectionPerWorkloadWithUnitsAndTheTornReads() {
        String md = ReportFiles.markdown(RESULTS, List.of());
        assertHas(md,
                "## Read-mostly off-heap table lookups",
                "| SRCU/java | 2 platform | 2000 µs | 12.00 | ± 1.00 | ns/op | 0 | 0 |",
                "| RWLOCK | 2 platform |",
                "## Grace periods",
                "| NORMAL | BUSY | " + DEFAULT_PATH + " | 40.00 | ± n/a | us/op |",
                "| callbackLatency | " + DEFAULT_PATH + " | 1 platform | 11.50 | ± 0.50 | us/op |");
        // The workloads are not repeated under the other benchmarks.
        String other = md.substring(md.indexOf("## Other benchmarks"));
        assertFalse(other.contains("GracePeriodBenchmark"), other);
    }

    @Test
    void aTornReadShowsInTheSummary() {
        Results torn = new Results(List.of(lookup("STAMPED", BenchPaths.NATIVE_DIRECT, 100.0, 3)), List.of(),
                new NativeResults(null, List.of(), "not run"), List.of());
        assertTrue(ReportFiles.summaryJson(torn).contains("\"read_mostly_torn_reads\": 3.000"));
    }

    private static void assertHas(String text, String... parts) {
        for (String part : parts) {
            assertTrue(text.contains(part), () -> "no " + part + " in:\n" + text);
        }
    }
}
