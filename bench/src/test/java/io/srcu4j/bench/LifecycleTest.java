// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LifecycleTest {

    /** What the two parts print for a native-direct domain that holds a counter block and a thread. */
    private static final String NATIVE_DIRECT = """
            described=native-direct (forced by srcu4j.path=native-direct): ...
            cpus=2
            domains_asked=10000
            domains=10000
            seconds=4.8
            tasks_before=19
            tasks_after=10024
            new_tasks=java x10001, srcu4j-worker-N x2, srcu4j-cleaner x1, srcu4j-slot-rel x1
            worker_tasks=10003
            WARNING: a line of the JVM's, which=is not a figure
            memory_domains=1000
            idle_malloc_bytes=35906.5
            read_malloc_bytes=35919.8
            idle_rss_bytes=42827.8
            read_rss_bytes=42901.5
            cycles=2000
            create_close_ns=268852.5
            garbage_bytes=20008.9
            """;

    private static final String JAVA = """
            cpus=2
            domains_asked=10000
            domains=10000
            tasks_before=19
            tasks_after=22
            new_tasks=srcu4j-worker-N x2, srcu4j-cleaner x1
            worker_tasks=2
            memory_domains=1000
            idle_malloc_bytes=88.6
            read_malloc_bytes=182.9
            idle_rss_bytes=102.4
            read_rss_bytes=139.3
            cycles=2000
            create_close_ns=17372.7
            garbage_bytes=2489.4
            """;

    private static Map<String, Figure> figures(Lifecycle l) {
        Map<String, Figure> byKey = new LinkedHashMap<>();
        l.figures(2).forEach(f -> byKey.put(f.key(), f));
        return byKey;
    }

    @Test
    void onlyKeyValueLinesAreFigures() {
        Map<String, String> values = Lifecycle.parse(NATIVE_DIRECT);
        assertEquals("10024", values.get("tasks_after"));
        assertEquals("java x10001, srcu4j-worker-N x2, srcu4j-cleaner x1, srcu4j-slot-rel x1",
                values.get("new_tasks"));
        assertFalse(values.keySet().stream().anyMatch(k -> k.contains("WARNING") || k.contains("which")),
                values.toString());
    }

    @Test
    void everyMissIsMarkedAndTheIdleMemoryIsTheLargerReading() {
        Map<String, Figure> f = figures(new Lifecycle(BenchPaths.NATIVE_DIRECT, Lifecycle.parse(NATIVE_DIRECT),
                List.of()));
        assertEquals(Figure.MISS, f.get("garbage_bytes").mark());
        assertEquals(42827.8, f.get("idle_native_bytes").value().getAsDouble(), 1e-9,
                "RssAnon counts the thread's stack");
        assertEquals(Figure.MISS, f.get("idle_native_bytes").mark());
        assertTrue(f.get("idle_native_bytes").note().contains("malloc 35907 B, RssAnon 42828 B"),
                f.get("idle_native_bytes").note());
        assertEquals(10003, f.get("worker_threads").value().getAsDouble(), 1e-9);
        assertEquals(Figure.MISS, f.get("worker_threads").mark());
        assertEquals("<= 2 x 2 CPUs = 4", f.get("worker_threads").aim().text());
        assertEquals(10005, f.get("threads_beyond_baseline").value().getAsDouble(), 1e-9);
        assertEquals("", f.get("threads_beyond_baseline").mark(), "all threads: no aim, what they are in the note");
        assertTrue(f.get("threads_beyond_baseline").note().contains("java x10001"));
        assertEquals(268.8525, f.get("create_close_us").value().getAsDouble(), 1e-9);
        assertFalse(f.containsKey("domains_not_created"));
    }

    @Test
    void aPathWithinItsAimsIsMarkedOkAndOnlyNativeDirectHasAMemoryAim() {
        Map<String, Figure> f = figures(new Lifecycle(BenchPaths.JAVA, Lifecycle.parse(JAVA), List.of()));
        assertEquals(Figure.OK, f.get("garbage_bytes").mark());
        assertEquals(Figure.OK, f.get("worker_threads").mark());
        assertEquals(2, f.get("worker_threads").value().getAsDouble(), 1e-9);
        assertEquals(3, f.get("threads_beyond_baseline").value().getAsDouble(), 1e-9);
        assertEquals("", f.get("idle_native_bytes").mark());
    }

    @Test
    void domainsThatCouldNotBeCreatedAreAMiss() {
        Map<String, String> values = new LinkedHashMap<>(Lifecycle.parse(JAVA));
        values.put("domains", "6000");
        values.put("failure", "domain 6001 of 10000: Srcu4jException: s4j_srcu_create: EAGAIN");
        Figure notCreated = figures(new Lifecycle(BenchPaths.JNA, values, List.of())).get("domains_not_created");
        assertEquals(4000, notCreated.value().getAsDouble(), 1e-9);
        assertEquals(Figure.MISS, notCreated.mark());
        assertTrue(notCreated.note().contains("EAGAIN"));
    }

    @Test
    void aPartThatFailedLeavesItsFiguresUnmeasuredWithTheReason() {
        Map<String, String> threadsOnly = new LinkedHashMap<>(Lifecycle.parse(JAVA));
        threadsOnly.keySet().removeIf(k -> k.contains("bytes") || k.equals("create_close_ns"));
        Map<String, Figure> f = figures(new Lifecycle(BenchPaths.NATIVE_DIRECT, threadsOnly,
                List.of("memory part ran past 300 s and was stopped")));
        for (String key : List.of("garbage_bytes", "idle_native_bytes")) {
            assertEquals(Figure.NOT_MEASURED, f.get(key).mark(), key);
            assertTrue(f.get(key).note().contains("ran past 300 s"), f.get(key).note());
        }
        assertEquals(Figure.OK, f.get("worker_threads").mark(), "the other part's figures stay");
    }

    @Test
    void theReportShowsEachPathsFiguresWithTheirMarks() {
        Results r = new Results(List.of(), List.of(), new NativeResults(null, List.of(), "not run"), List.of(
                new Lifecycle(BenchPaths.NATIVE_DIRECT, Lifecycle.parse(NATIVE_DIRECT), List.of()),
                new Lifecycle(BenchPaths.JAVA, Lifecycle.parse(JAVA), List.of())), List.of());
        String console = r.consoleText();
        assertTrue(console.contains("== Domain lifecycle"), console);
        assertTrue(console.matches("(?s).*native-direct\\s+heap garbage per create\\(\\)\\+close\\(\\)"
                + "\\s+20009 B\\s+<= 3000 B\\s+MISS.*"), console);
        String md = ReportFiles.markdown(r, List.of());
        assertTrue(md.contains("| java | srcu4j worker threads | 2 | <= 2 x 2 CPUs = 4 | ok |"), md);
        String json = ReportFiles.summaryJson(r);
        assertTrue(json.contains("\"native-direct\": {"), json);
        assertTrue(json.contains("\"idle_native_bytes_mark\": \"MISS\""), json);
        assertTrue(json.contains("\"garbage_bytes\": 2489.400"), json);
    }
}
