// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs {@link ThreadScaleBenchmark} at each thread count of the plan, in rounds of the fence and
 * then the read sections, each in a JVM of its own with this JVM's flags and the benchmark's own
 * ({@link ThreadScaleBenchmark#JVM_ARGS}). Output goes to {@code <reportDir>/threads/}.
 */
final class ThreadScaleRuns {

    static final long TIMEOUT_SECONDS = 600;

    /**
     * One thread count.
     *
     * @param kind    {@code platform} or {@code virtual}
     * @param threads how many
     */
    record Point(String kind, int threads) {
    }

    /**
     * What to run: {@code make bench} the points (1, 2, 64, 512 and 2,048 platform threads,
     * 100,000 virtual threads), 3 rounds of 5 windows of 1 s; {@code make run} 1, 2, 64 and 512
     * platform threads and 10,000 virtual ones, 2 rounds of 3 windows of 500 ms; quick: 1, 2 and 64
     * platform threads, one round of 2 windows of 200 ms.
     *
     * @param points   the thread counts
     * @param rounds   fence and read-section runs per thread count, alternating
     * @param windows  windows per run
     * @param windowMs the length of each
     */
    record Plan(List<Point> points, int rounds, int windows, long windowMs) {

        static Plan of(BenchSettings settings) {
            String p = ThreadScaleBenchmark.PLATFORM;
            String v = ThreadScaleBenchmark.VIRTUAL;
            if (settings.quick()) {
                return new Plan(List.of(new Point(p, 1), new Point(p, 2), new Point(p, 64)), 1, 2, 200);
            }
            if (settings.full()) {
                return new Plan(List.of(new Point(p, 1), new Point(p, 2), new Point(p, 64), new Point(p, 512),
                        new Point(p, 2048), new Point(v, 100_000)), 3, 5, 1000);
            }
            return new Plan(List.of(new Point(p, 1), new Point(p, 2), new Point(p, 64), new Point(p, 512),
                    new Point(v, 10_000)), 2, 3, 500);
        }
    }

    private ThreadScaleRuns() {
    }

    static List<ThreadScale> run(Plan plan, Path reportDir, PrintStream out) throws IOException {
        Path dir = reportDir.resolve("threads");
        Files.createDirectories(dir);
        List<ThreadScale> all = new ArrayList<>();
        for (Point point : plan.points()) {
            List<String> failures = new ArrayList<>();
            List<Map<String, String>> fence = new ArrayList<>();
            List<Map<String, String>> srcu = new ArrayList<>();
            for (int round = 1; round <= plan.rounds() && failures.isEmpty(); round++) {
                fence.add(one(ThreadScaleBenchmark.FENCE, point, round, plan, dir, out, failures));
                srcu.add(one(ThreadScaleBenchmark.SRCU, point, round, plan, dir, out, failures));
            }
            all.add(new ThreadScale(point.kind(), point.threads(), fence, srcu, failures));
        }
        return all;
    }

    private static Map<String, String> one(String op, Point point, int round, Plan plan, Path dir, PrintStream out,
            List<String> failures) throws IOException {
        String name = op + "-" + point.kind() + "-" + point.threads() + "-" + round;
        Path stdout = dir.resolve(name + ".out");
        Path stderr = dir.resolve(name + ".err");
        List<String> command = ChildJvm.javaCommand(ThreadScaleBenchmark.JVM_ARGS, ThreadScaleBenchmark.class,
                List.of(op, point.kind(), Integer.toString(point.threads()), Integer.toString(plan.windows()),
                        Long.toString(plan.windowMs())));
        out.printf(Locale.ROOT, "  %-24s", name);
        out.flush();
        long start = System.nanoTime();
        String failure = ChildJvm.run(command, stdout, stderr, TIMEOUT_SECONDS, name);
        if (failure != null) {
            failure += " (" + stderr + ")";
        }
        Map<String, String> got = Lifecycle.parse(Files.readString(stdout, StandardCharsets.UTF_8));
        if (failure == null && !got.containsKey("median_ns")) {
            failure = name + " printed no figures (" + stderr + ")";
        }
        out.printf(Locale.ROOT, "%5.1f s  %s ns per op per core%s%n", (System.nanoTime() - start) / 1e9,
                got.getOrDefault("median_ns", "-"), failure == null ? "" : "  FAILED: " + failure);
        if (failure != null) {
            failures.add(failure);
        }
        return got;
    }
}
