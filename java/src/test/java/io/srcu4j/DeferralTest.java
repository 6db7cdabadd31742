// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import io.srcu4j.internal.path.PathKind;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Deferral.defer(): exactly once, in order, from read sections and callbacks, misuse. */
class DeferralTest extends DomainTestSupport {

    /** Deferral is the library's, not a domain's; the domain here only hosts callbacks. */
    @Override
    public PathKind path() {
        return PathKind.NATIVE_DIRECT;
    }

    /** Defers a marker and waits for it: the tasks deferred before it by this thread have run. */
    private static void awaitDeferred() throws InterruptedException {
        CountDownLatch marker = new CountDownLatch(1);
        Deferral.defer(marker::countDown);
        assertTrue(marker.await(30, TimeUnit.SECONDS), "the deferral thread did not run a marker");
    }

    @Test
    void everyTaskFromSeveralThreadsRunsExactlyOnce() throws Exception {
        int threads = 4;
        int perThread = 5_000;   // several slabs of heads: slots are recycled and added
        AtomicIntegerArray runs = new AtomicIntegerArray(threads * perThread);
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * perThread;
            callers.add(start("deferrer-" + t, () -> {
                for (int i = 0; i < perThread; i++) {
                    int slot = base + i;
                    Deferral.defer(() -> runs.incrementAndGet(slot));
                }
                awaitDeferred();
            }));
        }
        for (Thread t : callers) {
            t.join();
        }
        for (int i = 0; i < runs.length(); i++) {
            assertEquals(1, runs.get(i), "task " + i + " ran " + runs.get(i) + " times");
        }
    }

    @Test
    void tasksOfOneThreadRunInOrderOnTheDeferralThread() throws Exception {
        List<Integer> order = new ArrayList<>();   // only the deferral thread touches it
        AtomicBoolean onDeferralThread = new AtomicBoolean(true);
        for (int i = 0; i < 100; i++) {
            int n = i;
            Deferral.defer(() -> {
                order.add(n);
                onDeferralThread.compareAndSet(true, Deferral.isDeferralThread());
            });
        }
        awaitDeferred();
        assertEquals(java.util.stream.IntStream.range(0, 100).boxed().toList(), order);
        assertTrue(onDeferralThread.get(), "a task did not see itself on the deferral thread");
        assertFalse(Deferral.isDeferralThread());
    }

    @Test
    void deferInsideAReadSectionRunsWithoutWaitingForIt() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        try (ReadGuard g = srcu.read()) {
            Deferral.defer(ran::countDown);
            assertTrue(ran.await(30, TimeUnit.SECONDS), "a task deferred inside a read section waited for it");
        }
    }

    @Test
    void callbacksAndTasksMayDeferAndQueueEachOther() throws Exception {
        CountDownLatch last = new CountDownLatch(1);
        srcu.callSrcu(() -> Deferral.defer(() -> {
            srcu.synchronize();                          // allowed: a normal thread
            srcu.callSrcu(() -> Deferral.defer(last::countDown));
        }));
        assertTrue(last.await(30, TimeUnit.SECONDS), "callSrcu -> defer -> callSrcu -> defer did not finish");
    }

    @Test
    void nullTaskIsRefusedWithAMessage() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Deferral.defer(null));
        assertTrue(e.getMessage().contains("task is null"), e.getMessage());
    }

    @Test
    void aThrowingTaskGoesToTheHandlerAndLaterTasksStillRun() throws Exception {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        RuntimeException boom = new RuntimeException("boom");
        Thread.UncaughtExceptionHandler before = Deferral.getUncaughtExceptionHandler();
        Deferral.setUncaughtExceptionHandler((t, e) -> seen.set(e));
        try {
            Deferral.defer(() -> {
                throw boom;
            });
            awaitDeferred();
            assertSame(boom, seen.get());
        } finally {
            Deferral.setUncaughtExceptionHandler(before);
        }
    }
}
