// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** callSrcu() and barrier(): exactly once, after a grace period, in order, exceptions contained; every path. */
abstract class CallSrcuContract extends DomainTestSupport {

    @Test
    void everyCallbackFromSeveralThreadsRunsExactlyOnce() throws Exception {
        int threads = 8;
        int perThread = 5_000;   // far more than one slab of heads, so slots are recycled and added
        AtomicIntegerArray runs = new AtomicIntegerArray(threads * perThread);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * perThread;
            callers.add(start("caller-" + t, () -> {
                go.await();
                for (int i = 0; i < perThread; i++) {
                    int slot = base + i;
                    srcu.callSrcu(() -> runs.incrementAndGet(slot));
                }
            }));
        }
        go.countDown();
        for (Thread t : callers) {
            t.join();
        }
        srcu.barrier();
        for (int i = 0; i < runs.length(); i++) {
            assertEquals(1, runs.get(i), "callback " + i + " ran " + runs.get(i) + " times");
        }
    }

    @Test
    void callbackWaitsForAReaderOpenWhenItWasQueued() throws Exception {
        AtomicBoolean readerLeft = new AtomicBoolean();
        AtomicReference<Boolean> readerLeftWhenRun = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);

        ReadGuard g = srcu.read();
        srcu.callSrcu(() -> {
            readerLeftWhenRun.set(readerLeft.get());
            ran.countDown();
        });
        assertFalse(ran.await(300, TimeUnit.MILLISECONDS), "callback ran while a reader from before callSrcu was inside");
        readerLeft.set(true);
        g.close();

        assertTrue(ran.await(10, TimeUnit.SECONDS), "callback never ran after the reader left");
        assertEquals(Boolean.TRUE, readerLeftWhenRun.get());
    }

    @Test
    void callbackWaitsForAReaderOfAnotherThread() throws Exception {
        HeldReader reader = holdReader();
        AtomicReference<Boolean> seen = new AtomicReference<>();
        srcu.callSrcu(() -> seen.set(reader.left()));
        Thread.sleep(200);
        assertEquals(null, seen.get(), "callback ran while the reader was inside");
        reader.release();
        srcu.barrier();
        assertEquals(Boolean.TRUE, seen.get());
    }

    /** Plain (non-volatile) field: only the happens-before edge of callSrcu makes the write visible. */
    private int plainPayload;

    @Test
    void actionsBeforeCallSrcuAreVisibleToTheCallback() {
        AtomicInteger seen = new AtomicInteger(-1);
        for (int i = 1; i <= 200; i++) {
            plainPayload = i;
            int expected = i;
            srcu.callSrcu(() -> {
                if (plainPayload < expected) {
                    seen.set(plainPayload);
                }
            });
        }
        srcu.barrier();
        assertEquals(-1, seen.get(), "a callback saw a payload older than the one written before its callSrcu");
    }

    @Test
    void callbacksFromOneThreadRunInQueueOrder() {
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 1_000; i++) {
            int n = i;
            srcu.callSrcu(() -> order.add(n));
        }
        srcu.barrier();
        assertEquals(1_000, order.size());
        for (int i = 0; i < order.size(); i++) {
            assertEquals(i, order.get(i));
        }
    }

    /** Callers that collide (so callbacks spread over the domain's stripes) keep their own order. */
    @Test
    void callbacksOfEachOfSeveralThreadsRunInThatThreadsOrder() throws Exception {
        int threads = 4;
        int perThread = 20_000;
        int[] next = new int[threads];
        AtomicInteger outOfOrder = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            callers.add(start("caller-" + t, () -> {
                go.await();
                for (int i = 0; i < perThread; i++) {
                    int n = i;
                    // Callbacks run one at a time, so next[] needs no lock.
                    srcu.callSrcu(() -> {
                        if (next[id] != n) {
                            outOfOrder.incrementAndGet();
                        }
                        next[id] = n + 1;
                    });
                }
            }));
        }
        go.countDown();
        for (Thread t : callers) {
            t.join();
        }
        srcu.barrier();
        assertEquals(0, outOfOrder.get(), "callbacks that ran out of their thread's order");
        for (int t = 0; t < threads; t++) {
            assertEquals(perThread, next[t], "callbacks of caller " + t + " that ran");
        }
    }

    /**
     * barrier() waits for the callbacks of every thread, whichever of the domain's queues they
     * went to: callers publish how many of their calls have returned, and after each barrier()
     * at least that many of their callbacks have run.
     */
    @Test
    void barrierWaitsForTheCallbacksOfEveryCaller() throws Exception {
        int threads = 3;
        AtomicIntegerArray returned = new AtomicIntegerArray(threads);
        AtomicIntegerArray ran = new AtomicIntegerArray(threads);
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            callers.add(start("caller-" + t, () -> {
                while (!stop.get()) {
                    srcu.callSrcu(() -> ran.incrementAndGet(id));
                    // Keeps the backlog small, so the test measures order, not memory.
                    returned.incrementAndGet(id);
                    while (returned.get(id) - ran.get(id) > 10_000 && !stop.get()) {
                        Thread.yield();
                    }
                }
            }));
        }
        try {
            for (int round = 0; round < 200; round++) {
                int[] before = new int[threads];
                for (int t = 0; t < threads; t++) {
                    before[t] = returned.get(t);
                }
                srcu.barrier();
                for (int t = 0; t < threads; t++) {
                    assertTrue(ran.get(t) >= before[t], "round " + round + ": caller " + t + " had " + before[t]
                            + " calls returned before barrier(), and only " + ran.get(t) + " callbacks ran");
                }
            }
        } finally {
            stop.set(true);
            for (Thread t : callers) {
                t.join();
            }
        }
    }

    @Test
    void barrierWaitsForEarlierCallbacks() {
        AtomicInteger done = new AtomicInteger();
        for (int i = 0; i < 50; i++) {
            srcu.callSrcu(() -> {
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                done.incrementAndGet();
            });
        }
        srcu.barrier();
        assertEquals(50, done.get(), "barrier() returned before every earlier callback ran");
    }

    @Test
    void barrierWithNothingQueuedReturns() {
        srcu.barrier();
        srcu.barrier();
    }

    @Test
    void callbackMayQueueAnotherCallback() {
        AtomicInteger second = new AtomicInteger();
        srcu.callSrcu(() -> srcu.callSrcu(second::incrementAndGet));
        srcu.barrier();   // the first has run, so the second is queued
        srcu.barrier();   // and now it has run too
        assertEquals(1, second.get());
    }

    @Test
    void callbackExceptionGoesToTheDomainHandlerAndTheWorkerGoesOn() {
        ConcurrentLinkedQueue<Throwable> reported = new ConcurrentLinkedQueue<>();
        AtomicReference<Thread> reportedOn = new AtomicReference<>();
        srcu.setUncaughtExceptionHandler((t, e) -> {
            reportedOn.set(t);
            reported.add(e);
        });
        AtomicInteger after = new AtomicInteger();
        RuntimeException boom = new RuntimeException("boom");
        AssertionError error = new AssertionError("an Error, not an Exception");
        srcu.callSrcu(() -> {
            throw boom;
        });
        srcu.callSrcu(after::incrementAndGet);
        srcu.callSrcu(() -> {
            throw error;
        });
        srcu.callSrcu(after::incrementAndGet);
        srcu.barrier();

        assertEquals(2, after.get(), "the worker stopped after a callback threw");
        assertEquals(List.of(boom, error), List.copyOf(reported));
        assertNotNull(reportedOn.get());
        assertFalse(reportedOn.get() == Thread.currentThread(), "reported on the caller's thread, not the worker's");
    }

    @Test
    void withoutADomainHandlerTheDefaultHandlerHearsOfIt() {
        Thread.UncaughtExceptionHandler saved = Thread.getDefaultUncaughtExceptionHandler();
        ConcurrentLinkedQueue<Throwable> reported = new ConcurrentLinkedQueue<>();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> reported.add(e));
        try {
            IllegalStateException boom = new IllegalStateException("default handler");
            srcu.callSrcu(() -> {
                throw boom;
            });
            srcu.barrier();
            assertEquals(List.of(boom), List.copyOf(reported));
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(saved);
        }
    }

    @Test
    void aThrowingHandlerDoesNotStopTheWorker() {
        srcu.setUncaughtExceptionHandler((t, e) -> {
            throw new IllegalStateException("handler failed too");
        });
        assertNotNull(srcu.getUncaughtExceptionHandler());
        AtomicInteger after = new AtomicInteger();
        java.io.PrintStream savedErr = System.err;
        System.setErr(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            srcu.callSrcu(() -> {
                throw new RuntimeException("expected by the test");
            });
            srcu.callSrcu(after::incrementAndGet);
            srcu.barrier();
        } finally {
            System.setErr(savedErr);
        }
        assertEquals(1, after.get());
    }

    @Test
    void aCallbackMayRunOnTheCallersExecutorAfterTheGracePeriod() throws Exception {
        HeldReader reader = holdReader();
        ExecutorService executor = Executors.newSingleThreadExecutor(
                r -> new Thread(r, "caller-executor"));
        try {
            AtomicReference<String> ranOn = new AtomicReference<>();
            AtomicBoolean readerHadLeft = new AtomicBoolean();
            CountDownLatch ran = new CountDownLatch(1);
            srcu.callSrcu(() -> {
                readerHadLeft.set(reader.left());
                ranOn.set(Thread.currentThread().getName());
                ran.countDown();
            }, executor);
            Thread.sleep(100);
            assertEquals(1, ran.getCount(), "the callback ran while a reader that began before was inside");
            reader.release();
            assertTrue(ran.await(10, TimeUnit.SECONDS));
            assertTrue(readerHadLeft.get());
            assertEquals("caller-executor", ranOn.get());
        } finally {
            executor.shutdownNow();
        }
        assertThrowsNpe(() -> srcu.callSrcu(() -> { }, null));
    }

    private static void assertThrowsNpe(Runnable call) {
        NullPointerException e = assertThrows(NullPointerException.class, call::run);
        assertTrue(e.getMessage().contains("null"), e.getMessage());
    }
}
