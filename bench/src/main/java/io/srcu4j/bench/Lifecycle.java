// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One path's lifecycle figures, from what the parts of {@link LifecycleBenchmark} printed
 * ({@code key=value} lines), and the aims they are held to: heap garbage per
 * {@code create()} + {@code close()} at most {@value #GARBAGE_AIM} bytes; native memory of an idle
 * native-direct domain at most {@value #IDLE_AIM} bytes (4 KiB); at most 2 x CPUs threads beyond
 * the baseline with many domains, each with a callback pending.
 *
 * @param path     the path the parts ran on
 * @param values   every {@code key=value} the parts printed
 * @param failures why a part gave nothing (it failed, or timed out); empty when both ran
 */
record Lifecycle(String path, Map<String, String> values, List<String> failures) {

    static final int GARBAGE_AIM = 3000;
    static final int IDLE_AIM = 4096;
    /** The path whose idle domains {@link #IDLE_AIM} holds to (the others have no memory aim). */
    static final String IDLE_AIM_PATH = BenchPaths.NATIVE_DIRECT;

    Lifecycle {
        values = Map.copyOf(values);
        failures = List.copyOf(failures);
    }

    /** The {@code key=value} lines of a part's output; other lines are left out. */
    static Map<String, String> parse(String output) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).matches("[a-z0-9_]+")) {
                values.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        return values;
    }

    /** A printed number; empty when it was not printed or is not a number. */
    OptionalDouble number(String key) {
        return number(values, key);
    }

    /** The number {@code values} holds under {@code key} (from {@link #parse}); empty when none is there. */
    static OptionalDouble number(Map<String, String> values, String key) {
        String text = values.get(key);
        if (text == null) {
            return OptionalDouble.empty();
        }
        try {
            return OptionalDouble.of(Double.parseDouble(text));
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    /** The process's threads after the domains were created, less those before. */
    OptionalDouble threadsBeyondBaseline() {
        OptionalDouble before = number("tasks_before");
        OptionalDouble after = number("tasks_after");
        return before.isPresent() && after.isPresent()
                ? OptionalDouble.of(after.getAsDouble() - before.getAsDouble()) : OptionalDouble.empty();
    }

    /** Native memory per domain: the larger of malloc's growth and RssAnon's ({@code idle} or {@code read}). */
    OptionalDouble nativeBytes(String when) {
        OptionalDouble malloc = number(when + "_malloc_bytes");
        OptionalDouble rss = number(when + "_rss_bytes");
        if (malloc.isEmpty()) {
            return rss;
        }
        return rss.isEmpty() ? malloc : OptionalDouble.of(Math.max(malloc.getAsDouble(), rss.getAsDouble()));
    }

    /** The figures of this path, the thread aim for {@code cpus} CPUs. */
    List<Figure> figures(int cpus) {
        String failed = failures.isEmpty() ? "" : String.join("; ", failures);
        List<Figure> figures = new ArrayList<>();
        OptionalDouble garbage = number("garbage_bytes");
        figures.add(new Figure(path, "garbage_bytes", "heap garbage per create()+close()", garbage, "B",
                new Figure.Aim("<= " + GARBAGE_AIM + " B", GARBAGE_AIM), garbage.isEmpty()
                        ? orElse(values.get("garbage_unavailable"), failed)
                        : "every thread's allocations over " + values.get("cycles") + " cycles"));
        OptionalDouble took = number("create_close_ns");
        figures.add(new Figure(path, "create_close_us", "time per create()+close()",
                took.isPresent() ? OptionalDouble.of(took.getAsDouble() / 1000) : took, "µs", null,
                took.isEmpty() ? failed : ""));
        figures.add(new Figure(path, "idle_native_bytes", "native memory per idle domain", nativeBytes("idle"), "B",
                path.equals(IDLE_AIM_PATH) ? new Figure.Aim("<= " + IDLE_AIM + " B", IDLE_AIM) : null,
                memoryNote("idle", failed)));
        figures.add(new Figure(path, "read_native_bytes", "native memory per domain after its first read()",
                nativeBytes("read"), "B", null, memoryNote("read", failed)));
        int limit = 2 * cpus;
        OptionalDouble workers = number("worker_tasks");
        figures.add(new Figure(path, "worker_threads", "srcu4j worker threads", workers, "",
                new Figure.Aim("<= 2 x " + cpus + " CPUs = " + limit, limit), workers.isEmpty() ? failed
                        : String.format(Locale.ROOT, "%s domains, each with a section open and a callback pending;"
                                + " the threads that run callbacks, grace periods and deferred work (%s)",
                                values.get("domains"), ThreadCensus.WORKER_NAMES)));
        OptionalDouble threads = threadsBeyondBaseline();
        figures.add(new Figure(path, "threads_beyond_baseline", "all threads beyond the baseline", threads, "",
                null, threads.isEmpty() ? failed : "the workers, and one cleaner thread each for domains and for"
                        + " readers' counters, whatever the number of domains (and a JNA-loaded library's own): "
                        + values.get("new_tasks")));
        OptionalDouble asked = number("domains_asked");
        OptionalDouble made = number("domains");
        if (asked.isPresent() && made.isPresent() && made.getAsDouble() < asked.getAsDouble()) {
            figures.add(new Figure(path, "domains_not_created", "domains that could not be created",
                    OptionalDouble.of(asked.getAsDouble() - made.getAsDouble()), "", new Figure.Aim("0", 0),
                    values.getOrDefault("failure", "")));
        }
        return figures;
    }

    /** "malloc 35907 B, RssAnon 42828 B, per domain of 1000" for {@code when}; {@code failed} when neither was read. */
    private String memoryNote(String when, String failed) {
        OptionalDouble malloc = number(when + "_malloc_bytes");
        OptionalDouble rss = number(when + "_rss_bytes");
        if (malloc.isEmpty() && rss.isEmpty()) {
            return failed;
        }
        String mallocText = malloc.isPresent() ? String.format(Locale.ROOT, "malloc %.0f B", malloc.getAsDouble())
                : "malloc n/a (" + values.getOrDefault("malloc_unavailable", "not read") + ")";
        String rssText = rss.isPresent() ? String.format(Locale.ROOT, "RssAnon %.0f B", rss.getAsDouble())
                : "RssAnon n/a";
        return mallocText + ", " + rssText + " (the larger counts), over " + values.get("memory_domains") + " domains";
    }

    private static String orElse(String text, String other) {
        return text != null ? text : other;
    }
}
