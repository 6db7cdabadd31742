// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench.study;

import io.srcu4j.Srcu4j;
import io.srcu4j.cpu.CpuTopology;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.Collectors;

/**
 * {@code make study}: measures the machine at hand, from C (the probes of native/study) and from
 * Java threads pinned through srcu4j, and writes study.md, study.json and PNG charts.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar \
 *     io.srcu4j.bench.study.Study &lt;outDir&gt; &lt;s4j_study&gt; [default|full]
 * </pre>
 *
 * <p>The studies, in order: core-to-core latency (every pair of allowed CPUs, sampled beyond
 * {@link StudyMode#pairBudget}), fences and atomics with per-CPU increments, rseq aborts,
 * membarrier against threads and CPUs, and SRCU grace periods and read pairs with reader and
 * updater at each distance the machine has. Each prints progress lines as it goes. Exits with 1
 * when a probe failed (the files are written all the same), 2 for bad arguments.
 */
public final class Study {

    /** The pair sample's seed: the same machine gives the same pairs from run to run. */
    static final long SEED = 18;
    static final String[] STUDIES = {"core-to-core latency", "fences and atomics", "rseq aborts",
        "membarrier(PRIVATE_EXPEDITED)", "SRCU placement"};

    private final StudyMode mode;
    private final Probe probe;
    private final CpuLayout layout;
    private final Progress progress;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final Map<String, String> info = new LinkedHashMap<>();

    private Study(StudyMode mode, Probe probe, CpuLayout layout, Progress progress) {
        this.mode = mode;
        this.probe = probe;
        this.layout = layout;
        this.progress = progress;
    }

    public static void main(String[] args) throws IOException {
        PrintStream out = System.out;
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: java --enable-native-access=ALL-UNNAMED -cp benchmarks.jar "
                    + Study.class.getName() + " <outDir> <s4j_study> [default|full]");
            System.exit(2);
        }
        StudyMode mode;
        try {
            mode = StudyMode.parse(args.length > 2 ? args[2] : "");
        } catch (IllegalArgumentException e) {
            System.err.println("study: " + e.getMessage());
            System.exit(2);
            return;
        }
        Path dir = Path.of(args[0]);
        Path binary = Path.of(args[1]);
        if (!Files.isExecutable(binary)) {
            System.err.println("study: the C probes " + binary + " are missing or not executable; build them with"
                    + " make -C native/study (make study does)");
            System.exit(2);
        }
        if (!Srcu4j.isAvailable()) {
            System.err.println("study: libsrcu4j did not load, and the study pins its threads through it: "
                    + Srcu4j.unavailabilityCause());
            System.exit(1);
        }
        Files.createDirectories(dir);
        clean(dir);
        CpuTopology topology = CpuTopology.current();
        CpuLayout layout = CpuLayout.of(topology);
        List<String> machine = StudyReport.machineLines(topology);
        out.println("== machine");
        machine.forEach(l -> out.println("  " + l));
        out.println("  lacks: " + (layout.lacks().isEmpty() ? "nothing the study looks for"
                : String.join("; ", layout.lacks())));
        out.printf("  mode: %s (STUDY=full for the longer run)%n", mode.word());

        Progress progress = new Progress(out);
        Study study = new Study(mode, new Probe(binary, mode == StudyMode.FULL, dir.resolve("probe.txt")), layout,
                progress);
        StudyResults results = study.run(machine);
        out.println();
        StudyReport.summary(results).forEach(out::println);
        out.println();
        for (String file : StudyReport.write(dir, results, System.err)) {
            out.println("wrote " + file);
        }
        out.printf("study took %.0f s%n", results.seconds());
        if (!results.failures().isEmpty()) {
            out.println("FAILED:");
            results.failures().forEach(f -> out.println("  " + f));
            System.exit(1);
        }
    }

    /** Files of an earlier run that this one would not overwrite (charts it does not draw). */
    private static void clean(Path dir) throws IOException {
        try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "*.{png,md,json,txt}")) {
            for (Path p : old) {
                Files.delete(p);
            }
        }
    }

    private StudyResults run(List<String> machine) {
        int total = STUDIES.length;
        Map<String, Object> sampling = new LinkedHashMap<>();
        PairSampler.Sample sample = PairSampler.choose(layout, mode.pairBudget, SEED);
        progress.study(1, total, STUDIES[0] + ": " + sample.describe());
        sampling.put("total_pairs", sample.total());
        sampling.put("measured_pairs", sample.pairs().size());
        sampling.put("sampled", sample.sampled());
        sampling.put("seed", sample.seed());
        sampling.put("description", sample.describe());
        coreToCore(sample);

        int a = layout.cpus().getFirst();
        int b = layout.otherCore(a);
        progress.study(2, total, STUDIES[1] + " on CPU " + a + (b >= 0 ? ", shared with CPU " + b : ""));
        probe("fences", "--cpus", cpus(a, b));
        probe("percpu", "--cpus", cpus(a, b));
        java("fences", () -> rows.addAll(JavaFences.measure(a, b, mode, progress)));

        progress.study(3, total, STUDIES[2] + ": worker on CPU " + a + (b >= 0 ? ", partner on CPU " + b : ""));
        probe("rseq", "--cpus", cpus(a, b));

        List<Integer> order = new ArrayList<>(List.of(a));
        layout.cpus().stream().filter(c -> c != a).forEach(order::add);
        progress.study(4, total, STUDIES[3] + ": caller on CPU " + a + ", threads on " + order.size() + " CPU(s)");
        probe("membarrier", "--cpus", order.stream().map(String::valueOf).collect(Collectors.joining(",")));

        List<int[]> placements = placementPairs(sample);
        progress.study(5, total, STUDIES[4] + ": " + placements.size() + " reader/updater placement(s)");
        probe("placement", "--pairs", pairsText(placements));
        for (int[] p : placements) {
            String d = layout.distance(p[0], p[1]).label;
            progress.line("SRCU placement (Java): reader on CPU " + p[0] + ", updater on CPU " + p[1] + " (" + d + ")");
            java("placement", () -> rows.addAll(JavaPlacement.measure(p[0], p[1], d, mode)));
        }
        return new StudyResults(machine, layout, mode, sampling, info, rows, failures, progress.seconds());
    }

    private void coreToCore(PairSampler.Sample sample) {
        if (sample.pairs().isEmpty()) {
            rows.add(Row.missing("c2c", "cas", "C", "CAS ping-pong", "ns", "one CPU allowed: no pair"));
            return;
        }
        probe("c2c", "--pairs", pairsText(sample.pairs()));
        long last = System.nanoTime();
        int done = 0;
        for (int[] p : sample.pairs()) {
            for (JavaPingPong.Method m : JavaPingPong.Method.values()) {
                java("c2c", () -> rows.add(JavaPingPong.measure(p[0], p[1], m, mode, sample.pairs().size())));
            }
            done++;
            if (done == sample.pairs().size() || System.nanoTime() - last > 2_000_000_000L) {
                progress.line("c2c (Java): " + done + "/" + sample.pairs().size() + " pairs");
                last = System.nanoTime();
            }
        }
    }

    /**
     * The placements: reader and updater on the same CPU, then up to {@link StudyMode#placementPairs}
     * pairs of each other distance the machine has, from the core-to-core sample when it has them.
     */
    private List<int[]> placementPairs(PairSampler.Sample sample) {
        List<int[]> out = new ArrayList<>();
        int a = layout.cpus().getFirst();
        out.add(new int[] {a, a});
        for (Distance d : layout.distancesPresent()) {
            List<int[]> found = sample.pairs().stream().filter(p -> layout.distance(p[0], p[1]) == d)
                    .limit(mode.placementPairs).toList();
            if (found.isEmpty()) {
                int[] p = layout.firstPairAt(d);
                found = p == null ? List.of() : List.of(p);
            }
            out.addAll(found);
        }
        return out;
    }

    private static String cpus(int a, int b) {
        return b >= 0 ? a + "," + b : Integer.toString(a);
    }

    private static String pairsText(List<int[]> pairs) {
        StringJoiner text = new StringJoiner(",");
        pairs.forEach(p -> text.add(p[0] + ":" + p[1]));
        return text.toString();
    }

    private void probe(String name, String... args) {
        Probe.Output o = probe.run(name, args);
        o.figures().forEach(f -> rows.add(Row.of(f)));
        info.putAll(o.info());
        if (o.failed()) {
            failures.add("C probe " + o.failure());
        }
    }

    /** A Java measurement; what it throws is a failure of the study, not of the run. */
    private void java(String what, Measurement m) {
        try {
            m.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add("Java " + what + ": interrupted");
        } catch (Exception | LinkageError e) {
            failures.add("Java " + what + ": " + e);
        }
    }

    @FunctionalInterface
    private interface Measurement {
        void run() throws Exception;
    }
}
