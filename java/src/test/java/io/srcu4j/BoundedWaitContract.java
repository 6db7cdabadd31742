// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/**
 * Timed, interruptible and asynchronous waits: they end when the grace period (or the callbacks)
 * they wait for end, run out of time while a reader stays inside, follow java.util.concurrent on
 * interrupts, and refuse what the plain waits refuse.
 */
abstract class BoundedWaitContract extends DomainTestSupport {

    private static final Duration SHORT = Duration.ofMillis(50);
    private static final Duration LONG = Duration.ofSeconds(30);

    @Test
    void timedSynchronizeRunsOutWhileAReaderStaysAndSucceedsOnceItLeaves() throws Exception {
        HeldReader reader = holdReader();
        long start = System.nanoTime();
        assertFalse(srcu.synchronize(SHORT), "a grace period ended with a reader inside");
        assertTrue(System.nanoTime() - start >= SHORT.toNanos(), "gave up before the timeout");
        assertFalse(srcu.synchronize(Duration.ZERO));
        assertFalse(srcu.synchronize(Duration.ofSeconds(-1)));
        reader.release();
        assertTrue(srcu.synchronize(LONG));
        // Nothing was left half done: the plain waits still work.
        srcu.synchronize();
        srcu.synchronizeExpedited();
    }

    @Test
    void timedSynchronizeWithNoReaderSucceedsEvenWithZeroTimeout() throws Exception {
        assertTrue(srcu.synchronize(Duration.ZERO));
        assertTrue(srcu.synchronize(Duration.ofDays(365L * 1000)), "a huge timeout is forever, not an overflow");
    }

    @Test
    void timedSynchronizeSeesWhatTheReaderWrote() throws Exception {
        int[] written = new int[1];
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread reader = start("reader", () -> {
            try (ReadGuard g = srcu.read()) {
                entered.countDown();
                release.await();
                written[0] = 42;   // plain: the grace period's end orders it ([C] with [G])
            }
        });
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        release.countDown();
        assertTrue(srcu.synchronize(LONG));
        assertEquals(42, written[0]);
        reader.join();
    }

    @Test
    void interruptEndsTheInterruptibleWaitsAndClearsTheStatus() throws Exception {
        HeldReader reader = holdReader();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> srcu.synchronize(LONG));
        assertFalse(Thread.interrupted(), "the interrupt status was not cleared");
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, srcu::synchronizeInterruptibly);
        assertFalse(Thread.interrupted());

        // An interrupt that arrives while it waits.
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> statusAfter = new AtomicReference<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                srcu.synchronizeInterruptibly();
            } catch (Throwable t) {
                thrown.set(t);
            }
            statusAfter.set(Thread.currentThread().isInterrupted());
        });
        Thread.sleep(50);
        waiter.interrupt();
        waiter.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(waiter.isAlive(), "the interrupt did not end the wait");
        assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
        assertFalse(statusAfter.get());
        long cookie = srcu.getState();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> srcu.awaitGracePeriod(cookie, LONG));
        assertFalse(Thread.interrupted());
        reader.release();
    }

    @Test
    void plainWaitsIgnoreAnInterruptAndKeepIt() throws Exception {
        HeldReader reader = holdReader();
        AtomicReference<Boolean> statusAfter = new AtomicReference<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            srcu.synchronize();
            statusAfter.set(Thread.currentThread().isInterrupted());
        });
        Thread.sleep(50);
        waiter.interrupt();
        Thread.sleep(50);
        assertTrue(waiter.isAlive(), "an interrupt ended an uninterruptible wait");
        reader.release();
        waiter.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(waiter.isAlive());
        assertEquals(Boolean.TRUE, statusAfter.get(), "the interrupt status was lost");
    }

    @Test
    void timedAwaitGracePeriod() throws Exception {
        HeldReader reader = holdReader();
        long cookie = srcu.getState();
        assertFalse(srcu.awaitGracePeriod(cookie, SHORT));
        assertFalse(srcu.poll(cookie));
        reader.release();
        assertTrue(srcu.awaitGracePeriod(cookie, LONG));
        assertTrue(srcu.poll(cookie));
        assertTrue(srcu.awaitGracePeriod(cookie, Duration.ZERO), "an ended grace period needs no time");
        assertThrows(IllegalArgumentException.class, () -> srcu.awaitGracePeriod(cookie + 1, LONG));
        assertThrows(NullPointerException.class, () -> srcu.awaitGracePeriod(cookie, null));
    }

    @Test
    void timedBarrierRunsOutWhileACallbackRunsAndSucceedsAfter() throws Exception {
        CountDownLatch letGo = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        srcu.callSrcu(() -> {
            running.countDown();
            try {
                letGo.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(running.await(30, TimeUnit.SECONDS));
        assertFalse(srcu.barrier(SHORT));
        letGo.countDown();
        assertTrue(srcu.barrier(LONG));
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> srcu.barrier(LONG));
        assertFalse(Thread.interrupted());
    }

    @Test
    void gracePeriodAsyncCompletesAfterTheReadersThatCameBefore() throws Exception {
        HeldReader reader = holdReader();
        int[] before = {7};
        CompletableFuture<Void> ended = srcu.gracePeriodAsync();
        CompletableFuture<Integer> seen = ended.thenApply(v -> before[0]);
        Thread.sleep(50);
        assertFalse(ended.isDone(), "completed with a reader of before still inside");
        assertFalse(reader.left());
        reader.release();
        assertEquals(7, seen.get(30, TimeUnit.SECONDS));
        assertTrue(reader.left());
    }

    @Test
    void gracePeriodAsyncOnAnExecutor() throws Exception {
        AtomicReference<String> completedOn = new AtomicReference<>();
        Executor named = task -> Thread.ofPlatform().name("completer").start(() -> {
            completedOn.compareAndSet(null, Thread.currentThread().getName());
            task.run();
        });
        CompletableFuture<Void> ended = srcu.gracePeriodAsync(named);
        ended.get(30, TimeUnit.SECONDS);
        assertEquals("completer", completedOn.get(), "the future was not completed through the executor");

        RejectedExecutionException refusal = new RejectedExecutionException("full");
        CompletableFuture<Void> refused = srcu.gracePeriodAsync(task -> {
            throw refusal;
        });
        ExecutionException e = assertThrows(ExecutionException.class, () -> refused.get(30, TimeUnit.SECONDS));
        assertSame(refusal, e.getCause());
        assertThrows(NullPointerException.class, () -> srcu.gracePeriodAsync(null));
    }

    @Test
    void closeWaitsForAPendingGracePeriodAsync() throws Exception {
        CompletableFuture<Void> ended = srcu.gracePeriodAsync();
        srcu.close();
        assertTrue(ended.isDone(), "close() dropped the future's callback");
    }

    @Test
    void refusedLikeThePlainWaits() throws Exception {
        try (ReadGuard g = srcu.read()) {
            assertThrows(IllegalStateException.class, () -> srcu.synchronize(LONG));
            assertThrows(IllegalStateException.class, srcu::synchronizeInterruptibly);
            assertThrows(IllegalStateException.class, () -> srcu.barrier(LONG));
            assertThrows(IllegalStateException.class, () -> srcu.awaitGracePeriod(srcu.getState(), LONG));
        }
        assertThrows(NullPointerException.class, () -> srcu.synchronize(null));
        assertThrows(NullPointerException.class, () -> srcu.barrier(null));
        srcu.close();
        assertThrows(IllegalStateException.class, () -> srcu.synchronize(LONG));
        assertThrows(IllegalStateException.class, srcu::synchronizeInterruptibly);
        assertThrows(IllegalStateException.class, () -> srcu.barrier(LONG));
        assertThrows(IllegalStateException.class, srcu::gracePeriodAsync);
        assertThrows(IllegalStateException.class, () -> srcu.gracePeriodAsync(Runnable::run));
    }

    @Test
    void barrierFromACallbackIsRefused() throws Exception {
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        srcu.callSrcu(() -> {
            try {
                srcu.barrier(LONG);
                thrown.complete(null);
            } catch (Throwable t) {
                thrown.complete(t);
            }
        });
        assertTrue(thrown.get(30, TimeUnit.SECONDS) instanceof IllegalStateException);
    }
}
