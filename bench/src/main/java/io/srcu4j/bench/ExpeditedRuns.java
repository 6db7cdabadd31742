// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs {@link ExpeditedBenchmark} for each path and flavor of the plan, {@link Plan#jvms()} times,
 * each in a JVM of its own with this JVM's flags. Output goes to {@code <reportDir>/expedited/},
 * as {@code <path>-<flavor>.out}, or {@code <path>-<flavor>-<n>.out} when there are several.
 */
final class ExpeditedRuns {

    static final long TIMEOUT_SECONDS = 600;

    /**
     * One run: a domain of {@code flavor} on {@code path}.
     *
     * @param path   a {@link BenchPaths} name
     * @param flavor {@code CLASSIC} or {@code FAST}
     */
    record Target(String path, String flavor) {
        @Override
        public String toString() {
            return path + " " + flavor.toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What to run: the default native path with classic and fast domains and the pure-Java path
     * (classic: it has no fast readers), or the pure-Java path alone without libsrcu4j; each case
     * (0, 1, 2 busy readers per CPU) 2 s long in {@code make bench}, 600 ms in {@code make run}
     * (as the C side's --quick), 200 ms in the smoke test; in {@code make bench} each target runs
     * in {@value #FULL_JVMS} JVMs, one after the other, and the report takes each case from the
     * median one ({@link ExpeditedRun#medianOf}).
     *
     * @param targets the runs
     * @param caseMs  the length of each case
     * @param jvms    JVMs per target
     */
    record Plan(List<Target> targets, long caseMs, int jvms) {

        static final int FULL_JVMS = 3;

        static Plan of(BenchSettings settings, boolean nativeAvailable) {
            List<Target> targets = new ArrayList<>();
            if (nativeAvailable) {
                targets.add(new Target(BenchPaths.NATIVE_DIRECT, "CLASSIC"));
                targets.add(new Target(BenchPaths.NATIVE_DIRECT, "FAST"));
            }
            targets.add(new Target(BenchPaths.JAVA, "CLASSIC"));
            long caseMs = settings.quick() ? 200 : settings.full() ? 2000 : 600;
            return new Plan(List.copyOf(targets), caseMs, settings.full() ? FULL_JVMS : 1);
        }
    }

    private ExpeditedRuns() {
    }

    static List<ExpeditedRun> run(Plan plan, Path reportDir, PrintStream out) throws IOException {
        Path dir = reportDir.resolve("expedited");
        Files.createDirectories(dir);
        List<ExpeditedRun> all = new ArrayList<>();
        for (Target target : plan.targets()) {
            List<ExpeditedRun> runs = new ArrayList<>();
            for (int jvm = 1; jvm <= plan.jvms(); jvm++) {
                String name = target.path() + "-" + target.flavor().toLowerCase(Locale.ROOT)
                        + (plan.jvms() > 1 ? "-" + jvm : "");
                runs.add(runOne(target, name, plan.caseMs(), dir, out));
            }
            all.add(ExpeditedRun.medianOf(target, runs));
        }
        return all;
    }

    /** One JVM's run of {@code target}, its output in {@code dir} under {@code name}. */
    private static ExpeditedRun runOne(Target target, String name, long caseMs, Path dir, PrintStream out)
            throws IOException {
        Path stdout = dir.resolve(name + ".out");
        Path stderr = dir.resolve(name + ".err");
        List<String> command = ChildJvm.javaCommand(List.of(), ExpeditedBenchmark.class,
                List.of(target.path(), target.flavor(), Long.toString(caseMs)));
        out.printf(Locale.ROOT, "  %-24s", name);
        out.flush();
        long start = System.nanoTime();
        String failure = ChildJvm.run(command, stdout, stderr, TIMEOUT_SECONDS, name);
        Map<String, String> got = Lifecycle.parse(Files.readString(stdout, StandardCharsets.UTF_8));
        if (failure == null && !got.containsKey("busy" + ExpeditedBenchmark.MAX_PER_CPU + "_ratio")) {
            failure = name + " printed no figures";
        }
        if (failure != null) {
            failure += " (" + stderr + ")";
        }
        List<String> ratios = new ArrayList<>();
        for (int per = 0; per <= ExpeditedBenchmark.MAX_PER_CPU; per++) {
            ratios.add(got.getOrDefault("busy" + per + "_ratio", "-"));
        }
        out.printf(Locale.ROOT, "%5.1f s  expedited / normal at 0, 1, 2 busy readers per CPU: %s%s%n",
                (System.nanoTime() - start) / 1e9, String.join(", ", ratios),
                failure == null ? "" : "  FAILED: " + failure);
        return new ExpeditedRun(target, got, failure == null ? List.of() : List.of(failure));
    }
}
