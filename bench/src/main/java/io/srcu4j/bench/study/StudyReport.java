// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench.study;

import io.srcu4j.bench.MarkdownTable;
import io.srcu4j.bench.ReportCharts.Chart;
import io.srcu4j.bench.RunReport;
import io.srcu4j.cpu.CpuTopology;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The study's files: study.md (tables, charts, the machine and what it lacks, the comparison with
 * published figures), study.json (every figure with its unit, repetitions and marks) and the
 * charts of {@link StudyCharts}; and the short summary printed at the end of a run.
 */
final class StudyReport {

    static final String[] C2C_METHODS = {"cas", "store_load"};
    static final Map<String, String> METHOD_LABELS = Map.of("cas", "CAS", "store_load", "store/load");
    /** Above this many pairs, the per-pair table is left to study.json and the heatmaps. */
    static final int LISTED_PAIRS = 40;

    private StudyReport() {
    }

    /** The machine section: the benchmark report's, which already names the topology. */
    static List<String> machineLines(CpuTopology topology) {
        List<String> lines = new ArrayList<>(RunReport.machineLines());
        if (lines.stream().noneMatch(l -> l.startsWith("topology"))) {
            lines.add(String.format(Locale.ROOT, "%-11s %s", "topology", topology));
        }
        return lines;
    }

    /**
     * Writes study.md, study.json and the charts into {@code dir}; returns the paths. A chart that
     * cannot be drawn is reported on {@code warnings} and left out of study.md.
     */
    static List<String> write(Path dir, StudyResults r, PrintStream warnings) throws IOException {
        List<Chart> charts = StudyCharts.write(dir, r, warnings);
        Path md = dir.resolve("study.md");
        Files.writeString(md, markdown(r, charts), StandardCharsets.UTF_8);
        Path json = dir.resolve("study.json");
        Files.writeString(json, Json.write(json(r)), StandardCharsets.UTF_8);
        List<String> written = new ArrayList<>(List.of(md.toString(), json.toString()));
        charts.forEach(c -> written.add(dir.resolve(c.file()).toString()));
        if (Files.exists(dir.resolve("probe.txt"))) {
            written.add(dir.resolve("probe.txt") + " (the C probes' raw records)");
        }
        return written;
    }

    // ---------------------------------------------------------------- numbers

    /** ns and counts: 2 decimals below 10, 1 below 1000, none above; "n/a" when not finite. */
    static String fmt(double v) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a < 10 ? "%.2f" : a < 1000 ? "%.1f" : "%.0f", v);
    }

    /** A count: no decimals; "n/a" when not finite. */
    static String whole(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.0f", v) : "n/a";
    }

    /** "1.08x", or "n/a". */
    static String ratio(double v) {
        return Double.isFinite(v) ? fmt(v) + "x" : "n/a";
    }

    /** "median (min-max)", or why it is missing. */
    static String cell(Row r) {
        if (r == null) {
            return "";
        }
        if (r.reps().isEmpty()) {
            return "n/a";
        }
        Spread s = r.spread();
        if (!s.measured()) {
            return "n/a (no repetition measured anything)";
        }
        return fmt(s.median()) + " (" + fmt(s.min()) + "-" + fmt(s.max()) + ")" + (r.loaded() ? " L" : "")
                + (r.placed() ? "" : " P");
    }

    /** A spread over several figures: "median (min-max, n)". */
    static String cell(List<Double> values) {
        Spread s = Spread.of(values);
        return s.measured() ? fmt(s.median()) + " (" + fmt(s.min()) + "-" + fmt(s.max()) + ", " + s.n() + ")" : "n/a";
    }

    /**
     * The marks of a table line over its rows: why a row was not measured, the range of the CPU
     * share others took where that was above the mark, a thread found off its CPU.
     */
    static String marks(List<Row> rows) {
        List<String> marks = new ArrayList<>();
        List<Double> loads = new ArrayList<>();
        boolean offCpu = false;
        for (Row r : rows) {
            if (r == null) {
                continue;
            }
            if (r.reps().isEmpty()) {
                String why = r.why().isEmpty() ? "not measured" : "not run: " + r.why();
                if (!marks.contains(why)) {
                    marks.add(why);
                }
                continue;
            }
            if (r.loaded()) {
                loads.add(r.others());
            }
            offCpu |= !r.placed();
        }
        if (!loads.isEmpty()) {
            Spread s = Spread.of(loads);
            marks.add(String.format(Locale.ROOT, s.min() == s.max() ? "loaded: others took %.0f %% of the CPUs"
                    : "loaded: others took %.0f-%.0f %% of the CPUs", s.min(), s.max()));
        }
        if (offCpu) {
            marks.add("a pinned thread was found off its CPU");
        }
        return String.join("; ", marks);
    }

    // ---------------------------------------------------------------- summary

    /** What the console shows at the end: the headline figure of each study. */
    static List<String> summary(StudyResults r) {
        List<String> out = new ArrayList<>();
        out.add("== summary (medians; every figure with its spread and marks is in study.md)");
        for (String lang : StudyResults.LANGS) {
            for (String m : C2C_METHODS) {
                Map<Distance, List<Double>> byD = r.c2cByDistance(lang, m);
                if (byD.isEmpty()) {
                    continue;
                }
                List<String> parts = new ArrayList<>();
                byD.forEach((d, v) -> parts.add(d.label + " " + fmt(Spread.median(v)) + " ns (" + v.size() + " pair"
                        + (v.size() == 1 ? "" : "s") + ")"));
                out.add("  core-to-core, " + lang + ", " + METHOD_LABELS.get(m) + ", one way: " + String.join(", ", parts));
            }
        }
        out.add("  Java / C core-to-core: CAS " + ratio(r.javaOverC("cas")) + ", store/load "
                + ratio(r.javaOverC("store_load")));
        List<String> fences = new ArrayList<>();
        for (Row row : r.measured("fences")) {
            if (row.key().endsWith("/uncontended") && !row.key().startsWith("empty/") && !row.key().startsWith("inc/")) {
                fences.add(row.lang() + " " + row.label() + " " + fmt(row.median()));
            }
        }
        out.add("  fences and atomics, uncontended (ns): " + String.join("; ", fences));
        List<String> percpu = new ArrayList<>();
        r.measured("percpu").stream().filter(row -> row.key().endsWith("/uncontended"))
                .forEach(row -> percpu.add(row.label() + " " + fmt(row.median())));
        out.add("  per-CPU increments (ns): " + String.join("; ", percpu));
        List<String> rseq = new ArrayList<>();
        r.measured("rseq").stream().filter(row -> row.key().startsWith("aborts/"))
                .forEach(row -> rseq.add(row.key().substring(7) + " " + fmt(row.median())));
        out.add("  rseq aborts per million sections: " + String.join(", ", rseq));
        r.find("rseq", "C", "abort_cost").filter(x -> !x.reps().isEmpty())
                .ifPresent(x -> out.add("  one rseq abort costs about " + fmt(x.median()) + " ns (range "
                        + fmt(x.spread().min()) + " to " + fmt(x.spread().max()) + ")"));
        List<String> mb = new ArrayList<>();
        r.measured("membarrier").stream().filter(row -> row.key().startsWith("running/"))
                .forEach(row -> mb.add(row.key().substring(8) + ": " + fmt(row.median() / 1000)));
        out.add("  membarrier(PRIVATE_EXPEDITED) in us, by running threads: " + String.join(", ", mb));
        for (Row row : r.measured("placement")) {
            if (row.key().startsWith("gp/") && row.key().contains("/expedited/")) {
                int[] p = StudyResults.pairOf(row.key());
                out.add("  synchronize_expedited, " + row.lang() + " " + row.key().split("/")[1] + ", reader on "
                        + p[0] + ", updater on " + p[1] + " (" + r.layout().distance(p[0], p[1]).label + "): "
                        + fmt(row.median()) + " ns");
            }
        }
        long measured = r.rows().stream().filter(x -> !x.reps().isEmpty()).count();
        out.add(String.format(Locale.ROOT, "  %.0f %% of %d figures were measured while other processes took more than"
                + " %.0f %% of the CPUs (marked L)", 100 * r.loadedShare(), measured, Row.LOADED_PCT));
        if (!r.layout().lacks().isEmpty()) {
            out.add("  this machine lacks: " + String.join("; ", r.layout().lacks()));
        }
        return out;
    }

    // ---------------------------------------------------------------- study.md

    static String markdown(StudyResults r, List<Chart> charts) {
        StringBuilder md = new StringBuilder("# srcu4j hardware study\n\n");
        md.append("`make study` (mode ").append(r.mode().word()).append(", ")
                .append(String.format(Locale.ROOT, "%.0f s", r.seconds())).append(")\n\n## Machine\n\n```\n");
        r.machine().forEach(l -> md.append(l).append('\n'));
        md.append("```\n\nAllowed CPUs: ").append(r.layout().cpus().size()).append(". Distances between them: ");
        List<String> present = r.layout().distancesPresent().stream().map(d -> d.label).toList();
        md.append(present.isEmpty() ? "none (one CPU)" : String.join(", ", present)).append(".\n\n");
        if (!r.layout().lacks().isEmpty()) {
            md.append("What this machine lacks, so the study cannot show it:\n\n");
            r.layout().lacks().forEach(l -> md.append("- ").append(l).append('\n'));
            md.append('\n');
        }
        md.append("How to read the figures: each is the median of its repetitions, shown as median (least-greatest);")
                .append(" charts draw the quartiles as a box and the least and greatest as whiskers. ")
                .append(String.format(Locale.ROOT, "**L**: other processes took more than %.0f %% of the CPUs while it was"
                        + " measured (the C probes read /proc/stat, the Java rows the same, minus this process's own"
                        + " time); **P**: a pinned thread was found off its CPU. ", Row.LOADED_PCT))
                .append(String.format(Locale.ROOT, "%.0f %% of this run's figures are marked L.%n%n", 100 * r.loadedShare()));
        coreToCore(md, r, charts);
        fences(md, r, charts);
        rseq(md, r, charts);
        membarrier(md, r, charts);
        placement(md, r, charts);
        anchors(md, r);
        if (!r.failures().isEmpty()) {
            md.append("\n## Failed\n\n");
            r.failures().forEach(f -> md.append("- ").append(f).append('\n'));
        }
        return md.toString();
    }

    private static void images(StringBuilder md, List<Chart> charts, String section) {
        for (Chart c : charts) {
            if (c.heading().equals(section)) {
                md.append("\n![").append(c.title()).append("](").append(c.file()).append(")\n");
            }
        }
    }

    private static void coreToCore(StringBuilder md, StudyResults r, List<Chart> charts) {
        md.append("## 1. Core-to-core latency\n\n")
                .append("One way: half the round trip of a ping-pong on one cache line between a thread pinned on one")
                .append(" CPU and a partner pinned on the other, by compare-and-swap (CAS) or by a plain store the")
                .append(" other side's loads wait for (store/load); from C threads and from Java threads pinned")
                .append(" with `Cpus.pin`. Pairs: ").append(r.sampling().getOrDefault("description", "none")).append(".\n\n");
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"distance", "C CAS", "C store/load", "Java CAS", "Java store/load"});
        Map<Distance, String[]> rows = new TreeMap<>();
        int col = 1;
        for (String lang : StudyResults.LANGS) {
            for (String m : C2C_METHODS) {
                int c = col++;
                r.c2cByDistance(lang, m).forEach((d, v) -> rows.computeIfAbsent(d, k -> blank(5, k.label))[c] =
                        v.size() == 1 ? onePair(r, lang, m, d) : cell(v) + " pairs");
            }
        }
        rows.values().forEach(cells::add);
        if (rows.isEmpty()) {
            md.append("No pair was measured.\n");
        } else {
            md.append("At each distance, in ns: the median over the pairs of each pair's median (least-greatest pair,")
                    .append(" pairs), or for a single pair its median (least-greatest repetition):\n\n")
                    .append(MarkdownTable.of(cells)).append("\nJava / C, the median over pairs of the ratio of their")
                    .append(" medians: CAS ").append(ratio(r.javaOverC("cas"))).append(", store/load ")
                    .append(ratio(r.javaOverC("store_load"))).append(".\n");
        }
        List<Row> c2c = r.of("c2c");
        List<String> pairs = c2c.stream().filter(x -> x.lang().equals("C") && x.key().startsWith("cas/"))
                .map(x -> x.key().substring(4)).toList();
        if (!pairs.isEmpty() && pairs.size() <= LISTED_PAIRS) {
            List<String[]> per = new ArrayList<>();
            per.add(new String[] {"pair (measuring/partner)", "distance", "C CAS", "C store/load", "Java CAS",
                "Java store/load", "marks"});
            for (String pair : pairs) {
                int[] p = StudyResults.pairOf("x/" + pair);
                List<Row> four = new ArrayList<>();
                for (String lang : StudyResults.LANGS) {
                    for (String m : C2C_METHODS) {
                        four.add(r.find("c2c", lang, m + "/" + pair).orElse(null));
                    }
                }
                per.add(new String[] {p[0] + " / " + p[1], r.layout().distance(p[0], p[1]).label, cell(four.get(0)),
                    cell(four.get(1)), cell(four.get(2)), cell(four.get(3)), marks(four)});
            }
            md.append("\nEach pair, ns one way, median (least-greatest repetition):\n\n").append(MarkdownTable.of(per));
        } else if (!pairs.isEmpty()) {
            md.append("\nThe ").append(pairs.size()).append(" pairs one by one are in study.json and the heatmaps.\n");
        }
        images(md, charts, "c2c");
        md.append('\n');
    }

    /** The one pair at distance {@code d}: its median and the spread of its repetitions. */
    private static String onePair(StudyResults r, String lang, String method, Distance d) {
        return r.measured("c2c").stream().filter(x -> x.lang().equals(lang) && x.key().startsWith(method + "/"))
                .filter(x -> {
                    int[] p = StudyResults.pairOf(x.key());
                    return r.layout().distance(p[0], p[1]) == d;
                }).findFirst().map(x -> cell(x) + ", 1 pair").orElse("n/a");
    }

    private static String[] blank(int n, String first) {
        String[] row = new String[n];
        Arrays.fill(row, "");
        row[0] = first;
        return row;
    }

    /** A table of rows measured uncontended and shared, one line per (row, language). */
    private static void pairedTable(StringBuilder md, List<Row> rows) {
        Map<String, Row[]> byRow = new LinkedHashMap<>();
        for (Row x : rows) {
            int slash = x.key().lastIndexOf('/');
            String base = x.lang() + " " + x.key().substring(0, slash);
            Row[] two = byRow.computeIfAbsent(base, k -> new Row[2]);
            two[x.key().endsWith("/shared") ? 1 : 0] = x;
        }
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"operation", "from", "uncontended, ns", "line shared with a second core, ns", "marks"});
        for (Row[] two : byRow.values()) {
            Row any = two[0] != null ? two[0] : two[1];
            cells.add(new String[] {any.label(), any.lang(), cell(two[0]), cell(two[1]), marks(Arrays.asList(two))});
        }
        md.append(MarkdownTable.of(cells));
    }

    private static void fences(StringBuilder md, StudyResults r, List<Chart> charts) {
        md.append("## 2. Fences and atomics\n\n")
                .append("ns per operation on a word alone on its cache lines, by a thread pinned on one CPU; \"shared\":")
                .append(" while a partner pinned on another core runs the same operation on the same line. A fence")
                .append(" row increments the word (load, add, store), then fences: a read side's lock. Rows of the")
                .append(" other architecture are kept in the probe (the aarch64 ones are cross-built where a cross")
                .append(" compiler is present) and marked not run.\n\n");
        pairedTable(md, r.of("fences"));
        images(md, charts, "fences");
        md.append("\n### Per-CPU increments\n\n")
                .append("libsrcu4j's rseq add (a plain add the kernel restarts), its atomic add on the slot of the CPU")
                .append(" rseq names, `sched_getcpu()` + atomic add (the way without rseq), and an atomic add on one")
                .append(" shared slot. Shared: a second core runs the same row on the same counter set (its own slot,")
                .append(" but for the shared-slot row).\n\n");
        pairedTable(md, r.of("percpu"));
        images(md, charts, "percpu");
        md.append('\n');
    }

    private static void rseq(StringBuilder md, StudyResults r, List<Chart> charts) {
        md.append("## 3. rseq aborts\n\n")
                .append("A worker runs libsrcu4j's rseq increment back to back (one section each) and counts how often")
                .append(" the kernel restarts it; each repetition checks that the counters add up to the sections run.")
                .append(" rseq registered by: ").append(r.info().getOrDefault("rseq_mode", "n/a")).append(".\n\n");
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"scenario", "aborts per million sections", "aborts", "sections", "events",
            "aborts per event", "counters exact", "marks"});
        for (Row x : r.of("rseq")) {
            if (!x.key().startsWith("aborts/")) {
                continue;
            }
            double aborts = number(x, "aborts");
            double events = number(x, "events");
            cells.add(new String[] {x.label(), cell(x), whole(aborts), whole(number(x, "sections")),
                whole(events) + " " + x.fields().getOrDefault("event", ""),
                events > 0 ? fmt(aborts / events) : "n/a", "1".equals(x.fields().get("exact")) ? "yes" : x.reps().isEmpty()
                        ? "" : "NO", marks(List.of(x))});
        }
        md.append(MarkdownTable.of(cells));
        Optional<Row> cost = r.find("rseq", "C", "abort_cost");
        Optional<Row> signal = r.find("rseq", "C", "signal_cost");
        md.append("\nThe cost of one abort: under the signal storm, the worker times chunks of ")
                .append(cost.map(c -> whole(number(c, "chunk"))).orElse("n/a"))
                .append(" sections, and leaves out blocks of chunks during which it was preempted. ");
        if (cost.isPresent() && cost.get().spread().measured()) {
            Row c = cost.get();
            md.append("Of the chunks one signal came into, those where a section was restarted took ").append(cell(c))
                    .append(" ns longer than those where none was (the difference of the two kinds' medians, per")
                    .append(" repetition; ").append(whole(number(c, "restarted_chunks"))).append(" restarted and ")
                    .append(whole(number(c, "clean_chunks"))).append(" other signalled chunks). The signal's own")
                    .append(" delivery, which any interrupted code pays, took ")
                    .append(signal.map(StudyReport::cell).orElse("n/a")).append(" ns.\n");
        } else {
            md.append("It could not be measured here: ").append(cost.map(Row::why).filter(w -> !w.isEmpty())
                    .orElse("no figure"));
            cost.filter(Row::loaded).ifPresent(c -> md.append(String.format(Locale.ROOT, " (other processes took %.0f %%"
                    + " of the CPUs meanwhile, so most signals came while the worker waited for its CPU)", c.others())));
            md.append(".\n");
        }
        images(md, charts, "rseq");
        md.append('\n');
    }

    private static double number(Row r, String field) {
        try {
            return Double.parseDouble(r.fields().getOrDefault(field, "nan"));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static void membarrier(StringBuilder md, StudyResults r, List<Chart> charts) {
        md.append("## 4. membarrier(PRIVATE_EXPEDITED)\n\n")
                .append("The call a fast domain's grace period makes (libsrcu4j's own wrapper), timed call by call from")
                .append(" a thread pinned on CPU ").append(r.info().getOrDefault("membarrier_caller_cpu", "?"))
                .append(" while other threads of the process spin (running) or are blocked (sleeping); then with one")
                .append(" spinning thread on each of 1 to all CPUs, the caller's own CPU last. ns per call, a")
                .append(" repetition being the median of its calls.\n\n");
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"threads", "running, ns", "sleeping, ns", "marks"});
        Map<Integer, Row[]> byThreads = new TreeMap<>();
        Map<Integer, Row> byCpus = new TreeMap<>();
        for (Row x : r.of("membarrier")) {
            String[] k = x.key().split("/");
            if (k.length < 2) {
                continue;
            }
            int n = Integer.parseInt(k[1]);
            switch (k[0]) {
                case "running" -> byThreads.computeIfAbsent(n, z -> new Row[2])[0] = x;
                case "sleeping" -> byThreads.computeIfAbsent(n, z -> new Row[2])[1] = x;
                case "cpus" -> byCpus.put(n, x);
                default -> { }
            }
        }
        byThreads.forEach((n, two) -> cells.add(new String[] {Integer.toString(n), cell(two[0]), cell(two[1]),
            marks(Arrays.asList(two))}));
        if (byThreads.isEmpty()) {
            r.of("membarrier").stream().findFirst().ifPresent(x -> md.append("Not measured: ").append(x.why()).append(".\n"));
        } else {
            md.append(MarkdownTable.of(cells));
            List<String[]> cpus = new ArrayList<>();
            cpus.add(new String[] {"CPUs with a running thread", "ns", "marks"});
            byCpus.forEach((n, x) -> cpus.add(new String[] {Integer.toString(n), cell(x), marks(List.of(x))}));
            md.append('\n').append(MarkdownTable.of(cpus));
        }
        images(md, charts, "membarrier");
        md.append('\n');
    }

    private static void placement(StringBuilder md, StudyResults r, List<Chart> charts) {
        md.append("## 5. SRCU placement\n\n")
                .append("A reader pinned on one CPU runs empty read sections back to back while an updater pinned on")
                .append(" another runs grace periods back to back: `s4j_srcu_synchronize` and `_expedited` on classic")
                .append(" and fast domains from C, `synchronize()` and `synchronizeExpedited()` on a classic domain of")
                .append(" the default path from Java. Grace periods in ns per call (a repetition: the median of its")
                .append(" calls); read pairs in ns of the reader's CPU time per pair.\n\n");
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"distance", "reader / updater", "from", "domain", "synchronize", "expedited",
            "read pair alone", "read pair, synchronize running", "read pair, expedited running", "marks"});
        Map<String, Map<String, Row>> groups = new LinkedHashMap<>();
        for (Row x : r.of("placement")) {
            String[] k = x.key().split("/");
            if (k.length < 5) {
                continue;
            }
            String group = x.lang() + "/" + k[1] + "/" + k[3] + "/" + k[4];
            groups.computeIfAbsent(group, g -> new LinkedHashMap<>()).put(k[0] + "/" + k[2], x);
        }
        groups.forEach((g, m) -> {
            String[] k = g.split("/");
            int a = Integer.parseInt(k[2]);
            int b = Integer.parseInt(k[3]);
            List<Row> all = new ArrayList<>(m.values());
            cells.add(new String[] {r.layout().distance(a, b).label, a + " / " + b, k[0], k[1],
                cell(m.get("gp/synchronize")), cell(m.get("gp/expedited")), cell(m.get("read/alone")),
                cell(m.get("read/synchronize")), cell(m.get("read/expedited")), marks(all)});
        });
        md.append(MarkdownTable.of(cells));
        images(md, charts, "placement");
        md.append('\n');
    }

    /** The published figures the issue names, beside this machine's. */
    private static void anchors(StringBuilder md, StudyResults r) {
        md.append("## Against published figures\n\n");
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"figure", "published", "here"});
        List<Double> allCas = new ArrayList<>(r.c2cMedians("C", "cas").values());
        cells.add(new String[] {"core-to-core, CAS, one way, median over pairs",
            "47 ns Graviton2, 46 ns Graviton3, 115 ns EPYC 7773X (core-to-core-latency-plus); 68 ns Ryzen 9 7950X,"
                + " 84-154 ns across dies (nviennot/core-to-core-latency)",
            allCas.isEmpty() ? "n/a" : fmt(Spread.median(allCas)) + " ns (C, " + allCas.size() + " pair"
                    + (allCas.size() == 1 ? "" : "s") + ")"});
        cells.add(new String[] {"aarch64 atomic add, LL/SC against LSE",
            "5-8 ns with LL/SC; 5 to over 45 ns with LSE, depending on the core (Arm kernel list, 2025)",
            "not run: this is " + r.info().getOrDefault("arch", System.getProperty("os.arch"))
                + "; the aarch64 rows run on aarch64 only"});
        cells.add(new String[] {"full fence", "x86: a locked instruction about 2 ns, mfence 14-17 ns on AMD (liburcu's"
                + " 2026 switch of cmm_smp_mb to lock; addl)",
            fenceHere(r)});
        cells.add(new String[] {"SRCU reader, per lock/unlock pair",
            "refscale srcu-fast-updown: about 2.2 ns (x86 laptop); liburcu *_timing prints cycles per read, with no"
                + " published figure",
            readPairHere(r)});
        cells.add(new String[] {"rseq aborts, membarrier against threads and CPUs", "none published (see the anchors)",
            "sections 3 and 4 above"});
        md.append(MarkdownTable.of(cells));
    }

    private static String fenceHere(StudyResults r) {
        String lock = r.find("fences", "C", "x86_inc_lock_add_stack/uncontended").filter(x -> !x.reps().isEmpty())
                .map(x -> "increment + lock addl " + fmt(x.median()) + " ns").orElse("");
        String mfence = r.find("fences", "C", "x86_inc_mfence/uncontended").filter(x -> !x.reps().isEmpty())
                .map(x -> "increment + mfence " + fmt(x.median()) + " ns").orElse("");
        String java = r.find("fences", "Java", "inc_full_fence/uncontended").filter(x -> !x.reps().isEmpty())
                .map(x -> "Java increment + fullFence " + fmt(x.median()) + " ns").orElse("");
        String all = String.join("; ", List.of(lock, mfence, java).stream().filter(s -> !s.isEmpty()).toList());
        return all.isEmpty() ? "n/a" : all;
    }

    private static String readPairHere(StudyResults r) {
        List<String> parts = new ArrayList<>();
        for (Row x : r.measured("placement")) {
            if (x.key().startsWith("read/") && x.key().contains("/alone/")) {
                String flavor = x.key().split("/")[1];
                String what = x.lang() + " " + flavor + " " + fmt(x.median()) + " ns";
                if (parts.stream().noneMatch(p -> p.startsWith(x.lang() + " " + flavor + " "))) {
                    parts.add(what);
                }
            }
        }
        return parts.isEmpty() ? "n/a" : String.join("; ", parts) + " (read pair alone, first placement)";
    }

    // ---------------------------------------------------------------- study.json

    static Map<String, Object> json(StudyResults r) {
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("title", "srcu4j hardware study");
        top.put("mode", r.mode().word());
        top.put("seconds", r.seconds());
        top.put("machine", r.machine());
        top.put("allowed_cpus", r.layout().cpus());
        top.put("distances_present", r.layout().distancesPresent().stream().map(Distance::key).toList());
        top.put("lacks", r.layout().lacks());
        top.put("probe_info", r.info());
        top.put("loaded_threshold_pct", Row.LOADED_PCT);
        top.put("loaded_share", r.loadedShare());

        Map<String, Object> c2c = new LinkedHashMap<>();
        c2c.put("unit", "ns");
        c2c.put("what", "one-way cache-line transfer: half a ping-pong round trip, median of the repetitions");
        c2c.put("sampling", new TreeMap<>(r.sampling()));
        Map<String, Object> byDistance = new LinkedHashMap<>();
        for (String lang : StudyResults.LANGS) {
            for (String m : C2C_METHODS) {
                r.c2cByDistance(lang, m).forEach((d, v) -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> entry = (Map<String, Object>) byDistance.computeIfAbsent(d.key(),
                            k -> new LinkedHashMap<>(Map.of("label", d.label)));
                    entry.put(lang.toLowerCase(Locale.ROOT) + "_" + m, spread(Spread.of(v), "over pair medians"));
                });
            }
        }
        c2c.put("by_distance", byDistance);
        c2c.put("java_over_c", Map.of("unit", "x", "cas", r.javaOverC("cas"), "store_load", r.javaOverC("store_load")));
        c2c.put("figures", figures(r.of("c2c"), r));
        top.put("core_to_core", c2c);
        top.put("fences", section("ns", "ns per operation; shared: a second core runs the same on the same line",
                r.of("fences"), r));
        top.put("percpu", section("ns", "ns per increment", r.of("percpu"), r));
        top.put("rseq", section("per million sections (aborts), ns (costs)",
                "aborts of libsrcu4j's rseq increment per million sections, and the cost of one", r.of("rseq"), r));
        top.put("membarrier", section("ns", "ns per membarrier(PRIVATE_EXPEDITED) call, a repetition the median of its"
                + " calls", r.of("membarrier"), r));
        top.put("placement", section("ns", "grace period per call; read pair in reader CPU time", r.of("placement"), r));
        top.put("failures", r.failures());
        return top;
    }

    private static Map<String, Object> section(String unit, String what, List<Row> rows, StudyResults r) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("unit", unit);
        s.put("what", what);
        s.put("figures", figures(rows, r));
        return s;
    }

    /** A probe's field as a number when it is one, else as text. */
    static Object value(String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e2) {
                return v;
            }
        }
    }

    private static Map<String, Object> spread(Spread s, String over) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("median", s.median());
        m.put("min", s.min());
        m.put("max", s.max());
        m.put("n", s.n());
        m.put("over", over);
        return m;
    }

    private static List<Object> figures(List<Row> rows, StudyResults r) {
        List<Object> out = new ArrayList<>();
        for (Row x : rows) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("key", x.key());
            f.put("from", x.lang());
            f.put("what", x.label());
            f.put("unit", x.unit());
            Spread s = x.spread();
            f.put("median", s.median());
            f.put("q1", s.q1());
            f.put("q3", s.q3());
            f.put("min", s.min());
            f.put("max", s.max());
            f.put("reps", x.reps());
            f.put("others_pct", x.others());
            f.put("loaded", x.loaded());
            f.put("placed", x.placed());
            if (!x.why().isEmpty()) {
                f.put("not_measured", x.why());
            }
            if (x.study().equals("c2c") && !x.reps().isEmpty()) {
                int[] p = StudyResults.pairOf(x.key());
                f.put("distance", r.layout().distance(p[0], p[1]).key());
            }
            new TreeMap<>(x.fields()).forEach((k, v) -> f.putIfAbsent(k, value(v)));
            out.add(f);
        }
        return out;
    }
}
