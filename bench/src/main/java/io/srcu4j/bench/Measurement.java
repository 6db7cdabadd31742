// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * One measured configuration of the report, as plain data: which benchmark, its parameters,
 * threads and thread kind, the primary score with its error and unit, and the secondary results
 * (JMH's {@code @AuxCounters}, such as ReadMostlyBenchmark's torn reads).
 *
 * @param benchmark "Class.method", the class's simple name
 * @param params    the JMH parameters of the fork
 * @param threads   benchmark threads
 * @param kind      platform or virtual benchmark threads
 * @param score     mean per operation, in {@code unit}
 * @param error     half-width of JMH's 99.9% confidence interval; NaN when there is none
 * @param unit      JMH's unit, such as "ns/op" or "us/op"
 * @param secondary the secondary results by name (their scores, in their own units)
 */
record Measurement(String benchmark, Map<String, String> params, int threads, ThreadKind kind,
        double score, double error, String unit, Map<String, Double> secondary) {

    /** Per-operation time units as JMH spells them, and nanoseconds in each. */
    private static final Map<String, Double> NANOS_PER = Map.of("ns/op", 1.0, "us/op", 1e3, "ms/op", 1e6,
            "s/op", 1e9);

    Measurement {
        Objects.requireNonNull(benchmark, "benchmark");
        Objects.requireNonNull(unit, "unit");
        params = Map.copyOf(params);
        secondary = Map.copyOf(secondary);
    }

    /** A measurement without secondary results. */
    Measurement(String benchmark, Map<String, String> params, int threads, ThreadKind kind, double score,
            double error, String unit) {
        this(benchmark, params, threads, kind, score, error, unit, Map.of());
    }

    static Measurement of(RunResult result) {
        BenchmarkParams p = result.getParams();
        String full = p.getBenchmark();
        int method = full.lastIndexOf('.');
        int type = full.lastIndexOf('.', method - 1);
        Map<String, String> params = new LinkedHashMap<>();
        for (String key : p.getParamsKeys()) {
            params.put(key, p.getParam(key));
        }
        Result<?> primary = result.getPrimaryResult();
        Map<String, Double> secondary = new LinkedHashMap<>();
        result.getSecondaryResults().forEach((name, r) -> secondary.put(name, r.getScore()));
        return new Measurement(full.substring(type + 1), params, p.getThreads(),
                ThreadKind.of(p.getJvmArgs()), primary.getScore(), primary.getScoreError(),
                primary.getScoreUnit(), secondary);
    }

    /**
     * One measurement per configuration: where {@code all} measured one several times (rounds),
     * the round with the median score (the upper one of an even count), so that its error and
     * secondary results stay its own. First-seen order.
     */
    static List<Measurement> medianRounds(List<Measurement> all) {
        Map<List<Object>, List<Measurement>> rounds = new LinkedHashMap<>();
        for (Measurement m : all) {
            rounds.computeIfAbsent(List.of(m.benchmark, m.params, m.threads, m.kind), k -> new ArrayList<>()).add(m);
        }
        return rounds.values().stream().map(same -> {
            List<Measurement> sorted = new ArrayList<>(same);
            sorted.sort(Comparator.comparingDouble(Measurement::score));
            return sorted.get(sorted.size() / 2);
        }).toList();
    }

    /** The score in ns per operation; NaN when the unit is not a time per operation. */
    double nanosPerOp() {
        Double factor = NANOS_PER.get(unit);
        return factor == null ? Double.NaN : score * factor;
    }

    /** A secondary result's score; NaN when there is none of that name. */
    double secondary(String name) {
        return secondary.getOrDefault(name, Double.NaN);
    }

    String param(String name) {
        return params.getOrDefault(name, "");
    }

    boolean usable() {
        return Double.isFinite(score) && score > 0;
    }

    /** Whether this is {@code benchmark} with every one of {@code params} at its given value. */
    boolean matches(String benchmark, Map<String, String> params) {
        return this.benchmark.equals(benchmark)
                && params.entrySet().stream().allMatch(e -> param(e.getKey()).equals(e.getValue()));
    }
}
