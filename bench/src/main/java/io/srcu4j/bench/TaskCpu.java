// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * CPU time this process's threads have used so far, summed per kind: srcu4j's workers (by the
 * names of {@link ThreadCensus#WORKERS}) and the collector's threads with the VM thread, which
 * runs the safepoints the collections stop the application at. Read from
 * {@code /proc/self/task/<tid>/schedstat} (ns on the CPU), or from {@code stat} (clock ticks)
 * where the kernel has no schedstat. A thread that ended between two readings drops out of the
 * second, so a difference counts only threads that live through both (srcu4j's workers and the
 * collector's do).
 *
 * @param workersNanos srcu4j's worker threads
 * @param gcNanos      the collector's threads and the VM thread
 */
record TaskCpu(long workersNanos, long gcNanos) {

    private static final Path TASKS = Path.of("/proc/self/task");
    /** HotSpot's collector threads: G1's and Parallel's workers, G1's concurrent ones, ZGC's and
     *  Shenandoah's; the VM thread runs Serial's collections and every safepoint. */
    static final Pattern GC = Pattern.compile("GC Thread#.*|G1 .*|Z[A-Z].*|Shenandoah.*|VM Thread");
    /** USER_HZ: the unit of {@code stat}'s utime and stime. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    /** The sums now; zeros where {@code /proc} cannot be read. */
    static TaskCpu now() {
        long workers = 0;
        long gc = 0;
        try (Stream<Path> tasks = Files.list(TASKS)) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    boolean worker = ThreadCensus.WORKERS.matcher(name).matches();
                    if (worker || GC.matcher(name).matches()) {
                        long ns = nanos(task);
                        if (worker) {
                            workers += ns;
                        } else {
                            gc += ns;
                        }
                    }
                } catch (IOException | RuntimeException gone) {
                    // The thread ended between the listing and the read.
                }
            }
        } catch (IOException e) {
            return new TaskCpu(0, 0);
        }
        return new TaskCpu(workers, gc);
    }

    /** What the threads used from {@code earlier} to this reading. */
    TaskCpu since(TaskCpu earlier) {
        return new TaskCpu(Math.max(0, workersNanos - earlier.workersNanos), Math.max(0, gcNanos - earlier.gcNanos));
    }

    /** One task's CPU time so far, ns. */
    static long nanos(Path task) throws IOException {
        Path schedstat = task.resolve("schedstat");
        if (Files.isReadable(schedstat)) {
            return Long.parseLong(Files.readString(schedstat).strip().split(" ")[0]);
        }
        return ticks(Files.readString(task.resolve("stat"))) * NANOS_PER_TICK;
    }

    /** utime + stime of a {@code stat} line: fields 14 and 15, counted after the name's ')'. */
    static long ticks(String stat) {
        List<String> fields = List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
        // After ')' the fields start at 3 (state): utime is field 14, stime 15.
        return Long.parseLong(fields.get(14 - 3)) + Long.parseLong(fields.get(15 - 3));
    }
}
