// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hazard of a queue that takes a lock: the caller holds a lock L that a running callback
 * needs, and queues more work. A design whose worker holds its queue lock while it runs
 * callbacks deadlocks here (the worker waits for L, the caller for the queue lock). callSrcu and
 * Deferral.defer must return at once. The same harness run on such a design (test only) must
 * report it blocked: that shows the harness can see the hazard.
 */
abstract class NoLockHazardContract extends DomainTestSupport {

    private static final long BLOCKED_AFTER_MS = 2_000;

    /** A way to queue work, and the worker it runs on. */
    private interface Queue {
        void queue(Runnable work) throws InterruptedException;
    }

    /**
     * Runs the harness on {@code q}; returns whether the caller's queue() call, made while it
     * holds L and a callback waits for L, came back within {@link #BLOCKED_AFTER_MS}.
     */
    private boolean callerReturnsWhileHoldingTheLock(Queue q) throws Exception {
        ReentrantLock l = new ReentrantLock();
        CountDownLatch waitingForL = new CountDownLatch(1);
        CountDownLatch secondRan = new CountDownLatch(1);
        CountDownLatch callerDone = new CountDownLatch(1);
        Thread caller = start("caller", () -> {
            l.lock();
            try {
                q.queue(() -> {
                    waitingForL.countDown();
                    l.lock();            // blocks on the worker until the caller lets go
                    l.unlock();
                });
                assertTrue(waitingForL.await(30, TimeUnit.SECONDS), "the first callback never started");
                q.queue(secondRan::countDown);
                callerDone.countDown();
            } catch (InterruptedException e) {
                // The harness gave up on a blocked queue() call; let go of L so the worker ends.
            } finally {
                l.unlock();
            }
        });
        boolean returned = callerDone.await(BLOCKED_AFTER_MS, TimeUnit.MILLISECONDS);
        if (!returned) {
            caller.interrupt();
        }
        caller.join();
        if (returned) {
            assertTrue(secondRan.await(30, TimeUnit.SECONDS), "the second piece of work never ran");
        }
        return returned;
    }

    @Test
    void callSrcuReturnsWhileTheCallerHoldsALockACallbackWaitsFor() throws Exception {
        assertTrue(callerReturnsWhileHoldingTheLock(srcu::callSrcu),
                "callSrcu blocked while a running callback waited for a lock its caller holds");
    }

    @Test
    void deferReturnsWhileTheCallerHoldsALockATaskWaitsFor() throws Exception {
        assertTrue(callerReturnsWhileHoldingTheLock(Deferral::defer),
                "Deferral.defer blocked while a running task waited for a lock its caller holds");
    }

    /** Test only: a queue whose worker runs the work while holding the queue's lock. */
    private static final class LockTakingQueue implements Queue, AutoCloseable {
        private final ReentrantLock lock = new ReentrantLock();
        private final java.util.ArrayDeque<Runnable> pending = new java.util.ArrayDeque<>();
        private final java.util.concurrent.locks.Condition more = lock.newCondition();
        private final Thread worker = Thread.ofPlatform().name("lock-taking-worker").start(this::work);

        @Override
        public void queue(Runnable work) throws InterruptedException {
            lock.lockInterruptibly();
            try {
                pending.add(work);
                more.signal();
            } finally {
                lock.unlock();
            }
        }

        private void work() {
            lock.lock();
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Runnable r = pending.poll();
                    if (r == null) {
                        more.await();
                    } else {
                        r.run();
                    }
                }
            } catch (InterruptedException e) {
                // closed
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() throws InterruptedException {
            worker.interrupt();
            worker.join();
        }
    }

    @Test
    void theHarnessCatchesALockTakingQueue() throws Exception {
        try (LockTakingQueue q = new LockTakingQueue()) {
            assertFalse(callerReturnsWhileHoldingTheLock(q),
                    "the harness did not see a lock-taking queue block its caller");
        }
    }
}
