// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadScaleTest {

    private static final Map<String, String> FENCE = Map.of("median_ns", "2.00", "worst_ns", "2.50",
            "max_gap_ms", "3.0");

    @Test
    void theRatioIsTheMedianWindowsAndTheAimIsOneAndAHalf() {
        ThreadScale within = new ThreadScale("platform", 64, List.of(FENCE),
                List.of(Map.of("median_ns", "2.80", "worst_ns", "4.00", "max_gap_ms", "12.5")), List.of());
        Figure f = within.figure();
        assertEquals(1.4, f.value().getAsDouble(), 1e-9);
        assertEquals(Figure.OK, f.mark());
        assertEquals("read pair / fence, 64 platform threads", f.what());
        assertTrue(f.note().contains("worst window 2.00x") && f.note().contains("12.5 ms"), f.note());

        Figure over = new ThreadScale("virtual", 100_000, List.of(FENCE), List.of(Map.of("median_ns", "9.0")),
                List.of()).figure();
        assertEquals(4.5, over.value().getAsDouble(), 1e-9);
        assertEquals(Figure.MISS, over.mark());
        assertEquals("read pair / fence, 100,000 virtual threads", over.what());
    }

    /** Rounds: the median round's ratio, each round's own fence; the worst window and stall of all. */
    @Test
    void theFigureIsTheMedianRoundAndTheWorstIsOfAllRounds() {
        Map<String, String> slowFence = Map.of("median_ns", "4.00");
        ThreadScale rounds = new ThreadScale("platform", 512, List.of(FENCE, slowFence, FENCE),
                List.of(Map.of("median_ns", "6.00", "worst_ns", "9.00", "max_gap_ms", "40"),
                        Map.of("median_ns", "5.00", "worst_ns", "5.00", "max_gap_ms", "2"),
                        Map.of("median_ns", "2.40", "worst_ns", "2.60", "max_gap_ms", "1")), List.of());
        Figure f = rounds.figure();
        // Rounds 3.00x, 1.25x, 1.20x: the median is 1.25x, the second round's.
        assertEquals(1.25, f.value().getAsDouble(), 1e-9);
        assertTrue(f.note().contains("5.00 vs 4.00 ns") && f.note().contains("3.00x 1.25x 1.20x"), f.note());
        assertTrue(f.note().contains("worst window 4.50x") && f.note().contains("40.0 ms"), f.note());
    }

    @Test
    void aFailedRunIsNotMeasuredAndSaysWhy() {
        Figure f = new ThreadScale("platform", 2048, List.of(FENCE), List.of(Map.of()),
                List.of("srcu-platform-2048 ran past 600 s")).figure();
        assertEquals(Figure.NOT_MEASURED, f.mark());
        assertTrue(f.note().contains("ran past 600 s"), f.note());
    }

    @Test
    void theIssuesPointsRunInTheFullPlanAndAShortOneInTheDefault() {
        ThreadScaleRuns.Plan full = ThreadScaleRuns.Plan.of(new BenchSettings("full", 1, 3, null, 5, null, true));
        assertEquals(List.of(1, 2, 64, 512, 2048, 100_000),
                full.points().stream().map(ThreadScaleRuns.Point::threads).toList());
        assertEquals("virtual", full.points().getLast().kind());
    }

    /** The benchmark itself, briefly, in this JVM: it prints every figure the report reads. */
    @Test
    void aShortRunPrintsItsFigures() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ThreadScaleBenchmark.run(ThreadScaleBenchmark.FENCE, false, 2, 2, 50,
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        Map<String, String> values = Lifecycle.parse(bytes.toString(StandardCharsets.UTF_8));
        for (String key : List.of("median_ns", "worst_ns", "max_gap_ms", "min_thread_ops", "cores", "warmup_windows")) {
            assertTrue(values.containsKey(key), key + " missing: " + values);
        }
        assertTrue(Double.parseDouble(values.get("median_ns")) > 0, values.toString());
        // The warm-up waits for the JIT to fall quiet, and gives up after its bound.
        int settle = Integer.parseInt(values.get("warmup_windows"));
        assertTrue(settle >= 0 && settle <= ThreadScaleBenchmark.MAX_SETTLE_WINDOWS, values.toString());
        assertEquals(Integer.toString(Math.min(2, Runtime.getRuntime().availableProcessors())), values.get("cores"));
    }
}
