// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Java's {@code callSrcu} against libsrcu4j's {@code s4j_call_srcu}, in one report: the cost of a
 * call as its caller sees it while workers run the callbacks and share grace periods, from
 * {@link CallSrcuBenchmark#call} on one path and from the rows of {@code native/bench/bench_defer.c}
 * in native.json ({@value #C_1T} and {@value #C_2T}: N calls from 1 thread, or N/2 from each of
 * 2, onto one domain whose worker drains meanwhile; the figure is the time until the last call
 * returned, per call). The aims: Java at most {@value #VS_C}x C's at 1 thread, and Java's call at 2
 * threads at most {@value #TWO_THREADS}x its call at 1. The other rows give context: C at 2
 * threads, and the two throughputs (callbacks queued, then awaited).
 */
final class CallSrcuVsC {

    static final String TITLE = "callSrcu against C";
    static final String C_1T = "call_srcu_1t";
    static final String C_2T = "call_srcu_2t";
    static final double VS_C = 2.0;
    static final double TWO_THREADS = 1.5;
    static final Figure.Aim VS_C_AIM = new Figure.Aim("<= 2x", VS_C);
    static final Figure.Aim TWO_THREADS_AIM = new Figure.Aim("<= 1.5x", TWO_THREADS);

    private CallSrcuVsC() {
    }

    /** The figures for the Java rows measured on {@code path}. */
    static List<Figure> figures(Results r, String path) {
        OptionalDouble java1 = r.nanos(Results.CALL_SRCU_CALL, Map.of("path", path), 1, ThreadKind.PLATFORM);
        OptionalDouble java2 = r.nanos(Results.CALL_SRCU_CALL, Map.of("path", path), 2, ThreadKind.PLATFORM);
        NativeResults nat = r.nativeResults();
        Optional<NativeResults.Row> c1Row = nat.row(C_1T, "srcu4j");
        Optional<NativeResults.Row> c2Row = nat.row(C_2T, "srcu4j");
        OptionalDouble c1 = c1Row.map(row -> finite(row.enqueueNsPerOp())).orElse(OptionalDouble.empty());
        // Each of the two threads made N/2 calls before the later one returned: per call, twice
        // the time per item.
        OptionalDouble c2 = c2Row.map(row -> finite(2 * row.enqueueNsPerOp())).orElse(OptionalDouble.empty());
        String noC = nat.missing() != null ? "no C figures: " + nat.missing()
                : c1.isEmpty() ? "native.json has no " + C_1T + " row with enqueue_ns_per_op" : "";
        String javaMissing = "not measured: CallSrcuBenchmark.call on " + path + " gave no result";

        List<Figure> figures = new ArrayList<>();
        figures.add(new Figure("", "java_1t_ns", "Java callSrcu per call, 1 thread (" + path + ")", java1, "ns", null,
                java1.isEmpty() ? javaMissing : ""));
        figures.add(new Figure("", "c_1t_ns", "C s4j_call_srcu per call, 1 thread", c1, "ns", null, noC.isEmpty()
                ? "native.json " + C_1T + ": until the last call returned / N" : noC));
        figures.add(new Figure("", "java_to_c_1t", "Java / C, 1 thread", Results.ratio(java1, c1), "x", VS_C_AIM,
                c1.isEmpty() ? "no C figure to compare with" : ""));
        figures.add(new Figure("", "java_2t_ns", "Java callSrcu per call, 2 threads", java2, "ns", null,
                java2.isEmpty() ? javaMissing : "both threads call into one domain"));
        figures.add(new Figure("", "java_2t_to_1t", "Java 2 threads / 1 thread", Results.ratio(java2, java1), "x",
                TWO_THREADS_AIM, ""));
        figures.add(new Figure("", "c_2t_ns", "C s4j_call_srcu per call, 2 threads", c2, "ns", null, c2.isEmpty() ? noC
                : "native.json " + C_2T + ": the slower thread's, 2 x until both returned / N"));
        figures.add(new Figure("", "c_2t_to_1t", "C 2 threads / 1 thread", Results.ratio(c2, c1), "x", null, ""));
        figures.add(new Figure("", "java_throughput_ns", "Java throughput per callback, 1 thread",
                r.nanos(Results.CALL_SRCU_THROUGHPUT, Map.of("path", path), 1, ThreadKind.PLATFORM), "ns", null,
                "batches of " + CallSrcuBenchmark.BATCH + " calls, then barrier()"));
        figures.add(new Figure("", "c_throughput_ns", "C throughput per callback, 1 thread",
                c1Row.map(row -> finite(row.nsPerOp())).orElse(OptionalDouble.empty()), "ns", null,
                c1Row.isPresent() ? "native.json " + C_1T + ": N calls, then until all ran, / N" : noC));
        return figures;
    }

    private static OptionalDouble finite(double v) {
        return Double.isFinite(v) && v > 0 ? OptionalDouble.of(v) : OptionalDouble.empty();
    }
}
