// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;

/**
 * Java's {@code callSrcu} against libsrcu4j's {@code s4j_call_srcu}, in one report: the cost of a
 * call as its caller sees it while workers run the callbacks and share grace periods, from
 * {@link CallSrcuBenchmark#call} on one path and from the rows of {@code native/bench/bench_defer.c}
 * in native.json ({@value #C_1T} and {@value #C_2T}: N calls from 1 thread, or N/2 from each of
 * 2, onto one domain whose worker drains meanwhile; the figure is the time until the last call
 * returned, per call). Each side in wall time and in the callers' own CPU time, which other
 * threads sharing the CPUs do not add to.
 *
 * <p>The aims: Java at most {@value #VS_C}x C's at 1 thread, and at 2 threads, per thread, at
 * most {@value #TWO_THREADS}x the 1-thread cost, in C and in Java. The Java call runs in rounds,
 * each at 1 thread then at 2 ({@link BenchPlan#CALL_ROUNDS}, {@link BenchPlan#FULL_CALL_ROUNDS} in
 * {@code make bench}): a figure is the median over the
 * rounds, a ratio the median of the rounds' ratios. Then where Java's extra at 2 threads goes:
 * what 2 threads cost each other when each calls a domain of its own ({@link
 * CallSrcuBenchmark#callOwnDomain}, run in each round beside the other two: no domain, queue or
 * stripe is shared, so its ratio to 1 thread is this machine's floor), and what sharing one domain adds to
 * that; the CPU time srcu4j's workers and the collector spend per call, and the wall ratio the
 * CPU times alone predict once two callers, the workers and the collector share this machine's
 * CPUs.
 */
final class CallSrcuVsC {

    static final String TITLE = "callSrcu against C";
    static final String C_1T = "call_srcu_1t";
    static final String C_2T = "call_srcu_2t";
    /** bench_defer.c's field: the rest of the process's CPU time per call while the enqueuers queued. */
    static final String C_WORKERS_CPU = "workers_cpu_ns_per_call";
    static final double VS_C = 2.0;
    static final double TWO_THREADS = 1.2;
    static final Figure.Aim VS_C_AIM = new Figure.Aim("<= 2x", VS_C);
    static final Figure.Aim TWO_THREADS_AIM = new Figure.Aim("<= 1.2x", TWO_THREADS);

    /** {@link CallSrcuBenchmark.CallCpu}'s counters, as JMH names its secondary results. */
    static final String CALLS = "calls";
    static final String CALLER_CPU = "callerCpuNanos";
    static final String WORKER_CPU = "workerCpuNanos";
    static final String GC_CPU = "gcCpuNanos";

    private CallSrcuVsC() {
    }

    /**
     * One run of the call at one thread count, per call and per thread: wall time (JMH's score),
     * the caller's CPU time, and the CPU time of srcu4j's workers and of the collector (NaN where
     * the run has no CPU counters).
     */
    record Round(double wall, double cpu, double workers, double gc) {
        static Round of(Measurement m) {
            double calls = m.secondary(CALLS);
            return new Round(m.nanosPerOp(), per(m.secondary(CALLER_CPU), calls), per(m.secondary(WORKER_CPU), calls),
                    per(m.secondary(GC_CPU), calls));
        }

        private static double per(double total, double calls) {
            return calls > 0 ? total / calls : Double.NaN;
        }
    }

    /** The figures for the Java rows measured on {@code path}, on a machine of {@code cpus} CPUs. */
    static List<Figure> figures(Results r, String path, int cpus) {
        List<Round> one = rounds(r, Results.CALL_SRCU_CALL, path, 1);
        List<Round> two = rounds(r, Results.CALL_SRCU_CALL, path, 2);
        OptionalDouble java1 = median(one, Round::wall);
        OptionalDouble java2 = median(two, Round::wall);
        OptionalDouble cpu1 = median(one, Round::cpu);
        OptionalDouble cpu2 = median(two, Round::cpu);
        NativeResults nat = r.nativeResults();
        Optional<NativeResults.Row> c1Row = nat.row(C_1T, "srcu4j");
        Optional<NativeResults.Row> c2Row = nat.row(C_2T, "srcu4j");
        OptionalDouble c1 = c1Row.map(row -> finite(row.enqueueNsPerOp())).orElse(OptionalDouble.empty());
        // Each of the two threads made N/2 calls before the later one returned: per call, twice
        // the time per item.
        OptionalDouble c2 = c2Row.map(row -> finite(2 * row.enqueueNsPerOp())).orElse(OptionalDouble.empty());
        OptionalDouble cCpu1 = c1Row.map(row -> finite(row.enqueueCpuNsPerCall())).orElse(OptionalDouble.empty());
        OptionalDouble cCpu2 = c2Row.map(row -> finite(row.enqueueCpuNsPerCall())).orElse(OptionalDouble.empty());
        String noC = nat.missing() != null ? "no C figures: " + nat.missing()
                : c1.isEmpty() ? "native.json has no " + C_1T + " row with enqueue_ns_per_op" : "";
        String javaMissing = "not measured: CallSrcuBenchmark.call on " + path + " gave no result";
        String noCounters = "not measured: the run has no CPU counters (CallSrcuBenchmark.CallCpu)";
        String rounds = one.size() == two.size() && one.size() > 1 ? "median of " + one.size() + " rounds" : "";

        List<Figure> figures = new ArrayList<>();
        figures.add(new Figure("", "java_1t_ns", "Java callSrcu per call, 1 thread (" + path + ")", java1, "ns", null,
                java1.isEmpty() ? javaMissing : join("wall time", rounds)));
        figures.add(new Figure("", "java_1t_cpu_ns", "Java caller's CPU time per call, 1 thread", cpu1, "ns", null,
                java1.isEmpty() ? javaMissing : cpu1.isEmpty() ? noCounters : "the calling thread's own CPU time"));
        figures.add(new Figure("", "c_1t_ns", "C s4j_call_srcu per call, 1 thread", c1, "ns", null, noC.isEmpty()
                ? "native.json " + C_1T + ": until the last call returned / N" : noC));
        figures.add(new Figure("", "c_1t_cpu_ns", "C caller's CPU time per call, 1 thread", cCpu1, "ns", null,
                cCpu1.isPresent() ? "native.json " + C_1T + ": enqueue_cpu_ns_per_call" : cNote(noC, C_1T)));
        figures.add(new Figure("", "java_to_c_1t", "Java / C, 1 thread", Results.ratio(java1, c1), "x", VS_C_AIM,
                c1.isEmpty() ? "no C figure to compare with" : "wall time"));
        figures.add(new Figure("", "java_to_c_1t_cpu", "Java / C, CPU time, 1 thread", Results.ratio(cpu1, cCpu1), "x",
                null, ""));
        figures.add(new Figure("", "java_2t_ns", "Java callSrcu per call, 2 threads", java2, "ns", null,
                java2.isEmpty() ? javaMissing : join("both threads call into one domain; per thread", rounds)));
        figures.add(new Figure("", "java_2t_cpu_ns", "Java caller's CPU time per call, 2 threads", cpu2, "ns", null,
                java2.isEmpty() ? javaMissing : cpu2.isEmpty() ? noCounters : "each thread's own, averaged"));
        OptionalDouble wallRatio = pairedRatio(one, two, Round::wall);
        OptionalDouble cpuRatio = pairedRatio(one, two, Round::cpu);
        figures.add(new Figure("", "java_2t_to_1t", "Java 2 threads / 1 thread, wall", wallRatio, "x",
                TWO_THREADS_AIM, rounds.isEmpty() ? "" : spread(one, two, Round::wall)));
        figures.add(new Figure("", "java_2t_to_1t_cpu", "Java 2 threads / 1 thread, caller's CPU time", cpuRatio, "x",
                TWO_THREADS_AIM, cpuRatio.isEmpty() ? noCounters : rounds.isEmpty() ? "" : spread(one, two, Round::cpu)));
        figures.addAll(floor(one, two, rounds(r, Results.CALL_SRCU_OWN_DOMAIN, path, 2)));
        figures.add(new Figure("", "c_2t_ns", "C s4j_call_srcu per call, 2 threads", c2, "ns", null, c2.isEmpty() ? noC
                : "native.json " + C_2T + ": the slower thread's, 2 x until both returned / N"));
        figures.add(new Figure("", "c_2t_cpu_ns", "C caller's CPU time per call, 2 threads", cCpu2, "ns", null,
                cCpu2.isPresent() ? "native.json " + C_2T + ": each thread's own, averaged" : cNote(noC, C_2T)));
        figures.add(new Figure("", "c_2t_to_1t", "C 2 threads / 1 thread, wall", Results.ratio(c2, c1), "x",
                TWO_THREADS_AIM, ""));
        OptionalDouble cCpuRatio = Results.ratio(cCpu2, cCpu1);
        figures.add(new Figure("", "c_2t_to_1t_cpu", "C 2 threads / 1 thread, caller's CPU time",
                cCpuRatio, "x", TWO_THREADS_AIM, ""));
        figures.addAll(whereItGoes(one, two, cpuRatio, cpus));
        figures.addAll(whereCGoes(c1Row, c2Row, c2, cCpuRatio, cpus, noC));
        figures.add(new Figure("", "java_throughput_ns", "Java throughput per callback, 1 thread",
                r.nanos(Results.CALL_SRCU_THROUGHPUT, Map.of("path", path), 1, ThreadKind.PLATFORM), "ns", null,
                "batches of " + CallSrcuBenchmark.BATCH + " calls, then barrier()"));
        figures.add(new Figure("", "c_throughput_ns", "C throughput per callback, 1 thread",
                c1Row.map(row -> finite(row.nsPerOp())).orElse(OptionalDouble.empty()), "ns", null,
                c1Row.isPresent() ? "native.json " + C_1T + ": N calls, then until all ran, / N" : noC));
        return figures;
    }

    /**
     * The machine's floor under the 2-thread ratios: 2 threads each on a domain of its own against
     * 1 thread, and what calling one domain from both adds to it, each the median of the rounds'
     * ratios (the runs of a round one right after the other).
     */
    private static List<Figure> floor(List<Round> one, List<Round> two, List<Round> own) {
        String missing = "not measured: no CallSrcuBenchmark.callOwnDomain run at 2 threads";
        String shareNothing = "2 threads each on a domain of its own (no domain, queue or stripe shared; the pool's"
                + " workers are): two busy callers on this machine";
        OptionalDouble ownCpu = pairedRatio(one, own, Round::cpu);
        return List.of(
                new Figure("", "java_2t_own_to_1t", "Java 2 threads, a domain each / 1 thread, wall",
                        pairedRatio(one, own, Round::wall), "x", null, own.isEmpty() ? missing : shareNothing),
                new Figure("", "java_2t_own_to_1t_cpu", "Java 2 threads, a domain each / 1 thread, caller's CPU time",
                        ownCpu, "x", null, own.isEmpty() ? missing : ownCpu.isEmpty() ? "no CPU counters"
                                : shareNothing),
                new Figure("", "java_2t_to_own_cpu", "Java 2 threads, one domain / a domain each, caller's CPU time",
                        pairedRatio(own, two, Round::cpu), "x", null, own.isEmpty() ? missing
                                : "what calling one domain from both threads adds to the floor above"));
    }

    /**
     * What Java's calls cost the rest of the process, and the wall ratio at 2 threads that the
     * CPU times alone allow: two callers each wanting a CPU, beside the workers and the collector,
     * on {@code cpus} CPUs. When they want more than there is, each caller gets half of what the
     * workers and the collector leave, and its wall time per call grows by that much over its
     * CPU time. What the measured ratio has beyond this, other load on the machine took.
     */
    private static List<Figure> whereItGoes(List<Round> one, List<Round> two, OptionalDouble cpuRatio, int cpus) {
        OptionalDouble workers1 = median(one, Round::workers);
        OptionalDouble workers2 = median(two, Round::workers);
        OptionalDouble gc1 = median(one, Round::gc);
        OptionalDouble gc2 = median(two, Round::gc);
        // CPUs the workers and the collector kept busy at 2 threads: their CPU time per call
        // times the calls per ns of both threads.
        OptionalDouble wall2 = median(two, Round::wall);
        OptionalDouble busy = workers2.isPresent() && gc2.isPresent() && wall2.isPresent()
                ? OptionalDouble.of((workers2.getAsDouble() + gc2.getAsDouble()) * 2 / wall2.getAsDouble())
                : OptionalDouble.empty();
        OptionalDouble floor = sharingFloor(cpuRatio, busy, cpus);
        String floorNote = floorNote(busy, cpus, "workers and the collector");
        String perCall = "per call, over the iteration and until its callbacks ran";
        return List.of(
                new Figure("", "java_1t_workers_ns", "srcu4j workers' CPU time per call, 1 thread", workers1, "ns",
                        null, perCall),
                new Figure("", "java_2t_workers_ns", "srcu4j workers' CPU time per call, 2 threads", workers2, "ns",
                        null, perCall),
                new Figure("", "java_1t_gc_ns", "collector's CPU time per call, 1 thread", gc1, "ns", null,
                        "GC threads and the VM thread, " + perCall),
                new Figure("", "java_2t_gc_ns", "collector's CPU time per call, 2 threads", gc2, "ns", null,
                        "GC threads and the VM thread, " + perCall),
                new Figure("", "java_2t_to_1t_sharing", "Java 2 threads / 1 thread, wall, from the CPU times",
                        floor, "x", null, floorNote));
    }

    /**
     * The same for C: the callback workers' CPU time while the enqueuers queued (bench_defer.c's
     * workers_cpu_ns_per_call), and the wall ratio at 2 threads it leaves room for.
     */
    private static List<Figure> whereCGoes(Optional<NativeResults.Row> c1Row, Optional<NativeResults.Row> c2Row,
            OptionalDouble c2, OptionalDouble cpuRatio, int cpus, String noC) {
        OptionalDouble workers1 = c1Row.map(row -> finite(row.number(C_WORKERS_CPU))).orElse(OptionalDouble.empty());
        OptionalDouble workers2 = c2Row.map(row -> finite(row.number(C_WORKERS_CPU))).orElse(OptionalDouble.empty());
        // CPUs the workers kept busy at 2 threads: their CPU time per call times both threads'
        // calls per ns (c2 is one thread's wall time per call).
        OptionalDouble busy = workers2.isPresent() && c2.isPresent()
                ? OptionalDouble.of(workers2.getAsDouble() * 2 / c2.getAsDouble()) : OptionalDouble.empty();
        String note = "native.json: the process's CPU time while the enqueuers queued, less theirs, per call";
        return List.of(
                new Figure("", "c_1t_workers_ns", "C workers' CPU time per call, 1 thread", workers1, "ns", null,
                        workers1.isPresent() ? note : cNote(noC, C_1T, C_WORKERS_CPU)),
                new Figure("", "c_2t_workers_ns", "C workers' CPU time per call, 2 threads", workers2, "ns", null,
                        workers2.isPresent() ? note : cNote(noC, C_2T, C_WORKERS_CPU)),
                new Figure("", "c_2t_to_1t_sharing", "C 2 threads / 1 thread, wall, from the CPU times",
                        sharingFloor(cpuRatio, busy, cpus), "x", null, floorNote(busy, cpus, "workers")));
    }

    /**
     * The wall ratio at 2 threads the CPU times alone allow: the CPU ratio, times 2 callers over
     * the CPUs that {@code busy} CPUs of other threads of the process leave them, when below 2.
     */
    private static OptionalDouble sharingFloor(OptionalDouble cpuRatio, OptionalDouble busy, int cpus) {
        if (busy.isEmpty() || cpuRatio.isEmpty()) {
            return OptionalDouble.empty();
        }
        double left = cpus - busy.getAsDouble();
        return OptionalDouble.of(cpuRatio.getAsDouble() * Math.max(1, left > 0 ? 2 / left : Double.NaN));
    }

    private static String floorNote(OptionalDouble busy, int cpus, String who) {
        return busy.isEmpty() ? "" : String.format(Locale.ROOT, "the CPU ratio, times 2 callers over the %.2f of %d"
                + " CPUs the %s (%.2f CPUs) left them, when below 2; the rest of the measured wall ratio is other"
                + " load", cpus - busy.getAsDouble(), cpus, who, busy.getAsDouble());
    }

    /** The rounds of {@code benchmark} on {@code path} at {@code threads} platform threads, in the order they ran. */
    static List<Round> rounds(Results r, String benchmark, String path, int threads) {
        return r.rounds().stream()
                .filter(m -> m.matches(benchmark, Map.of("path", path)) && m.threads() == threads
                        && m.kind() == ThreadKind.PLATFORM && m.usable())
                .map(Round::of).toList();
    }

    /** The median of a figure over the rounds that have it; empty when none has. */
    static OptionalDouble median(List<Round> rounds, ToDoubleFunction<Round> figure) {
        return median(rounds.stream().mapToDouble(figure).filter(v -> Double.isFinite(v) && v >= 0).toArray());
    }

    /**
     * The median over the rounds of 2 threads' figure over 1 thread's, each pair run one right
     * after the other; the ratio of the medians when the rounds do not pair up.
     */
    static OptionalDouble pairedRatio(List<Round> one, List<Round> two, ToDoubleFunction<Round> figure) {
        if (one.size() != two.size() || one.isEmpty()) {
            return Results.ratio(median(two, figure), median(one, figure));
        }
        return median(ratios(one, two, figure));
    }

    /** "median of the rounds' ratios", with the lowest and the highest of them. */
    static String spread(List<Round> one, List<Round> two, ToDoubleFunction<Round> figure) {
        double[] ratios = ratios(one, two, figure);
        if (one.size() != two.size() || ratios.length == 0) {
            return "ratio of the medians";
        }
        return String.format(Locale.ROOT, "median of the rounds' ratios (%.2f to %.2f)",
                Arrays.stream(ratios).min().getAsDouble(), Arrays.stream(ratios).max().getAsDouble());
    }

    private static double[] ratios(List<Round> one, List<Round> two, ToDoubleFunction<Round> figure) {
        double[] ratios = new double[Math.min(one.size(), two.size())];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = figure.applyAsDouble(two.get(i)) / figure.applyAsDouble(one.get(i));
        }
        return Arrays.stream(ratios).filter(v -> Double.isFinite(v) && v > 0).toArray();
    }

    private static OptionalDouble median(double[] values) {
        if (values.length == 0) {
            return OptionalDouble.empty();
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return OptionalDouble.of(sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2);
    }

    private static String cNote(String noC, String row) {
        return cNote(noC, row, "enqueue_cpu_ns_per_call");
    }

    private static String cNote(String noC, String row, String field) {
        return noC.isEmpty() ? "native.json " + row + " has no " + field : noC;
    }

    private static String join(String a, String b) {
        return b.isEmpty() ? a : a + "; " + b;
    }

    private static OptionalDouble finite(double v) {
        return Double.isFinite(v) && v > 0 ? OptionalDouble.of(v) : OptionalDouble.empty();
    }
}
