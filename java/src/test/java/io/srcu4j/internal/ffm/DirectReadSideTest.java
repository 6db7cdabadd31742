// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.ffm;

import io.srcu4j.bindings.srcu4j_h;
import io.srcu4j.internal.Errno;
import io.srcu4j.internal.loader.NativeLibrary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The direct read side against the native domain it counts in: C readers (through the bindings)
 * and Java readers share one domain, and grace periods wait for both.
 */
class DirectReadSideTest {

    private static final long HOLD_MS = 150;

    private FfmDomain domain;
    private MemorySegment ssp;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    @BeforeEach
    void open() {
        NativeLibrary.ensureAvailable();
        domain = FfmDomain.create(srcu4j_h.S4J_FLAVOR_CLASSIC(), true);
        ssp = MemorySegment.ofAddress(domain.address());
    }

    @AfterEach
    void close() {
        int rc = domain.close();
        assertTrue(rc == 0 || rc == -Errno.EALREADY, () -> "s4j_srcu_close: " + rc);
        domain.releaser().run();
        assertNull(failure.get(), () -> "a helper thread failed: " + failure.get());
    }

    private Thread holdSection(Thread.Builder kind, Runnable enter, Runnable leave, CountDownLatch entered,
                               AtomicBoolean left) {
        return kind.start(() -> {
            try {
                enter.run();
                entered.countDown();
                Thread.sleep(HOLD_MS);
                left.set(true);
                leave.run();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        });
    }

    @Test
    void javaAndCReadersShareTheDomain() throws Exception {
        CountDownLatch entered = new CountDownLatch(3);
        AtomicBoolean javaLeft = new AtomicBoolean(), virtualLeft = new AtomicBoolean(), cLeft = new AtomicBoolean();
        long[] javaIdx = new long[1], virtualIdx = new long[1];
        int[] cIdx = new int[1];
        Thread java = holdSection(Thread.ofPlatform(), () -> javaIdx[0] = domain.readLock(),
                () -> domain.readUnlock(javaIdx[0]), entered, javaLeft);
        Thread virtual = holdSection(Thread.ofVirtual(), () -> virtualIdx[0] = domain.readLock(),
                () -> domain.readUnlock(virtualIdx[0]), entered, virtualLeft);
        Thread c = holdSection(Thread.ofPlatform(), () -> cIdx[0] = srcu4j_h.s4j_srcu_down_read(ssp),
                () -> srcu4j_h.s4j_srcu_up_read(ssp, cIdx[0]), entered, cLeft);
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        assertEquals(3, domain.readersActive(), "Java, virtual-thread and C sections are all counted");

        assertEquals(0, domain.synchronize(false));
        assertTrue(javaLeft.get(), "the grace period ended while a Java reader was inside");
        assertTrue(virtualLeft.get(), "the grace period ended while a virtual-thread reader was inside");
        assertTrue(cLeft.get(), "the grace period ended while a C reader was inside");
        java.join();
        virtual.join();
        c.join();
        assertEquals(0, domain.readersActive());
    }

    @Test
    void aSectionMayEndInAnotherKindOfThread() throws Exception {
        long idx = domain.readLock();
        assertEquals(1, domain.readersActive());
        Thread.ofVirtual().start(() -> domain.readUnlock(idx)).join();
        assertEquals(0, domain.readersActive(), "a platform thread's section ended by a virtual thread");

        long[] vIdx = new long[1];
        Thread.ofVirtual().start(() -> vIdx[0] = domain.readLock()).join();
        assertEquals(1, domain.readersActive());
        domain.readUnlock(vIdx[0]);
        assertEquals(0, domain.readersActive(), "a virtual thread's section ended by a platform thread");
    }

    @Test
    void aVirtualThreadOwnsItsHomeSlotFromItsSecondSection() throws Exception {
        long taken = Thread.currentThread().threadId() & (DirectReadSide.SLOTS - 1);
        Thread.Builder builder = Thread.ofVirtual();
        Thread reader;
        long[] homes = new long[3];
        do {
            reader = builder.unstarted(() -> {
                for (int i = 0; i < homes.length; i++) {
                    long section = domain.readLock();
                    homes[i] = homeSlotOf(section);
                    domain.readUnlock(section);
                }
            });
        } while ((reader.threadId() & (DirectReadSide.SLOTS - 1)) == taken);
        reader.start();
        reader.join();
        long home = reader.threadId() & (DirectReadSide.SLOTS - 1);
        assertEquals(-1, homes[0], "a virtual thread's first section is counted on a shared set");
        assertEquals(home, homes[1], "its second one on the home slot it then claims");
        assertEquals(home, homes[2]);
        assertEquals(0, domain.readersActive());
    }

    @Test
    void closingTheDomainTakesTheHomeSlotsAway() throws Exception {
        long first = domain.readLock();
        domain.readUnlock(first);
        assertTrue(homeSlotOf(first) >= 0, "a platform thread counts on its home slot");
        assertEquals(0, domain.close());
        long after = domain.readLock();
        assertEquals(-1, homeSlotOf(after), "after close no section is counted on a home set");
        domain.readUnlock(after);
        assertEquals(0, domain.readersActive());
    }

    @Test
    void manyShortLivedThreadsEachCountCorrectly() throws Exception {
        for (int i = 0; i < 200; i++) {
            Thread t = Thread.ofPlatform().start(() -> {
                long idx = domain.readLock();
                domain.readUnlock(idx);
            });
            t.join();
        }
        assertEquals(0, domain.readersActive());
        assertEquals(0, domain.synchronize(true));
    }

    /** The home slot a section was counted on, -1 for a shared set. */
    private int homeSlotOf(long section) {
        return ((DirectReadSide) domain.readSide()).homeSlotOf(section);
    }

    /** A platform thread not yet started whose home slot is that of {@code other}. */
    private static Thread sameHomeAs(Thread other, Runnable body) {
        long home = other.threadId() & (DirectReadSide.SLOTS - 1);
        while (true) {
            Thread t = Thread.ofPlatform().unstarted(body);
            if ((t.threadId() & (DirectReadSide.SLOTS - 1)) == home) {
                return t;
            }
        }
    }

    @Test
    void twoLiveThreadsWithOneHomeSlotAreBothWaitedFor() throws Exception {
        CountDownLatch entered = new CountDownLatch(2);
        AtomicBoolean firstLeft = new AtomicBoolean(), secondLeft = new AtomicBoolean();
        long[] idx = new long[2];
        Thread first = holdSection(Thread.ofPlatform(), () -> idx[0] = domain.readLock(),
                () -> domain.readUnlock(idx[0]), entered, firstLeft);
        Thread second = sameHomeAs(first, () -> {
            try {
                idx[1] = domain.readLock();
                entered.countDown();
                Thread.sleep(HOLD_MS);
                secondLeft.set(true);
                domain.readUnlock(idx[1]);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        });
        second.start();
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        assertEquals(2, domain.readersActive(), "the owner and the thread that found its home slot taken");
        assertEquals(0, domain.synchronize(false));
        assertTrue(firstLeft.get() && secondLeft.get(), "the grace period ended while a reader was inside");
        first.join();
        second.join();
        assertEquals(0, domain.readersActive());
    }

    @Test
    void aTerminatedThreadsSlotGoesToTheNextThread() throws Exception {
        Thread first = Thread.ofPlatform().start(() -> {
            long idx = domain.readLock();
            // Left open on purpose: the next owner of the slot goes on from these counts.
            assertTrue(homeSlotOf(idx) >= 0, "a platform thread counts on its home slot");
        });
        first.join();
        assertEquals(1, domain.readersActive());
        long home = first.threadId() & (DirectReadSide.SLOTS - 1);
        long[] nextToken = new long[1];
        Runnable body = () -> {
            long idx = domain.readLock();
            nextToken[0] = idx;
            domain.readUnlock(idx);
        };
        first = null;
        // The slot frees once the first thread is collected; until then the next one shares.
        int homeHits = 0;
        for (int attempt = 0; attempt < 50 && homeHits == 0; attempt++) {
            System.gc();
            Thread.sleep(20);
            Thread next = Thread.ofPlatform().unstarted(body);
            while ((next.threadId() & (DirectReadSide.SLOTS - 1)) != home) {
                next = Thread.ofPlatform().unstarted(body);
            }
            next.start();
            next.join();
            if (homeSlotOf(nextToken[0]) == home) {
                homeHits++;
            }
        }
        assertTrue(homeHits > 0, "the slot of a collected thread was never handed to the next one");
        assertEquals(1, domain.readersActive(), "the open section of the terminated thread is still counted");
        // End it from here (a shared set), so the domain can close.
        domain.readUnlock(0);
        assertEquals(0, domain.readersActive());
    }
}
