// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs {@link LifecycleBenchmark}'s two parts on each path, each part in a JVM of its own with
 * this JVM's flags (as JMH's forks have them), and collects what they print. A part's output goes
 * to {@code <reportDir>/lifecycle/<path>-<part>.out} and {@code .err}; a part that fails or runs
 * past {@value #TIMEOUT_SECONDS} s is stopped and named in the path's failures.
 */
final class LifecycleRuns {

    static final long TIMEOUT_SECONDS = 300;

    /**
     * How many domains each part makes.
     *
     * @param threadDomains domains with a pending callback each, for the thread count
     * @param memoryDomains idle domains, for the native memory
     * @param cycles        create() + close() cycles for the heap garbage (after as many to warm up)
     */
    record Sizes(int threadDomains, int memoryDomains, int cycles) {

        /**
         * make bench: 10,000 / 1,000 / 10,000. make run: 2,000 / 1,000 / 1,000, as each native
         * domain still starts a thread: 10,000 of them take 5 to 20 s to create on a 2-CPU machine,
         * per native path. Quick: 500 / 200 / 200.
         */
        static Sizes of(BenchSettings settings) {
            if (settings.quick()) {
                return new Sizes(500, 200, 200);
            }
            return settings.full() ? new Sizes(10_000, 1_000, 10_000) : new Sizes(2_000, 1_000, 1_000);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "threads: %d domains; memory: %d idle domains, %d create+close",
                    threadDomains, memoryDomains, cycles);
        }
    }

    /** JVM flags of the memory part: a heap committed and touched at start, so RssAnon is native memory. */
    static final List<String> MEMORY_JVM_ARGS = List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch");

    private LifecycleRuns() {
    }

    /** Both parts on each of {@code paths}, one after the other; progress on {@code out}. */
    static List<Lifecycle> run(List<String> paths, Sizes sizes, Path reportDir, PrintStream out) throws IOException {
        Path dir = reportDir.resolve("lifecycle");
        Files.createDirectories(dir);
        List<Lifecycle> all = new ArrayList<>();
        for (String path : paths) {
            Map<String, String> values = new LinkedHashMap<>();
            List<String> failures = new ArrayList<>();
            part(path, List.of(), List.of(LifecycleBenchmark.THREADS, Integer.toString(sizes.threadDomains())), dir,
                    out, values, failures);
            part(path, MEMORY_JVM_ARGS, List.of(LifecycleBenchmark.MEMORY, Integer.toString(sizes.memoryDomains()),
                    Integer.toString(sizes.cycles())), dir, out, values, failures);
            all.add(new Lifecycle(path, values, failures));
        }
        return all;
    }

    private static void part(String path, List<String> jvmArgs, List<String> args, Path dir, PrintStream out,
            Map<String, String> values, List<String> failures) throws IOException {
        String name = path + "-" + args.getFirst();
        Path stdout = dir.resolve(name + ".out");
        Path stderr = dir.resolve(name + ".err");
        List<String> command = command(path, jvmArgs, args);
        out.printf(Locale.ROOT, "  %-24s", name);
        out.flush();
        long start = System.nanoTime();
        String part = args.getFirst() + " part";
        String failure = ChildJvm.run(command, stdout, stderr, TIMEOUT_SECONDS, part);
        if (failure != null && failure.startsWith(part + " exited")) {
            failure += ": " + lastLine(stderr);
        }
        Map<String, String> got = Lifecycle.parse(Files.readString(stdout, StandardCharsets.UTF_8));
        values.putAll(got);
        if (failure == null && got.isEmpty()) {
            failure = args.getFirst() + " part printed no figures: " + lastLine(stderr);
        }
        out.printf(Locale.ROOT, "%5.1f s%s%n", (System.nanoTime() - start) / 1e9,
                failure == null ? "" : "  FAILED: " + failure + " (" + stderr + ")");
        if (failure != null) {
            failures.add(failure);
        }
    }

    /** The command of one part: this JVM's java and flags, the path, the part's own flags and arguments. */
    static List<String> command(String path, List<String> jvmArgs, List<String> args) {
        List<String> flags = new ArrayList<>(jvmArgs);
        // Last, so that it wins over a srcu4j.path this JVM was given.
        flags.add("-Dsrcu4j.path=" + path);
        return ChildJvm.javaCommand(flags, LifecycleBenchmark.class, args);
    }

    /** The last non-blank line of a file, for a failure message; "" when there is none. */
    private static String lastLine(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank())
                .toList();
        return lines.isEmpty() ? "(nothing on stderr)" : lines.getLast().strip();
    }
}
