// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * How long each benchmark of a report runs, and how wide the matrix is, chosen by system
 * property (or the environment variable in brackets):
 * <ul>
 *   <li>default ({@code make run}): 1 fork, 1 warmup of 500 ms and 3 measurements of 300 ms;
 *       thread counts 1 and the CPU count, the srcu4j rows on their main paths;</li>
 *   <li>{@code -Dsrcu4j.bench.full=true} ({@code SRCU4J_BENCH_FULL=true}, {@code make bench}):
 *       1 fork, 3 warmups and 5 measurements of 1 s; threads 1, CPUs and 2 x CPUs, every path,
 *       platform and virtual threads;</li>
 *   <li>{@code -Dsrcu4j.bench.quick=true} ({@code SRCU4J_BENCH_QUICK=true}): one 100 ms
 *       iteration each, a smoke test whose numbers mean little.</li>
 * </ul>
 * {@code -Dsrcu4j.bench.forks=N} sets the forks of any of them; 0 runs every benchmark in the
 * report's own JVM, which spares a JVM start per benchmark where one costs tens of seconds (an
 * emulated machine: make test-arm64), at the price of numbers that one JVM's history colours.
 *
 * @param full whether the full matrix runs
 */
record BenchSettings(String name, int forks, int warmups, TimeValue warmupTime, int iterations,
        TimeValue iterationTime, boolean full) {

    static BenchSettings fromEnvironment() {
        BenchSettings chosen = byLength();
        String value = System.getProperty("srcu4j.bench.forks");
        if (value == null) {
            return chosen;
        }
        int forks;
        try {
            forks = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            forks = -1;
        }
        if (forks < 0) {
            throw new IllegalArgumentException("srcu4j.bench.forks: expected a count of 0 or more, got '" + value + "'");
        }
        return new BenchSettings(chosen.name(), forks, chosen.warmups(), chosen.warmupTime(), chosen.iterations(),
                chosen.iterationTime(), chosen.full());
    }

    private static BenchSettings byLength() {
        if (flag("srcu4j.bench.quick", "SRCU4J_BENCH_QUICK")) {
            return new BenchSettings("quick", 1, 1, TimeValue.milliseconds(100), 1,
                    TimeValue.milliseconds(100), false);
        }
        if (flag("srcu4j.bench.full", "SRCU4J_BENCH_FULL")) {
            return new BenchSettings("full", 1, 3, TimeValue.seconds(1), 5, TimeValue.seconds(1), true);
        }
        return new BenchSettings("default", 1, 1, TimeValue.milliseconds(500), 3,
                TimeValue.milliseconds(300), false);
    }

    /** Whether this is the smoke test ({@code srcu4j.bench.quick}). */
    boolean quick() {
        return name.equals("quick");
    }

    /** The system property when set, else the environment variable; "true" or "1" is on. */
    private static boolean flag(String property, String variable) {
        String value = System.getProperty(property, System.getenv(variable));
        return value != null && (value.equalsIgnoreCase("true") || value.equals("1"));
    }

    /**
     * Seconds one fork takes, for the estimate printed before the run: the iterations plus a
     * guessed 0.7 s for a fork to start and set up (only the estimate uses it).
     */
    double secondsPerFork() {
        double warm = warmups * warmupTime.convertTo(TimeUnit.MILLISECONDS);
        double measure = iterations * iterationTime.convertTo(TimeUnit.MILLISECONDS);
        return (warm + measure) / 1000.0 + 0.7;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: %d fork(s), warmup %d x %s, measurement %d x %s",
                name, forks, warmups, warmupTime, iterations, iterationTime);
    }
}
