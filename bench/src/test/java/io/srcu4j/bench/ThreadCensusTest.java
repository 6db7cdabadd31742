// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ThreadCensusTest {

    @Test
    void newTasksAreGroupedByNameMostNumerousFirst() {
        ThreadCensus before = new ThreadCensus(List.of("java", "GC Thread#0", "main"), 3);
        ThreadCensus after = new ThreadCensus(List.of("java", "GC Thread#0", "GC Thread#1", "main", "srcu4j-worker-1",
                "srcu4j-worker-2", "java", "java", "java"), 5);
        assertEquals("java x3, srcu4j-worker-N x2, GC Thread#N x1", after.newTasks(before));
        assertEquals("none", before.newTasks(after));
    }

    @Test
    void workersAreSrcu4jsCallbackDeferralAndNativeThreadsOnly() {
        ThreadCensus census = new ThreadCensus(List.of("java", "srcu4j-worker-1", "srcu4j-worker-12", "srcu4j-deferral",
                "s4j-cb-1", "s4j-defer", "srcu4j-cleaner", "srcu4j-slot-rel", "JNA Cleaner", "Thread-3"), 10);
        assertEquals(5, census.workers());
    }

    @Test
    void aStartedThreadIsCountedByTheProcessAndTheJvm() throws InterruptedException {
        ThreadCensus before = ThreadCensus.take();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread t = Thread.ofPlatform().name("census-probe-7").start(() -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        started.await();
        try {
            ThreadCensus after = ThreadCensus.take();
            assertTrue(after.newTasks(before).contains("census-probe-N x1"), after.newTasks(before));
            assertTrue(after.javaThreads() >= before.javaThreads() + 1, after + " / " + before);
            assertTrue(after.tasks().contains("census-probe-7"), after.tasks().toString());
        } finally {
            release.countDown();
            t.join();
        }
    }
}
