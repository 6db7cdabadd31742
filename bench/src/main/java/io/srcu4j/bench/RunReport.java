// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import io.srcu4j.Srcu4j;
import io.srcu4j.Srcu;
import io.srcu4j.cpu.CpuTopology;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;

/**
 * What {@code make run} and {@code make bench} show: the machine, then the benchmarks of
 * {@link BenchPlan} with progress, then tables with ratios; the same in files.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar \
 *     io.srcu4j.bench.RunReport &lt;reportDir&gt;
 * </pre>
 *
 * <p>Writes to {@code <reportDir>}: {@code jmh.json} (JMH's own JSON for the whole run, readable
 * by the usual JMH viewers), {@code report.md}, {@code summary.json} and the charts; reads
 * {@code native.json} and {@code native.txt} there when {@code make bench-native} left them.
 * Exits with status 1 when any benchmark produced no result.
 *
 * <p>Length and width of the run: see {@link BenchSettings}; {@code -Dsrcu4j.bench.threads=1,2,4}
 * sets the thread counts. The forked benchmark JVMs inherit this JVM's flags, so
 * {@code -Dsrcu4j.native.path=...} and the other {@code srcu4j.*} properties apply to the
 * benchmarks as they do to the machine section. After the JMH benchmarks, {@link LifecycleRuns}
 * runs the lifecycle parts on every path, in JVMs with the same flags
 * ({@code -Dsrcu4j.bench.noLifecycle=true} leaves them out), then {@link ThreadScaleRuns} the read
 * pair against the fence at each thread count ({@code -Dsrcu4j.bench.noThreadScale=true} leaves
 * them out), then {@link ExpeditedRuns} synchronizeExpedited against synchronize with busy readers
 * ({@code -Dsrcu4j.bench.noExpedited=true} leaves them out).
 */
public final class RunReport {

    private static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    private static final String UNSAFE_ACCESS = "--sun-misc-unsafe-memory-access";

    private RunReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java --enable-native-access=ALL-UNNAMED -cp benchmarks.jar "
                    + RunReport.class.getName() + " <reportDir>");
            System.exit(2);
        }
        Path reportDir = Path.of(args[0]);
        Files.createDirectories(reportDir);
        PrintStream out = System.out;

        List<String> machine = machineLines();
        out.println("== machine");
        for (String line : machine) {
            out.println("  " + line);
        }
        out.println();

        BenchSettings settings;
        int[] threadOverride;
        try {
            settings = BenchSettings.fromEnvironment();
            threadOverride = BenchPlan.parseThreads(System.getProperty("srcu4j.bench.threads"));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        boolean nativeAvailable = Srcu4j.isAvailable();
        List<BenchRun> plan = BenchPlan.of(settings, Runtime.getRuntime().availableProcessors(),
                nativeAvailable, threadOverride);
        int forks = BenchPlan.forks(plan);
        out.printf(Locale.ROOT, "== %d benchmarks (%s; the aims' rows in %d rounds), about %.0f s%n", forks,
                settings, BenchPlan.AIM_ROUNDS, forks * settings.forks() * settings.secondsPerFork());
        if (!nativeAvailable) {
            out.println("  rows that need libsrcu4j are left out: it did not load");
        }

        ProgressFormat progress = new ProgressFormat(out, forks);
        List<RunResult> results = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        String[] forkArgs = forkedJvmArgs();
        for (BenchRun run : plan) {
            try {
                Collection<RunResult> got = new Runner(run.options(settings, forkArgs), progress).run();
                results.addAll(got);
                if (got.size() < run.combinations()) {
                    failures.add(run + ": " + (run.combinations() - got.size())
                            + " configuration(s) gave no result (see above)");
                }
            } catch (RunnerException | RuntimeException e) {
                failures.add(run + ": " + describe(e));
            }
        }
        progress.finish();

        List<Lifecycle> lifecycle = List.of();
        if (!Boolean.getBoolean("srcu4j.bench.noLifecycle")) {
            LifecycleRuns.Sizes sizes = LifecycleRuns.Sizes.of(settings);
            List<String> paths = BenchPaths.available(nativeAvailable);
            out.println();
            out.println("== domain lifecycle on " + paths.size() + " path(s), each part in a JVM of its own ("
                    + sizes + ")");
            lifecycle = LifecycleRuns.run(paths, sizes, reportDir, out);
            for (Lifecycle l : lifecycle) {
                l.failures().forEach(f -> failures.add("lifecycle on " + l.path() + ": " + f));
            }
        }

        List<ThreadScale> threadScale = List.of();
        if (!Boolean.getBoolean("srcu4j.bench.noThreadScale")) {
            ThreadScaleRuns.Plan scalePlan = ThreadScaleRuns.Plan.of(settings);
            out.println();
            out.println("== read pair against the fence at each thread count, each run in a JVM of its own ("
                    + scalePlan.windows() + " windows of " + scalePlan.windowMs() + " ms)");
            threadScale = ThreadScaleRuns.run(scalePlan, reportDir, out);
            for (ThreadScale t : threadScale) {
                t.failures().forEach(f -> failures.add("thread scale: " + f));
            }
        }

        List<ExpeditedRun> expedited = List.of();
        if (!Boolean.getBoolean("srcu4j.bench.noExpedited")) {
            ExpeditedRuns.Plan expeditedPlan = ExpeditedRuns.Plan.of(settings, nativeAvailable);
            out.println();
            out.println("== synchronizeExpedited against synchronize, each path and flavor in a JVM of its own ("
                    + expeditedPlan.caseMs() + " ms per case" + (expeditedPlan.jvms() > 1
                            ? "; " + expeditedPlan.jvms() + " JVMs each, the report takes each case from the median one"
                            : "") + ")");
            expedited = ExpeditedRuns.run(expeditedPlan, reportDir, out);
            for (ExpeditedRun e : expedited) {
                e.failures().forEach(f -> failures.add("expedited: " + f));
            }
        }

        Path json = reportDir.resolve("jmh.json");
        try (PrintStream file = new PrintStream(Files.newOutputStream(json), false,
                StandardCharsets.UTF_8)) {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, file).writeOut(results);
        }

        Results all = new Results(results.stream().map(Measurement::of).toList(), machine,
                NativeResults.read(reportDir), lifecycle, threadScale, expedited, failures);
        out.println();
        out.print(all.consoleText());
        out.println();
        for (String file : ReportFiles.write(reportDir, all, System.err)) {
            out.println("wrote " + file);
        }
        out.println("raw JMH results: " + json);
        if (!failures.isEmpty()) {
            out.println();
            out.println("FAILED:");
            for (String failure : failures) {
                out.println("  " + failure);
            }
            System.exit(1);
        }
    }

    /**
     * Flags the forked benchmark JVMs need beyond the ones they inherit: JMH starts each fork with
     * this JVM's own command-line flags (so {@code -Dsrcu4j.native.path=...} and the like reach the
     * benchmark), and these are appended only when missing, so a fork's flags stay readable in the
     * JSON. Native access is for the FFM backend. JMH's harness itself still uses
     * {@code sun.misc.Unsafe}, which JDK 24+ warns about on every fork; allowing it silences that
     * without touching what is measured.
     */
    static String[] forkedJvmArgs() {
        List<String> inherited = ManagementFactory.getRuntimeMXBean().getInputArguments();
        List<String> args = new ArrayList<>();
        if (!inherited.contains(NATIVE_ACCESS)) {
            args.add(NATIVE_ACCESS);
        }
        if (inherited.stream().noneMatch(a -> a.startsWith(UNSAFE_ACCESS + "="))) {
            args.add(UNSAFE_ACCESS + "=allow");
        }
        return args.toArray(String[]::new);
    }

    /** The machine section: platform, JDK, and what the native library found (also the study's). */
    public static List<String> machineLines() {
        List<String> lines = new ArrayList<>();
        lines.add(row("os/arch", System.getProperty("os.name") + " " + System.getProperty("os.version")
                + " " + System.getProperty("os.arch")));
        String cpu = cpuModel();
        if (cpu != null) {
            lines.add(row("cpu", cpu));
        }
        lines.add(row("jdk", System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.vendor")
                + ")"));
        int jvmCpus = Runtime.getRuntime().availableProcessors();
        try (Srcu probe = Srcu.create()) {
            lines.add(row("path", probe.describe()));
        } catch (RuntimeException | LinkageError e) {
            lines.add(row("path", "no domain could be created: " + describe(e)));
        }
        try {
            if (!Srcu4j.isAvailable()) {
                lines.add(row("cpus", "available to this JVM: " + jvmCpus));
                lines.add(row("native", "libsrcu4j could not be loaded: "
                        + describe(Srcu4j.unavailabilityCause())));
                return lines;
            }
            var caps = Srcu4j.capabilities();
            lines.add(row("cpus", "possible " + caps.possibleCpus() + ", online " + caps.onlineCpus()
                    + " (available to this JVM: " + jvmCpus + ")"));
            lines.add(row("rseq", switch (caps.rseqMode()) {
                case GLIBC -> "registered by glibc";
                case OWN -> "glibc registration unavailable; srcu4j registered its own";
                case UNAVAILABLE -> "unavailable (atomic per-CPU counters)";
            }));
            lines.add(row("membarrier", caps.membarrier() ? "available" : "not available"));
            lines.add(row("topology", CpuTopology.current().toString()));
        } catch (RuntimeException | LinkageError e) {
            // Loaded but the probe failed: report it and go on; the lock baselines still run
            // and the srcu4j rows are reported as failed.
            lines.add(row("native", "libsrcu4j loaded, but asking it failed: " + describe(e)));
        }
        return lines;
    }

    private static String row(String key, String value) {
        return String.format(Locale.ROOT, "%-11s %s", key, value);
    }

    /** "model name" from /proc/cpuinfo (x86) when there is one; null elsewhere. */
    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst()
                    .orElse(null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** An exception and its causes on one line: "Type: message; caused by Type: message". */
    static String describe(Throwable t) {
        if (t == null) {
            return "no reason given";
        }
        StringBuilder text = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (!text.isEmpty()) {
                text.append("; caused by ");
            }
            text.append(c.getClass().getName());
            if (c.getMessage() != null) {
                text.append(": ").append(c.getMessage());
            }
        }
        return text.toString();
    }
}
