// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.srcu4j.Srcu;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TaskCpuTest {

    /** A task name may hold spaces and parentheses: the fields are counted after the last ')'. */
    @Test
    void ticksAreUtimePlusStimeWhateverTheName() {
        String stat = "4242 (GC Thread#0 (x)) S 1 4242 4242 0 -1 4194560 10 0 0 0 17 5 0 0 20 0 1 0 100 0 0";
        assertEquals(22, TaskCpu.ticks(stat));
    }

    @Test
    void theCollectorsThreadsAreKnownByName() {
        for (String name : new String[] {"GC Thread#0", "G1 Conc#0", "G1 Refine#0", "VM Thread", "ZWorker#1"}) {
            assertTrue(TaskCpu.GC.matcher(name).matches(), name);
        }
        for (String name : new String[] {"main", "srcu4j-worker-1", "C2 CompilerThre", "Thread-0"}) {
            assertFalse(TaskCpu.GC.matcher(name).matches(), name);
        }
    }

    /** Callbacks that burn CPU on the workers show up in the workers' sum, and only there. */
    @Test
    void theWorkersCpuTimeGrowsWithWhatTheCallbacksDo() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "no /proc here");
        AtomicLong sink = new AtomicLong();
        try (Srcu srcu = Srcu.create()) {
            srcu.callSrcu(() -> { });
            srcu.barrier();   // the worker exists
            TaskCpu before = TaskCpu.now();
            for (int i = 0; i < 20; i++) {
                srcu.callSrcu(() -> sink.addAndGet(spin(5_000_000)));
            }
            srcu.barrier();
            TaskCpu used = TaskCpu.now().since(before);
            assertTrue(used.workersNanos() >= 100_000_000L, "20 callbacks of 5 ms of CPU each: " + used);
            assertTrue(used.gcNanos() >= 0, used.toString());
        }
    }

    /** Spins until this thread has used {@code nanos} more of CPU time; returns something to keep. */
    private static long spin(long nanos) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long end = threads.getCurrentThreadCpuTime() + nanos;
        long x = 0;
        while (threads.getCurrentThreadCpuTime() < end) {
            x += x * 31 + 7;
        }
        return x;
    }
}
