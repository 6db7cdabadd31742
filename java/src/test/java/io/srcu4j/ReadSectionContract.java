// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Read sections that outlive their thread's stay on a CPU: many virtual threads parked inside,
 * sections ended by another thread, a virtual thread that resumes on another carrier; every path.
 */
abstract class ReadSectionContract extends DomainTestSupport {

    private static final int PARKED_READERS = 10_000;
    private static final long HOLD_MS = 150;

    @Test
    void synchronizeWaitsForTenThousandVirtualThreadsParkedInsideSections() throws Exception {
        CountDownLatch entered = new CountDownLatch(PARKED_READERS);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger inside = new AtomicInteger();
        try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < PARKED_READERS; i++) {
                readers.submit(() -> {
                    try (ReadGuard g = srcu.read()) {
                        inside.incrementAndGet();
                        entered.countDown();
                        release.await();   // parks: the virtual thread unmounts inside the section
                        inside.decrementAndGet();
                    }
                    return null;
                });
            }
            try {
                assertTrue(entered.await(60, TimeUnit.SECONDS), "the readers did not all enter");
                assertEquals(PARKED_READERS, srcu.readersActive());

                AtomicInteger insideWhenReturned = new AtomicInteger(-1);
                Thread updater = start("updater", () -> {
                    srcu.synchronize();
                    insideWhenReturned.set(inside.get());
                });
                updater.join(HOLD_MS);
                assertTrue(updater.isAlive(), "synchronize() returned while every reader was parked inside");
                release.countDown();
                updater.join(TimeUnit.SECONDS.toMillis(60));
                assertFalse(updater.isAlive(), "synchronize() did not return after the readers left");
                assertEquals(0, insideWhenReturned.get(), "synchronize() returned before every reader left");
            } finally {
                release.countDown();   // a failed assertion must not leave the executor waiting
            }
        }
        assertEquals(0, srcu.readersActive());
    }

    @Test
    void aSectionHandedOverThroughACompletableFutureEndsInTheOtherThread() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor(r -> new Thread(r, "closer"));
        try {
            AtomicBoolean ended = new AtomicBoolean();
            AtomicReference<Thread> closedOn = new AtomicReference<>();
            CompletableFuture<ReadToken> handOver = new CompletableFuture<>();
            CompletableFuture<Void> closed = handOver.thenAcceptAsync(t -> {
                sleep(HOLD_MS);
                ended.set(true);
                closedOn.set(Thread.currentThread());
                srcu.unlock(t);
            }, other);

            // A token: the section belongs to no thread, so synchronize() here waits for it.
            ReadToken t = srcu.lock();
            handOver.complete(t);
            srcu.synchronize();
            assertTrue(ended.get(), "synchronize() returned before the other thread ended the section");
            closed.get(10, TimeUnit.SECONDS);
            assertFalse(closedOn.get() == Thread.currentThread());
            assertEquals(0, srcu.readersActive());
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void aSectionBegunInAVirtualThreadMayEndInAPlatformThread() throws Exception {
        CompletableFuture<ReadGuard> begun = new CompletableFuture<>();
        start(Thread.ofVirtual(), "virtual opener", () -> begun.complete(srcu.read())).join();
        ReadGuard g = begun.get(10, TimeUnit.SECONDS);
        assertEquals(1, srcu.readersActive());
        AtomicBoolean ended = new AtomicBoolean();
        Thread closer = start("platform closer", () -> {
            sleep(HOLD_MS);
            ended.set(true);
            g.close();
        });
        srcu.synchronize();
        assertTrue(ended.get(), "synchronize() returned before the platform thread ended the section");
        closer.join();
        assertEquals(0, srcu.readersActive());
    }

    @Test
    void aVirtualThreadResumingOnAnotherCarrierEndsItsSection() throws Exception {
        CountDownLatch moved = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean ended = new AtomicBoolean();
        AtomicBoolean carrierChanged = new AtomicBoolean();
        Thread reader = start(Thread.ofVirtual(), "migrating reader", () -> {
            try (ReadGuard g = srcu.read()) {
                String first = carrier();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (carrier().equals(first) && System.nanoTime() < deadline) {
                    // A spinning virtual thread, queued on this carrier, takes it over while this
                    // one sleeps (unmounted); this one then resumes on another free carrier.
                    Thread.ofVirtual().start(() -> spin(TimeUnit.MILLISECONDS.toNanos(3)));
                    Thread.sleep(1);
                }
                carrierChanged.set(!carrier().equals(first));
                moved.countDown();
                release.await();
                ended.set(true);
            }
        });
        assertTrue(moved.await(10, TimeUnit.SECONDS));
        if (!carrierChanged.get()) {
            release.countDown();
            reader.join();
            assumeTrue(false, "the scheduler kept the virtual thread on one carrier for 5 s");
        }
        Thread updater = start("updater", srcu::synchronize);
        updater.join(HOLD_MS);
        assertTrue(updater.isAlive(), "synchronize() returned while the migrated reader was inside");
        release.countDown();
        updater.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(updater.isAlive());
        assertTrue(ended.get());
        reader.join();
        assertEquals(0, srcu.readersActive());
    }

    /** The carrier of the current virtual thread, from its description ("...@ForkJoinPool-1-worker-2"). */
    private static String carrier() {
        String description = Thread.currentThread().toString();
        return description.substring(description.lastIndexOf('@') + 1);
    }

    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aGuardHandedOverIsStillItsOpenersUntilClosed() throws Exception {
        CompletableFuture<ReadGuard> handOver = new CompletableFuture<>();
        ReadGuard g = srcu.read();
        handOver.complete(g);
        // Waiting now would wait for a section this thread opened: refused, not a hang.
        assertThrows(IllegalStateException.class, srcu::synchronize);
        start("closer", () -> handOver.get().close()).join();
        srcu.synchronize();
        assertEquals(0, srcu.readersActive());
    }
}
