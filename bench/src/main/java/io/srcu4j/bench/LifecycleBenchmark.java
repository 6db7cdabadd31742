// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import io.srcu4j.ReadGuard;
import io.srcu4j.Srcu;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a domain costs to have rather than to use, on the path {@code -Dsrcu4j.path} names: one
 * part per JVM, so that one part's domains, threads and freed memory do not weigh on the next
 * ({@link LifecycleRuns} starts them and reads what they print: {@code key=value} lines).
 *
 * <ul>
 *   <li>{@code threads N}: the process's tasks and the JVM's threads before srcu4j is first
 *       used, then after {@code n} domains were created, each with a read section open and a
 *       callback queued behind it (so every callback stays pending). The sections are then closed
 *       and the JVM exits without closing the domains.</li>
 *   <li>{@code memory N <cycles>}: malloc's bytes in use and RssAnon (see
 *       {@link ProcessMemory}) before and after {@code n} idle domains were created, and after
 *       each had one read section (native-direct claims its Java readers' counters then), per
 *       domain; then the heap allocated by every thread (JVM-wide, so a pool worker's share of a
 *       close counts) per {@code Srcu.create()} + {@code close()}, over {@code cycles} of them
 *       after as many to warm up, and their time. Meant for a JVM whose heap is committed and
 *       touched from the start ({@code -Xms = -Xmx}, {@code -XX:+AlwaysPreTouch}), so that RssAnon
 *       does not grow with the Java heap.</li>
 * </ul>
 * By hand: {@code java --enable-native-access=ALL-UNNAMED -Dsrcu4j.path=java -cp benchmarks.jar
 * io.srcu4j.bench.LifecycleBenchmark threads 10000}.
 */
public final class LifecycleBenchmark {

    static final String THREADS = "threads";
    static final String MEMORY = "memory";

    /** Domains created, read and closed before the memory baseline: classes, the pool, the library. */
    private static final int WARMUP_DOMAINS = 50;

    private static final Runnable NOOP = () -> { };

    private LifecycleBenchmark() {
    }

    public static void main(String[] args) throws InterruptedException {
        PrintStream out = System.out;
        boolean threads = args.length == 2 && args[0].equals(THREADS);
        if (!threads && !(args.length == 3 && args[0].equals(MEMORY))) {
            System.err.println("usage: " + LifecycleBenchmark.class.getName() + " " + THREADS + " <domains> | "
                    + MEMORY + " <domains> <create+close cycles>   (the path: -Dsrcu4j.path=...)");
            System.exit(2);
        }
        int[] counts = new int[args.length - 1];
        for (int i = 1; i < args.length; i++) {
            counts[i - 1] = positive(args[i]);
        }
        try {
            if (threads) {
                threads(counts[0], out);
            } else {
                memory(counts[0], counts[1], out);
            }
        } catch (RuntimeException | Error e) {
            out.flush();
            e.printStackTrace();
            // Last, for the report: one line that says what went wrong.
            System.err.println("the " + args[0] + " part failed: " + RunReport.describe(e));
            System.exit(1);
        }
        out.flush();
        // The threads part leaves its domains open: exit ends the threads a native domain started.
        System.exit(0);
    }

    /** {@code arg} as a count above 0; otherwise a message and exit status 2. */
    private static int positive(String arg) {
        try {
            int n = Integer.parseInt(arg);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // Reported below.
        }
        System.err.println("expected a count above 0, got '" + arg + "'");
        System.exit(2);
        return 0;
    }

    /** The threads part; a domain that cannot be created ends it early, and says why. */
    static void threads(int count, PrintStream out) {
        // The collector starts its workers at its first collections: start them before the baseline.
        System.gc();
        ThreadCensus before = ThreadCensus.take();
        List<Srcu> domains = new ArrayList<>(count);
        List<ReadGuard> sections = new ArrayList<>(count);
        String failure = null;
        long start = System.nanoTime();
        try {
            for (int i = 0; i < count; i++) {
                Srcu srcu = Srcu.create();
                domains.add(srcu);
                sections.add(srcu.read());
                srcu.callSrcu(NOOP);
            }
        } catch (RuntimeException | Error e) {
            failure = "domain " + (domains.size() + 1) + " of " + count + ": " + RunReport.describe(e);
        }
        long created = System.nanoTime() - start;
        ThreadCensus after = ThreadCensus.take();
        put(out, "described", domains.isEmpty() ? "no domain" : domains.getFirst().describe());
        put(out, "cpus", Runtime.getRuntime().availableProcessors());
        put(out, "domains_asked", count);
        put(out, "domains", domains.size());
        put(out, "seconds", created / 1e9);
        put(out, "tasks_before", before.tasks().size());
        put(out, "tasks_after", after.tasks().size());
        put(out, "java_threads_before", before.javaThreads());
        put(out, "java_threads_after", after.javaThreads());
        put(out, "new_tasks", after.newTasks(before));
        put(out, "worker_tasks", after.workers() - before.workers());
        if (failure != null) {
            put(out, "failure", failure);
        }
        sections.forEach(ReadGuard::close);
    }

    /** The memory part. */
    static void memory(int count, int cycles, PrintStream out) throws InterruptedException {
        ProcessMemory memory = ProcessMemory.ofThisProcess();
        String path = null;
        for (int i = 0; i < WARMUP_DOMAINS; i++) {
            try (Srcu srcu = Srcu.create()) {
                srcu.read().close();
                srcu.callSrcu(NOOP);
                srcu.barrier();
                path = srcu.describe();
            }
        }
        put(out, "described", path);
        Srcu[] domains = new Srcu[count];
        System.gc();
        Thread.sleep(100);
        Reading empty = Reading.of(memory);
        for (int i = 0; i < count; i++) {
            domains[i] = Srcu.create();
        }
        Reading idle = Reading.of(memory);
        for (Srcu srcu : domains) {
            srcu.read().close();
        }
        Reading read = Reading.of(memory);
        for (Srcu srcu : domains) {
            srcu.close();
        }
        put(out, "memory_domains", count);
        if (memory.mallocUnavailable() != null) {
            put(out, "malloc_unavailable", memory.mallocUnavailable());
        } else {
            put(out, "idle_malloc_bytes", idle.mallocSince(empty) / count);
            put(out, "read_malloc_bytes", read.mallocSince(empty) / count);
        }
        put(out, "idle_rss_bytes", (double) (idle.rssAnon - empty.rssAnon) / count);
        put(out, "read_rss_bytes", (double) (read.rssAnon - empty.rssAnon) / count);

        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        createAndClose(cycles);
        long allocated = threads.getTotalThreadAllocatedBytes();
        long start = System.nanoTime();
        createAndClose(cycles);
        long took = System.nanoTime() - start;
        long after = threads.getTotalThreadAllocatedBytes();
        put(out, "cycles", cycles);
        put(out, "create_close_ns", (double) took / cycles);
        if (allocated < 0 || after < 0) {
            put(out, "garbage_unavailable", "this JVM does not measure the memory its threads allocate");
        } else {
            put(out, "garbage_bytes", (double) (after - allocated) / cycles);
        }
    }

    private static void createAndClose(int cycles) {
        for (int i = 0; i < cycles; i++) {
            Srcu.create().close();
        }
    }

    /** Both memory readings at one moment. */
    private record Reading(Optional<Long> malloc, long rssAnon) {
        static Reading of(ProcessMemory memory) {
            return new Reading(memory.mallocInUse(), memory.rssAnon());
        }

        double mallocSince(Reading before) {
            return (double) (malloc.orElseThrow() - before.malloc.orElseThrow());
        }
    }

    private static void put(PrintStream out, String key, Object value) {
        String text = value instanceof Double d ? String.format(Locale.ROOT, "%.1f", d) : String.valueOf(value);
        out.println(key + "=" + text.replace('\n', ' '));
    }
}
