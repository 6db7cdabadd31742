package io.srcu4j.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * One measured configuration of the report, as plain data: which benchmark, its parameters,
 * threads and thread kind, and the primary score with its error.
 *
 * @param benchmark "Class.method", the class's simple name
 * @param params    the JMH parameters of the fork
 * @param threads   benchmark threads
 * @param kind      platform or virtual benchmark threads
 * @param score     mean per operation, in {@code unit}
 * @param error     half-width of JMH's 99.9% confidence interval; NaN when there is none
 * @param unit      JMH's unit, such as "ns/op"
 */
record Measurement(String benchmark, Map<String, String> params, int threads, ThreadKind kind,
        double score, double error, String unit) {

    Measurement {
        Objects.requireNonNull(benchmark, "benchmark");
        params = Map.copyOf(params);
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
        return new Measurement(full.substring(type + 1), params, p.getThreads(),
                ThreadKind.of(p.getJvmArgs()), primary.getScore(), primary.getScoreError(),
                primary.getScoreUnit());
    }

    String param(String name) {
        return params.getOrDefault(name, "");
    }

    boolean usable() {
        return Double.isFinite(score) && score > 0;
    }
}
