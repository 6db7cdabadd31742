package io.srcu4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Everything one report run measured, and the questions the report asks of it: read-pair tables
 * per thread kind (ratios against one full fence), the headline figures, the other benchmarks.
 */
record Results(List<Measurement> measurements, List<String> machine, NativeResults nativeResults,
        List<String> failures) {

    static final String READ_PAIR = "ReadPairBenchmark.readPair";
    static final String BASELINE = ReadPairBenchmark.Impl.FULL_FENCE.name();

    Results {
        measurements = List.copyOf(measurements);
        machine = List.copyOf(machine);
        failures = List.copyOf(failures);
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

    OptionalDouble score(String benchmark, String param, String value, int threads, ThreadKind kind) {
        return measurements.stream()
                .filter(m -> m.benchmark().equals(benchmark) && m.param(param).equals(value)
                        && m.threads() == threads && m.kind() == kind && m.usable())
                .mapToDouble(Measurement::score).findFirst();
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
                "one fullFence", ratio(def1, fence), "<= 1.5x"));
        OptionalDouble virt = readPair(def, 1, ThreadKind.VIRTUAL);
        lines.add(new Headline("read pair, default path, 1 virtual thread", virt, "ns", "one fullFence",
                ratio(virt, fence), "<= 3x"));
        lines.add(new Headline("read pair, default path, 2 threads", def2, "ns", "the same at 1 thread",
                ratio(def2, def1), "<= 1.2x"));
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

    private static OptionalDouble ratio(OptionalDouble a, OptionalDouble b) {
        return a.isPresent() && b.isPresent() && b.getAsDouble() > 0
                ? OptionalDouble.of(a.getAsDouble() / b.getAsDouble()) : OptionalDouble.empty();
    }

    /** Benchmarks other than the read pair, one line each. */
    List<String[]> otherRows() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"benchmark", "params", "threads", "score", "error", "unit"});
        for (Measurement m : measurements) {
            if (!m.benchmark().equals(READ_PAIR)) {
                rows.add(new String[] {m.benchmark(), m.params().toString(),
                    m.threads() + " " + m.kind().label, fmt(m.score()),
                    Double.isFinite(m.error()) ? "± " + fmt(m.error()) : "± n/a", m.unit()});
            }
        }
        return rows;
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
        for (ThreadKind kind : ThreadKind.values()) {
            ReportTable table = readPairTable(kind);
            out.append("\n== read lock/unlock pair, empty section, ").append(kind.label)
                    .append(" threads (lower is better)\n").append(table.render());
        }
        List<String[]> other = otherRows();
        if (other.size() > 1) {
            out.append("\n== other benchmarks\n");
            for (String[] row : other.subList(1, other.size())) {
                out.append(String.format(Locale.ROOT, "  %-32s %-28s %-11s %10s %10s %s%n", (Object[]) row));
            }
        }
        if (nativeResults.missing() != null) {
            out.append("\n== C benchmarks: ").append(nativeResults.missing()).append('\n');
        }
        return out.toString();
    }
}
