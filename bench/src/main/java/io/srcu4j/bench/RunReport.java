package io.srcu4j.bench;

import io.srcu4j.Srcu4j;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * What {@code make run} shows: the machine, then {@link ReadPairBenchmark} for every
 * implementation at 1 and 2 threads, side by side with ratios to srcu4j.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar \
 *     io.srcu4j.bench.RunReport &lt;reportDir&gt;
 * </pre>
 *
 * <p>Writes JMH's own JSON for the whole run to {@code <reportDir>/jmh.json} (readable by the usual
 * JMH viewers) and exits with status 1 when any benchmark produced no result.
 *
 * <p>Length of the run, by system property (or the environment variable in brackets):
 * <ul>
 *   <li>default: 1 fork, 2 warmup and 3 measurement iterations of 1 s per benchmark (under a
 *       minute in all, JVM start-ups included);</li>
 *   <li>{@code -Dsrcu4j.bench.quick=true} ({@code SRCU4J_BENCH_QUICK=true}): 1 warmup and 1
 *       measurement iteration of 200 ms, a smoke test for CI (the numbers mean little);</li>
 *   <li>{@code -Dsrcu4j.bench.full=true} ({@code SRCU4J_BENCH_FULL=true}): 2 forks, 3 warmup and 5
 *       measurement iterations of 2 s (a few minutes);</li>
 *   <li>{@code -Dsrcu4j.bench.threads=1,2,4}: other thread counts (default 1,2).</li>
 * </ul>
 * The forked benchmark JVMs inherit this JVM's flags, so {@code -Dsrcu4j.native.path=...} and the
 * other {@code srcu4j.*} properties apply to the benchmarks as they do to the machine section.
 */
public final class RunReport {

    static final String BASELINE = ReadPairBenchmark.Impl.SRCU4J.name();
    private static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    private static final String UNSAFE_ACCESS = "--sun-misc-unsafe-memory-access";

    private RunReport() {
    }

    /** How long each benchmark runs. */
    record Settings(String name, int forks, int warmups, TimeValue warmupTime, int iterations,
            TimeValue iterationTime) {

        static Settings fromEnvironment() {
            if (flag("srcu4j.bench.quick", "SRCU4J_BENCH_QUICK")) {
                return new Settings("quick", 1, 1, TimeValue.milliseconds(200), 1,
                        TimeValue.milliseconds(200));
            }
            if (flag("srcu4j.bench.full", "SRCU4J_BENCH_FULL")) {
                return new Settings("full", 2, 3, TimeValue.seconds(2), 5, TimeValue.seconds(2));
            }
            return new Settings("default", 1, 2, TimeValue.seconds(1), 3, TimeValue.seconds(1));
        }

        /** The system property when set, else the environment variable; "true" or "1" is on. */
        private static boolean flag(String property, String variable) {
            String value = System.getProperty(property, System.getenv(variable));
            return value != null && (value.equalsIgnoreCase("true") || value.equals("1"));
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: %d fork(s), warmup %d x %s, measurement %d x %s",
                    name, forks, warmups, warmupTime, iterations, iterationTime);
        }
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

        out.println("== machine");
        for (String line : machineLines()) {
            out.println("  " + line);
        }
        out.println();

        Settings settings = Settings.fromEnvironment();
        int[] threadCounts = threadCounts();
        ReadPairBenchmark.Impl[] impls = ReadPairBenchmark.Impl.values();
        out.println("== " + ReadPairBenchmark.class.getSimpleName() + " (" + settings + ")");

        ProgressFormat progress = new ProgressFormat(out, impls.length * threadCounts.length);
        List<RunResult> results = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (int threads : threadCounts) {
            try {
                results.addAll(new Runner(options(settings, threads), progress).run());
            } catch (RunnerException | RuntimeException e) {
                failures.add("threads=" + threads + ": " + describe(e));
            }
        }
        progress.finish();

        Path json = reportDir.resolve("jmh.json");
        try (PrintStream file = new PrintStream(Files.newOutputStream(json), false,
                StandardCharsets.UTF_8)) {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, file).writeOut(results);
        }

        Map<String, ReportTable.Row> measured = new HashMap<>();
        for (RunResult result : results) {
            BenchmarkParams params = result.getParams();
            Result<?> primary = result.getPrimaryResult();
            ReportTable.Row row = new ReportTable.Row(params.getParam("impl"), params.getThreads(),
                    primary.getScore(), primary.getScoreError());
            measured.put(row.impl() + "/" + row.threads(), row);
        }
        // Every configuration gets a row, in enum order; one without a result shows as n/a.
        List<ReportTable.Row> rows = new ArrayList<>();
        for (int threads : threadCounts) {
            for (ReadPairBenchmark.Impl impl : impls) {
                ReportTable.Row row = measured.get(impl.name() + "/" + threads);
                if (row == null) {
                    failures.add("impl=" + impl + " threads=" + threads + ": no result (see above)");
                    row = new ReportTable.Row(impl.name(), threads, Double.NaN, Double.NaN);
                }
                rows.add(row);
            }
        }

        out.println();
        out.println("== read lock/unlock pair, empty section (lower is better)");
        out.print(new ReportTable(BASELINE, "ns/op", rows).render());
        out.println();
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

    static Options options(Settings settings, int threads) {
        String exactly = "^" + Pattern.quote(ReadPairBenchmark.class.getName()) + "\\.readPair$";
        return new OptionsBuilder()
                .include(exactly)
                .mode(Mode.AverageTime)
                .timeUnit(TimeUnit.NANOSECONDS)
                .threads(threads)
                .forks(settings.forks())
                .warmupIterations(settings.warmups())
                .warmupTime(settings.warmupTime())
                .measurementIterations(settings.iterations())
                .measurementTime(settings.iterationTime())
                .jvmArgsAppend(forkedJvmArgs())
                .shouldFailOnError(false)
                .build();
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

    static int[] threadCounts() {
        String spec = System.getProperty("srcu4j.bench.threads", "1,2");
        try {
            int[] counts = Arrays.stream(spec.split(","))
                    .map(String::strip)
                    .mapToInt(Integer::parseInt)
                    .distinct()
                    .sorted()
                    .toArray();
            if (counts.length > 0 && counts[0] >= 1) {
                return counts;
            }
        } catch (NumberFormatException ignored) {
            // Reported below.
        }
        System.err.println("srcu4j.bench.threads: expected a list like 1,2,4, got '" + spec + "'");
        System.exit(2);
        throw new AssertionError();
    }

    /** The machine section: platform, JDK, and what the native library found. */
    static List<String> machineLines() {
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
