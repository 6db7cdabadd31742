// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** synchronize() against read sections that began before it; every path. */
abstract class GracePeriodContract extends DomainTestSupport {

    private static final long HOLD_MS = 200;

    @Test
    void synchronizeWithNoReadersReturns() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int i = 0; i < 100; i++) {
                srcu.synchronize();
            }
        });
        assertEquals(0, srcu.readersActive());
    }

    @Test
    void readerThatEnteredBeforeSynchronizeHasLeftWhenItReturns() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        AtomicBoolean left = new AtomicBoolean();
        AtomicLong leftAt = new AtomicLong();
        Thread reader = start("reader", () -> {
            try (ReadGuard g = srcu.read()) {
                entered.countDown();
                Thread.sleep(HOLD_MS);
                leftAt.set(System.nanoTime());
                left.set(true);
            }
        });

        assertTrue(entered.await(10, TimeUnit.SECONDS));
        long start = System.nanoTime();
        srcu.synchronize();
        long returnedAt = System.nanoTime();

        assertTrue(left.get(), "synchronize() returned while a reader that entered before it was still inside");
        assertTrue(leftAt.get() <= returnedAt, "reader left after synchronize() returned");
        assertTrue(returnedAt - start >= TimeUnit.MILLISECONDS.toNanos(HOLD_MS / 2),
                "synchronize() returned too early to have waited for the reader");
        reader.join();
    }

    @Test
    void waitsForEveryReaderOfSeveralThreads() throws Exception {
        int readers = 4;
        CountDownLatch entered = new CountDownLatch(readers);
        AtomicLong stillInside = new AtomicLong(readers);
        Thread[] threads = new Thread[readers];
        for (int i = 0; i < readers; i++) {
            long hold = HOLD_MS / 2 + i * 30L;
            threads[i] = start("reader-" + i, () -> {
                try (ReadGuard g = srcu.read()) {
                    entered.countDown();
                    Thread.sleep(hold);
                    stillInside.decrementAndGet();
                }
            });
        }
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        srcu.synchronize();
        assertEquals(0, stillInside.get(), "synchronize() returned with readers still inside");
        for (Thread t : threads) {
            t.join();
        }
    }

    @Test
    void nestedSectionKeepsTheGracePeriodOpenUntilTheOuterOneEnds() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        AtomicBoolean outerLeft = new AtomicBoolean();
        Thread reader = start("nested-reader", () -> {
            try (ReadGuard outer = srcu.read()) {
                try (ReadGuard inner = srcu.read()) {
                    entered.countDown();
                }
                Thread.sleep(HOLD_MS);
                outerLeft.set(true);
            }
        });
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        srcu.synchronize();
        assertTrue(outerLeft.get(), "synchronize() returned inside the outer section");
        reader.join();
    }

    @Test
    void sectionMayEndInAnotherThread() throws Exception {
        SynchronousQueue<ReadToken> handOver = new SynchronousQueue<>();
        AtomicBoolean ended = new AtomicBoolean();
        Thread closer = start("closer", () -> {
            ReadToken t = handOver.take();
            Thread.sleep(HOLD_MS);
            ended.set(true);
            srcu.unlock(t);
        });

        ReadToken t = srcu.lock();
        handOver.put(t);
        assertEquals(1, srcu.readersActive());
        srcu.synchronize();
        assertTrue(ended.get(), "synchronize() returned before the other thread ended the section");
        closer.join();
        assertTrue(t.isEnded());
        assertEquals(0, srcu.readersActive());
    }

    @Test
    void readerThatEntersAfterSynchronizeReturnedDoesNotDelayIt() {
        srcu.synchronize();
        try (ReadGuard g = srcu.read()) {
            assertEquals(1, srcu.readersActive());
            assertFalse(g.isClosed());
        }
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> srcu.synchronize());
    }

    @Test
    void virtualThreadMayParkInsideASection() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        AtomicBoolean left = new AtomicBoolean();
        Thread vt = start(Thread.ofVirtual(), "virtual reader", () -> {
            try (ReadGuard g = srcu.read()) {
                entered.countDown();
                Thread.sleep(HOLD_MS);
                left.set(true);
            }
        });
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        srcu.synchronize();
        assertTrue(left.get(), "synchronize() returned while a virtual thread was parked inside a section");
        vt.join();
    }
}
