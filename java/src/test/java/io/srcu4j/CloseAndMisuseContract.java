// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** close() and every misuse the API promises to report with an exception; every path. */
abstract class CloseAndMisuseContract extends DomainTestSupport {

    @Test
    void closeRunsEveryPendingCallback() {
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 1_000; i++) {
            srcu.callSrcu(ran::incrementAndGet);
        }
        srcu.close();
        assertEquals(1_000, ran.get(), "close() returned before draining the queue");
        assertTrue(srcu.isClosed());
    }

    @Test
    void closeRunsPendingCallbacksOnlyAfterAGracePeriod() throws Exception {
        HeldReader reader = holdReader();
        AtomicReference<Boolean> seen = new AtomicReference<>();
        srcu.callSrcu(() -> seen.set(reader.left()));
        reader.release();
        srcu.close();
        assertEquals(Boolean.TRUE, seen.get());
    }

    @Test
    void closeRefusesWhileReadersAreOpenAndTheDomainStaysUsable() {
        ReadGuard first = srcu.read();
        ReadGuard second = srcu.read();

        IllegalStateException e = assertThrows(IllegalStateException.class, srcu::close);
        assertTrue(e.getMessage().contains("2 read sections"), e.getMessage());
        assertTrue(e.getMessage().contains("EBUSY"), e.getMessage());
        assertFalse(srcu.isClosed());

        AtomicInteger ran = new AtomicInteger();
        srcu.callSrcu(ran::incrementAndGet);
        try (ReadGuard third = srcu.read()) {
            assertEquals(3, srcu.readersActive());
        }
        second.close();
        first.close();
        srcu.barrier();
        assertEquals(1, ran.get());

        srcu.close();
        assertTrue(srcu.isClosed());
    }

    @Test
    void secondCloseIsANoOp() {
        srcu.close();
        srcu.close();
        assertTrue(srcu.isClosed());
    }

    @Test
    void concurrentClosersBothReturnAfterTheDrain() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 200; i++) {
            srcu.callSrcu(() -> {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ran.incrementAndGet();
            });
        }
        AtomicInteger seenByOther = new AtomicInteger(-1);
        Thread other = start("other-closer", () -> {
            srcu.close();
            seenByOther.set(ran.get());
        });
        srcu.close();
        assertEquals(200, ran.get());
        other.join();
        assertEquals(200, seenByOther.get(), "a second close() returned before the first one drained");
    }

    @Test
    void everyOperationAfterCloseSaysDomainClosed() {
        srcu.close();
        for (Runnable op : new Runnable[] {
                srcu::read, srcu::synchronize, () -> srcu.callSrcu(() -> { }), srcu::barrier}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, op::run);
            assertTrue(e.getMessage().contains("domain closed"), e.getMessage());
        }
        assertEquals(0, srcu.readersActive());
    }

    @Test
    void readAfterCloseIsRefusedInThreadsThatReadBefore() throws Exception {
        Runnable reads = () -> {
            for (int i = 0; i < 3; i++) {
                try (ReadGuard g = srcu.read()) {
                    assertFalse(g.isClosed());
                }
            }
        };
        // A virtual thread that keeps living across the close, as the platform thread does: both
        // may count on sets of their own by then.
        CountDownLatch closed = new CountDownLatch(1);
        AtomicReference<Throwable> virtualRead = new AtomicReference<>();
        Thread virtual = Thread.ofVirtual().start(() -> {
            reads.run();
            try {
                closed.await();
                srcu.read().close();
                virtualRead.set(new AssertionError("read() after close() returned a guard"));
            } catch (Throwable t) {
                virtualRead.set(t);
            }
        });
        reads.run();
        while (virtual.getState() != Thread.State.WAITING && virtual.isAlive()) {
            Thread.onSpinWait();
        }
        srcu.close();
        closed.countDown();
        IllegalStateException e = assertThrows(IllegalStateException.class, srcu::read);
        assertTrue(e.getMessage().contains("domain closed"), e.getMessage());
        virtual.join();
        assertInstanceOf(IllegalStateException.class, virtualRead.get());
        assertEquals(0, srcu.readersActive());
    }

    @Test
    void nullCallbackIsRefusedWithAMessage() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> srcu.callSrcu(null));
        assertNotNull(e.getMessage());
        assertTrue(e.getMessage().contains("callback"), e.getMessage());
    }

    @Test
    void nullArgumentsAreRefusedWithTheirNames() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> newDomain(null));
        assertTrue(e.getMessage().contains("flavor"), e.getMessage());
        e = assertThrows(NullPointerException.class, () -> Srcu.create(ReaderFlavor.CLASSIC, null));
        assertTrue(e.getMessage().contains("path"), e.getMessage());
        // null restores the default handler: allowed.
        srcu.setUncaughtExceptionHandler(null);
        assertEquals(null, srcu.getUncaughtExceptionHandler());
    }

    @Test
    void everyOperationAfterCloseThatNeedsTheDomainIsRefused() {
        srcu.close();
        for (Runnable op : new Runnable[] {srcu::synchronizeExpedited, srcu::getState, srcu::startPoll}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, op::run);
            assertTrue(e.getMessage().contains("domain closed"), e.getMessage());
        }
    }

    @Test
    void closingAGuardTwiceThrowsAndDoesNotEndTheSectionTwice() {
        ReadGuard outer = srcu.read();
        ReadGuard g = srcu.read();
        g.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, g::close);
        assertTrue(e.getMessage().contains("already closed"), e.getMessage());
        assertEquals(1, srcu.readersActive(), "the second close() changed the counters");
        outer.close();
        assertEquals(0, srcu.readersActive());
    }

    @Test
    void guardClosedAfterTheDomainClosedStillWorks() {
        ReadGuard g = srcu.read();
        assertThrows(IllegalStateException.class, srcu::close);
        g.close();
        srcu.close();
        assertThrows(IllegalStateException.class, g::close);
    }

    @Test
    void barrierFromInsideACallbackIsRefused() {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        srcu.callSrcu(() -> {
            try {
                srcu.barrier();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        srcu.barrier();
        IllegalStateException e = assertInstanceOf(IllegalStateException.class, thrown.get());
        assertTrue(e.getMessage().contains("EDEADLK"), e.getMessage());
    }

    @Test
    void closeFromInsideACallbackIsRefused() {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        srcu.callSrcu(() -> {
            try {
                srcu.close();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        srcu.barrier();
        IllegalStateException e = assertInstanceOf(IllegalStateException.class, thrown.get());
        assertTrue(e.getMessage().contains("own callbacks"), e.getMessage());
        assertFalse(srcu.isClosed());
    }

    @Test
    void closeFromACallbackWhileAnotherThreadClosesIsRefusedNotDeadlocked() {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch closing = new CountDownLatch(1);
        srcu.callSrcu(() -> {
            try {
                closing.await();
                Thread.sleep(50);   // let the test thread get into close() and take its lock
                srcu.close();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        closing.countDown();
        srcu.close();   // drains: the callback above runs while this thread holds the close lock
        assertInstanceOf(IllegalStateException.class, thrown.get());
        assertTrue(srcu.isClosed());
    }

    @Test
    void callSrcuFromACallbackDuringCloseIsRefused() throws Exception {
        CountDownLatch closing = new CountDownLatch(1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        srcu.callSrcu(() -> {
            try {
                closing.await();
                // Accepted until the other thread's close() has begun refusing; then refused.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (System.nanoTime() < deadline) {
                    srcu.callSrcu(() -> { });
                    Thread.sleep(5);
                }
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        Thread closer = start("closer", srcu::close);
        closing.countDown();
        closer.join();
        IllegalStateException e = assertInstanceOf(IllegalStateException.class, thrown.get());
        assertTrue(e.getMessage().contains("domain closed"), e.getMessage());
        assertTrue(srcu.isClosed());
    }

    @Test
    void synchronizeFromInsideACallbackWorks() {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean done = new AtomicBoolean();
        srcu.callSrcu(() -> {
            try {
                srcu.synchronize();
                done.set(true);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        srcu.barrier();
        assertEquals(null, thrown.get());
        assertTrue(done.get());
    }

    @Test
    void manyDomainsAreIndependent() throws Exception {
        try (Srcu other = newDomain()) {
            try (ReadGuard g = other.read()) {
                // A reader of another domain does not delay this one.
                srcu.synchronize();
                AtomicInteger ran = new AtomicInteger();
                srcu.callSrcu(ran::incrementAndGet);
                srcu.barrier();
                assertEquals(1, ran.get());
                assertEquals(0, srcu.readersActive());
                assertEquals(1, other.readersActive());
            }
        }
    }

    @Test
    void unreachableDomainsAreReleased() throws Exception {
        // Closed and dropped, and dropped without close(): the cleaner must cope with both
        // (and with queued callbacks) without crashing the JVM.
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 20; i++) {
            Srcu s = newDomain();
            s.callSrcu(ran::incrementAndGet);
            if (i % 2 == 0) {
                s.close();
            }
        }
        for (int i = 0; i < 200 && ran.get() < 20; i++) {
            System.gc();
            Thread.sleep(50);
        }
        assertEquals(20, ran.get(), "a dropped domain lost its queued callback");
    }

    @Test
    void toStringNamesTheState() {
        assertTrue(srcu.toString().startsWith("Srcu[" + path().propertyName() + ", classic"), srcu.toString());
        srcu.close();
        assertTrue(srcu.toString().contains("closed"), srcu.toString());
    }

    @Test
    void waitingInsideOneselfIsRefusedNotAHang() throws Exception {
        try (ReadGuard outer = srcu.read()) {
            try (ReadGuard inner = srcu.read()) {
                assertThrows(IllegalStateException.class, srcu::synchronize);
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, srcu::synchronizeExpedited);
            assertTrue(e.getMessage().contains("wait for itself"), e.getMessage());
            assertThrows(IllegalStateException.class, srcu::barrier);
            long cookie = srcu.startPoll();
            assertThrows(IllegalStateException.class, () -> srcu.awaitGracePeriod(cookie));
        }
        srcu.synchronize();   // outside again: no refusal

        // A section handed to another thread and ended there is no longer this thread's.
        ReadGuard handed = srcu.read();
        Thread other = Thread.ofPlatform().start(handed::close);
        other.join();
        srcu.synchronize();

        // Another thread's open section does not make this thread's synchronize a self-wait.
        CountDownLatch entered = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().start(() -> {
            try (ReadGuard g = srcu.read()) {
                entered.countDown();
                Thread.sleep(100);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        });
        entered.await();
        srcu.synchronize();
        holder.join();
    }

    @Test
    void tokensAreCheckedOnUnlock() throws Exception {
        ReadToken t = srcu.lock();
        assertEquals(1, srcu.readersActive());
        Thread unlocker = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            srcu.unlock(t);
        });
        // A token's section is no thread's own: not refused, it waits for the other thread.
        srcu.synchronizeExpedited();
        assertTrue(t.isEnded(), "synchronize returned before the token's section ended");
        unlocker.join();
        assertEquals(0, srcu.readersActive());
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> srcu.unlock(t));
        assertTrue(twice.getMessage().contains("already ended"), twice.getMessage());
        assertThrows(NullPointerException.class, () -> srcu.unlock(null));
        try (Srcu other = Srcu.create()) {
            ReadToken foreign = other.lock();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> srcu.unlock(foreign));
            assertTrue(e.getMessage().contains("belongs to"), e.getMessage());
            assertEquals(0, srcu.readersActive(), "a refused unlock counts nothing");
            other.unlock(foreign);
        }
    }
}
