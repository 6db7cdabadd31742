// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * Everything one report run measured, and the questions the report asks of it: read-pair tables
 * per thread kind (ratios against one full fence), the headline figures, a table per workload
 * benchmark (read-mostly lookups, grace periods, callSrcu), callSrcu against C, the other
 * benchmarks, and what a domain costs to have on each path.
 *
 * @param measurements one per configuration: a configuration measured in several rounds is its
 *                     median round ({@link Measurement#medianRounds})
 * @param lifecycle    the lifecycle figures per path ({@link LifecycleBenchmark}); empty when not run
 * @param rounds       every measurement, rounds included, in the order they ran
 * @param threadScale  the read pair against the fence at each thread count ({@link ThreadScaleBenchmark});
 *                     empty when not run
 * @param expedited    the Java runs of synchronizeExpedited against synchronize ({@link ExpeditedBenchmark});
 *                     empty when not run
 */
record Results(List<Measurement> measurements, List<String> machine, NativeResults nativeResults,
        List<Lifecycle> lifecycle, List<String> failures, List<Measurement> rounds, List<ThreadScale> threadScale,
        List<ExpeditedRun> expedited) {

    static final String READ_PAIR = "ReadPairBenchmark.readPair";
    static final String BASELINE = ReadPairBenchmark.Impl.FULL_FENCE.name();
    static final String READ_MOSTLY = "ReadMostlyBenchmark.lookup";
    static final String GRACE_PERIOD = "GracePeriodBenchmark.gracePeriod";
    static final String CALL_SRCU_THROUGHPUT = "CallSrcuBenchmark.throughput";
    static final String CALL_SRCU_LATENCY = "CallSrcuBenchmark.callbackLatency";
    static final String CALL_SRCU_CALL = "CallSrcuBenchmark.call";
    static final String CALL_SRCU_OWN_DOMAIN = "CallSrcuBenchmark.callOwnDomain";
    static final String LIFECYCLE_TITLE = "Domain lifecycle";
    /** How the lifecycle figures were taken, under their table. */
    static final String LIFECYCLE_NOTE = "each path's parts ran in JVMs of their own; garbage: every thread's heap"
            + " allocations per create()+close(), JVM-wide; native memory: growth of malloc's bytes in use (mallinfo2)"
            + " and of RssAnon (which also counts thread stacks) across the idle domains created, the larger counting;"
            + " threads: tasks of /proc/self/task beyond those before srcu4j was first used, by name (the aim counts"
            + " the workers; the cleaners are one each per JVM)";
    static final String READ_MOSTLY_TITLE = "Read-mostly off-heap table lookups";
    static final String GRACE_PERIOD_TITLE = "Grace periods";
    static final String CALL_SRCU_TITLE = "callSrcu";
    static final String OTHER_TITLE = "Other benchmarks";
    /** How the aims' ratios are taken (see {@link #sideBySide}). */
    static final String AIM_RATIOS = "ratios with an aim: the median over the rounds of the two rows run one right"
            + " after the other; a row's ns: its median round";

    Results {
        measurements = List.copyOf(measurements);
        machine = List.copyOf(machine);
        lifecycle = List.copyOf(lifecycle);
        failures = List.copyOf(failures);
        rounds = List.copyOf(rounds);
        threadScale = List.copyOf(threadScale);
        expedited = List.copyOf(expedited);
    }

    /** The results of {@code rounds}, every measurement a run made, and of the lifecycle parts. */
    Results(List<Measurement> rounds, List<String> machine, NativeResults nativeResults, List<Lifecycle> lifecycle,
            List<String> failures) {
        this(rounds, machine, nativeResults, lifecycle, List.of(), failures);
    }

    /** The results of {@code rounds}, of the lifecycle parts and of the thread-count runs. */
    Results(List<Measurement> rounds, List<String> machine, NativeResults nativeResults, List<Lifecycle> lifecycle,
            List<ThreadScale> threadScale, List<String> failures) {
        this(rounds, machine, nativeResults, lifecycle, threadScale, List.of(), failures);
    }

    /** The results of {@code rounds}, of the lifecycle parts, the thread-count runs and the expedited runs. */
    Results(List<Measurement> rounds, List<String> machine, NativeResults nativeResults, List<Lifecycle> lifecycle,
            List<ThreadScale> threadScale, List<ExpeditedRun> expedited, List<String> failures) {
        this(Measurement.medianRounds(rounds), machine, nativeResults, lifecycle, failures, rounds, threadScale,
                expedited);
    }

    /** synchronize_expedited against synchronize, the C rows and the Java runs. */
    List<Figure> expeditedFigures() {
        return ExpeditedVsNormal.figures(nativeResults, expedited);
    }

    /** The read pair against the fence at each thread count run, in the order they ran. */
    List<Figure> threadScaleFigures() {
        return threadScale.stream().map(ThreadScale::figure).toList();
    }

    /** The results of {@code rounds}, with no lifecycle figures. */
    Results(List<Measurement> rounds, List<String> machine, NativeResults nativeResults, List<String> failures) {
        this(rounds, machine, nativeResults, List.of(), failures);
    }

    /** callSrcu against libsrcu4j's s4j_call_srcu, the Java rows on the default path. */
    List<Figure> callSrcuVsC() {
        return CallSrcuVsC.figures(this, BenchPaths.defaultPath(), Runtime.getRuntime().availableProcessors());
    }

    /** Every path's lifecycle figures, the thread aim for this machine's CPUs (as the parts counted them). */
    List<Figure> lifecycleFigures() {
        List<Figure> figures = new ArrayList<>();
        for (Lifecycle l : lifecycle) {
            int cpus = (int) l.number("cpus").orElse(Runtime.getRuntime().availableProcessors());
            figures.addAll(l.figures(cpus));
        }
        return figures;
    }

    /** The read pair on {@code kind} threads, every impl and thread count, against the fence. */
    ReportTable readPairTable(ThreadKind kind) {
        List<ReportTable.Row> rows = new ArrayList<>();
        for (Measurement m : measurements) {
            if (m.benchmark().equals(READ_PAIR) && m.kind() == kind) {
                rows.add(new ReportTable.Row(m.param("impl"), m.threads(), m.score(), m.error()));
            }
        }
        return new ReportTable(BASELINE, "ns/op", rows);
    }

    /** A read pair's score, or empty when it was not measured. */
    OptionalDouble readPair(String impl, int threads, ThreadKind kind) {
        return score(READ_PAIR, "impl", impl, threads, kind);
    }

    /** {@link #nanos} with one parameter given. */
    OptionalDouble score(String benchmark, String param, String value, int threads, ThreadKind kind) {
        return nanos(benchmark, Map.of(param, value), threads, kind);
    }

    /**
     * The score in ns per operation (whatever unit the benchmark reported in) of {@code benchmark}
     * with {@code params} at {@code threads} on {@code kind}; empty when it was not measured.
     */
    OptionalDouble nanos(String benchmark, Map<String, String> params, int threads, ThreadKind kind) {
        return measurements.stream()
                .filter(m -> m.matches(benchmark, params) && m.threads() == threads && m.kind() == kind
                        && m.usable())
                .mapToDouble(Measurement::nanosPerOp).filter(Double::isFinite).findFirst();
    }

    /** ns per lookup of a read-mostly row at 2 platform threads; {@code path} only counts for SRCU. */
    OptionalDouble readMostly(String impl, String path) {
        Map<String, String> params = impl.equals(ReadMostlyBenchmark.Impl.SRCU.name())
                ? Map.of("impl", impl, "path", path) : Map.of("impl", impl);
        return nanos(READ_MOSTLY, params, 2, ThreadKind.PLATFORM);
    }

    /** Torn reads over every read-mostly row (0 when the protections held); empty when none ran. */
    OptionalDouble tornReads() {
        return measurements.stream().filter(m -> m.benchmark().equals(READ_MOSTLY))
                .mapToDouble(m -> m.secondary("tornReads")).filter(Double::isFinite)
                .reduce(Double::sum);
    }

    /** A read-mostly row's name: the impl, with the path for SRCU ("SRCU/java"). */
    static String readMostlyLabel(Measurement m) {
        return m.param("impl").equals(ReadMostlyBenchmark.Impl.SRCU.name())
                ? m.param("impl") + "/" + m.param("path") : m.param("impl");
    }

    /** The impl name of the default path's read-pair row. */
    static String defaultImpl() {
        return BenchPaths.defaultPath().equals(BenchPaths.JAVA) ? ReadPairBenchmark.Impl.JAVA.name()
                : ReadPairBenchmark.Impl.NATIVE_DIRECT.name();
    }

    /** One headline figure with what it is compared against. */
    record Headline(String what, OptionalDouble value, String unit, String comparedWith, OptionalDouble ratio,
            String aim) {
    }

    List<Headline> headlines() {
        List<Headline> lines = new ArrayList<>();
        String def = defaultImpl();
        OptionalDouble fence = readPair(BASELINE, 1, ThreadKind.PLATFORM);
        OptionalDouble def1 = readPair(def, 1, ThreadKind.PLATFORM);
        OptionalDouble def2 = readPair(def, 2, ThreadKind.PLATFORM);
        lines.add(new Headline("read pair, default path (" + def + "), 1 thread", def1, "ns",
                "one fullFence", sideBySide(def, 1, ThreadKind.PLATFORM, BASELINE, 1, ThreadKind.PLATFORM),
                "<= 1.5x"));
        OptionalDouble virt = readPair(def, 1, ThreadKind.VIRTUAL);
        lines.add(new Headline("read pair, default path, 1 virtual thread", virt, "ns", "one fullFence",
                sideBySide(def, 1, ThreadKind.VIRTUAL, BASELINE, 1, ThreadKind.PLATFORM), "<= 3x"));
        lines.add(new Headline("read pair, default path, 2 threads", def2, "ns", "the same at 1 thread",
                sideBySide(def, 2, ThreadKind.PLATFORM, def, 1, ThreadKind.PLATFORM), "<= 1.2x"));
        for (ReadPairBenchmark.Impl impl : ReadPairBenchmark.Impl.values()) {
            if (impl.isSrcu() && !impl.name().equals(def)) {
                OptionalDouble v = readPair(impl.name(), 1, ThreadKind.PLATFORM);
                lines.add(new Headline("read pair, " + impl.path + ", 1 thread", v, "ns", "one fullFence",
                        ratio(v, fence), ""));
            }
        }
        for (String lock : List.of("RWLOCK", "STAMPED")) {
            OptionalDouble v = readPair(lock, 2, ThreadKind.PLATFORM);
            lines.add(new Headline(lock + " read pair, 2 threads", v, "ns", "srcu4j default path, 2 threads",
                    ratio(v, def2), ""));
        }
        return lines;
    }

    /**
     * Read pair a over read pair b as measured side by side: when both ran in the same number
     * of rounds (more than one), the median of the rounds' ratios, each round's two rows run
     * one right after the other, so that a neighbour's load on the machine weighs on both; else
     * the ratio of their scores.
     */
    OptionalDouble sideBySide(String a, int aThreads, ThreadKind aKind, String b, int bThreads, ThreadKind bKind) {
        double[] as = roundScores(a, aThreads, aKind);
        double[] bs = roundScores(b, bThreads, bKind);
        if (as.length < 2 || as.length != bs.length) {
            return ratio(readPair(a, aThreads, aKind), readPair(b, bThreads, bKind));
        }
        double[] ratios = new double[as.length];
        for (int i = 0; i < as.length; i++) {
            ratios[i] = as[i] / bs[i];
        }
        Arrays.sort(ratios);
        int mid = ratios.length / 2;
        return OptionalDouble.of(ratios.length % 2 == 1 ? ratios[mid] : (ratios[mid - 1] + ratios[mid]) / 2);
    }

    /** A read pair's ns per operation in each round it ran, in order. */
    private double[] roundScores(String impl, int threads, ThreadKind kind) {
        return rounds.stream()
                .filter(m -> m.matches(READ_PAIR, Map.of("impl", impl)) && m.threads() == threads && m.kind() == kind
                        && m.usable())
                .mapToDouble(Measurement::nanosPerOp).filter(d -> Double.isFinite(d) && d > 0).toArray();
    }

    /** a / b; empty when either is missing or b is not above 0. */
    static OptionalDouble ratio(OptionalDouble a, OptionalDouble b) {
        return a.isPresent() && b.isPresent() && b.getAsDouble() > 0
                ? OptionalDouble.of(a.getAsDouble() / b.getAsDouble()) : OptionalDouble.empty();
    }

    /**
     * One table of the report beyond the read pair.
     *
     * @param title what it measures
     * @param note  how to read it, one sentence
     * @param cells the rows, the first the header; the first {@code keyColumns} name the row
     */
    record Section(String title, String note, List<String[]> cells, int keyColumns) {
        boolean isEmpty() {
            return cells.size() <= 1;
        }
    }

    /** The workload benchmarks' tables, then every other benchmark's; empty ones included. */
    List<Section> sections() {
        return List.of(
                section(READ_MOSTLY_TITLE,
                        "ns per lookup while an updater swaps the table; tornReads must be 0 (retries:"
                                + " ARENA_CLOSE readers that found their table closed)",
                        List.of("impl", "threads", "swap every"),
                        m -> List.of(readMostlyLabel(m), threadsCell(m), m.param("updateMicros") + " µs"),
                        List.of("tornReads", "retries")),
                section(GRACE_PERIOD_TITLE, "time one synchronize() takes, with no readers or with one busy reader",
                        List.of("kind", "readers", "path"),
                        m -> List.of(m.param("kind"), m.param("readers"), m.param("path")), List.of()),
                section(CALL_SRCU_TITLE, "call: per callSrcu call, the workers running the callbacks meanwhile;"
                                + " throughput: per callback, batches of " + CallSrcuBenchmark.BATCH
                                + " then barrier(); callbackLatency: from callSrcu until the callback ran",
                        List.of("figure", "path", "threads"),
                        m -> List.of(m.benchmark().substring(m.benchmark().indexOf('.') + 1), m.param("path"),
                                threadsCell(m)),
                        List.of()),
                section(OTHER_TITLE, "", List.of("benchmark", "params", "threads"),
                        m -> List.of(m.benchmark(), m.params().toString(), threadsCell(m)), List.of()));
    }

    /** The section a benchmark other than the read pair is shown in (its table and chart). */
    static String sectionTitle(String benchmark) {
        return switch (benchmark) {
            case READ_MOSTLY -> READ_MOSTLY_TITLE;
            case GRACE_PERIOD -> GRACE_PERIOD_TITLE;
            case CALL_SRCU_THROUGHPUT, CALL_SRCU_LATENCY, CALL_SRCU_CALL, CALL_SRCU_OWN_DOMAIN -> CALL_SRCU_TITLE;
            default -> OTHER_TITLE;
        };
    }

    private Section section(String title, String note, List<String> keyHeader,
            Function<Measurement, List<String>> keys, List<String> secondary) {
        List<String[]> cells = new ArrayList<>();
        List<String> header = new ArrayList<>(keyHeader);
        header.addAll(List.of("score", "error", "unit"));
        header.addAll(secondary);
        cells.add(header.toArray(String[]::new));
        for (Measurement m : measurements) {
            if (!m.benchmark().equals(READ_PAIR) && sectionTitle(m.benchmark()).equals(title)) {
                List<String> row = new ArrayList<>(keys.apply(m));
                row.addAll(List.of(fmt(m.score()), Double.isFinite(m.error()) ? "± " + fmt(m.error()) : "± n/a",
                        m.unit()));
                for (String name : secondary) {
                    double count = m.secondary(name);
                    row.add(Double.isFinite(count) ? String.format(Locale.ROOT, "%.0f", count) : "n/a");
                }
                cells.add(row.toArray(String[]::new));
            }
        }
        return new Section(title, note, cells, keyHeader.size());
    }

    private static String threadsCell(Measurement m) {
        return m.threads() + " " + m.kind().label;
    }

    static String fmt(double v) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, v >= 1000 ? "%.0f" : "%.2f", v);
    }

    static String fmt(OptionalDouble v, String suffix) {
        return v.isPresent() ? fmt(v.getAsDouble()) + suffix : "n/a";
    }

    String consoleText() {
        StringBuilder out = new StringBuilder();
        out.append("== headline (lower is better)\n");
        for (Headline h : headlines()) {
            out.append(String.format(Locale.ROOT, "  %-48s %10s %-3s %8s vs %s%s%n", h.what(),
                    fmt(h.value(), ""), h.unit(), fmt(h.ratio(), "x"), h.comparedWith(),
                    h.aim().isEmpty() ? "" : " (aim " + h.aim() + ")"));
        }
        out.append("  ").append(AIM_RATIOS).append('\n');
        for (ThreadKind kind : ThreadKind.values()) {
            ReportTable table = readPairTable(kind);
            out.append("\n== read lock/unlock pair, empty section, ").append(kind.label)
                    .append(" threads (lower is better)\n").append(table.render());
        }
        for (Section section : sections()) {
            if (!section.isEmpty()) {
                out.append("\n== ").append(section.title()).append(" (lower is better)\n")
                        .append(TextTable.of(section.cells(), section.keyColumns()));
                if (!section.note().isEmpty()) {
                    out.append(section.note()).append('\n');
                }
            }
        }
        out.append("\n== ").append(CallSrcuVsC.TITLE).append(" (lower is better)\n").append(Figure.text(callSrcuVsC()));
        if (!threadScale.isEmpty()) {
            out.append("\n== ").append(ThreadScale.TITLE).append(" (lower is better)\n")
                    .append(Figure.text(threadScaleFigures())).append(ThreadScale.NOTE).append('\n');
        }
        out.append("\n== ").append(ExpeditedVsNormal.TITLE).append(" (lower is better)\n")
                .append(Figure.text(expeditedFigures())).append(ExpeditedVsNormal.NOTE).append('\n');
        if (!lifecycle.isEmpty()) {
            out.append("\n== ").append(LIFECYCLE_TITLE).append(" (lower is better)\n")
                    .append(Figure.text(lifecycleFigures())).append(LIFECYCLE_NOTE).append('\n');
        }
        if (nativeResults.missing() != null) {
            out.append("\n== C benchmarks: ").append(nativeResults.missing()).append('\n');
        }
        return out.toString();
    }
}
