// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * One JMH invocation of the report: a benchmark method with fixed parameter lists, at one thread
 * count on one kind of thread. JMH forks once per parameter combination inside it. The unit of
 * the scores is the benchmark's own {@code @OutputTimeUnit} (ns for a read pair, µs for a grace
 * period); {@link Measurement} carries it into the report.
 *
 * @param benchmark class holding the benchmark method
 * @param method    the benchmark method's name
 * @param params    parameter name to the values to run, in order
 * @param threads   benchmark threads
 * @param kind      platform or virtual benchmark threads
 */
record BenchRun(Class<?> benchmark, String method, Map<String, List<String>> params, int threads,
        ThreadKind kind) {

    BenchRun {
        params = new LinkedHashMap<>(params);
    }

    /** How many forks (parameter combinations) this run makes. */
    int combinations() {
        int n = 1;
        for (List<String> values : params.values()) {
            n *= values.size();
        }
        return n;
    }

    Options options(BenchSettings settings, String[] forkedJvmArgs) {
        String exactly = "^" + Pattern.quote(benchmark.getName()) + "\\." + method + "$";
        List<String> jvmArgs = new ArrayList<>(List.of(forkedJvmArgs));
        jvmArgs.addAll(kind.jvmArgs(threads));
        methodJvmArgs().stream().filter(a -> !jvmArgs.contains(a)).forEach(jvmArgs::add);
        ChainedOptionsBuilder builder = new OptionsBuilder()
                .include(exactly)
                .threads(threads)
                .forks(settings.forks())
                .warmupIterations(settings.warmups())
                .warmupTime(settings.warmupTime())
                .measurementIterations(settings.iterations())
                .measurementTime(settings.iterationTime())
                .jvmArgsAppend(jvmArgs.toArray(String[]::new))
                .shouldFailOnError(false);
        params.forEach((name, values) -> builder.param(name, values.toArray(String[]::new)));
        return builder.build();
    }

    /**
     * What the benchmark method's own {@code @Fork} appends to the fork's JVM arguments (a fixed
     * heap, say). JMH replaces an annotation's {@code jvmArgsAppend} with the options' own, so the
     * run carries them over; the method's name and args then mean the same by hand and here.
     */
    List<String> methodJvmArgs() {
        for (Method m : benchmark.getMethods()) {
            Fork fork = m.getName().equals(method) ? m.getAnnotation(Fork.class) : null;
            if (fork != null) {
                return Arrays.asList(fork.jvmArgsAppend());
            }
        }
        return List.of();
    }

    @Override
    public String toString() {
        return benchmark.getSimpleName() + "." + method + " " + params + " threads=" + threads + " "
                + kind.label;
    }
}
