// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.ffm;

import io.srcu4j.ReadGuard;
import io.srcu4j.Srcu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A guard closed in another thread than its locker's, after the locker has terminated: the
 * guard's close counts the exit against the locker's home slot, and until it has, the locker
 * must stay reachable. Collected in between, it would free the slot to a new owner whose own
 * section the exit would then cancel, so that owner's {@code synchronize()} inside its section
 * would wait for itself instead of being refused.
 *
 * <p>The test forces that interleaving: a hook in the unlock runs garbage collections between
 * the unlock increment and the count until the slot is freed (or two seconds have passed), and
 * then lets a thread with the same home slot enter a section. The closing code is compiled
 * first, as it is in a running program: the interpreter keeps every local alive to the end of
 * its frame, compiled code only as long as it is used.
 */
class GuardClosedElsewhereTest {

    private static final int WARM_UP_GUARDS = 40_000;
    private static final int SLOTS = DirectReadSide.SLOTS;

    private final Hook hook = new Hook();

    @AfterEach
    void removeHook() {
        DirectReadSide.beforeExitElsewhere = null;
    }

    @Test
    void aLockerStaysReachableUntilItsExitElsewhereIsCounted() throws Exception {
        try (Srcu srcu = Srcu.create()) {
            assertTrue(srcu.describe().startsWith("native-direct"), srcu::describe);
            // Installed before the warm-up, so that the compiled unlock has seen this hook.
            DirectReadSide.beforeExitElsewhere = hook;
            long warmHome = warmUpClosingElsewhere(srcu);
            int[] owners = hook.side.ownerTable();

            AtomicReference<ReadGuard> handed = new AtomicReference<>();
            Thread locker = unstartedPlatform(id -> (id & (SLOTS - 1)) != warmHome, () -> handed.set(srcu.read()));
            int home = (int) locker.threadId() & (SLOTS - 1);
            locker.start();
            locker.join();
            assertEquals(locker.threadId(), owners[home], "the locker counted its section on its home slot");
            locker = null;

            Newcomer newcomer = new Newcomer(srcu, home);
            hook.arm(owners, home, newcomer);
            closeHanded(handed);
            newcomer.proceed.countDown();

            boolean finished = newcomer.done.await(3, TimeUnit.SECONDS);
            newcomer.release();
            newcomer.thread.join();
            assertTrue(finished, "synchronize() inside the newcomer's own section waited for itself: the locker was"
                    + " collected before its exit elsewhere was counted, and the exit cancelled the newcomer's section");
            assertNotNull(newcomer.refusal, "synchronize() inside its own section returned instead of throwing");
        }
    }

    /**
     * Closes guards of another thread's home-set sections here, through {@link #closeHanded},
     * until the JIT has compiled that path; returns the home slot that thread used.
     */
    private static long warmUpClosingElsewhere(Srcu srcu) throws InterruptedException {
        ReadGuard[] guards = new ReadGuard[1000];
        AtomicReference<ReadGuard> handed = new AtomicReference<>();
        Thread opener = null;
        for (int done = 0; done < WARM_UP_GUARDS; done += guards.length) {
            opener = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < guards.length; i++) {
                    guards[i] = srcu.read();
                }
            });
            opener.join();
            for (ReadGuard guard : guards) {
                handed.set(guard);
                closeHanded(handed);
            }
        }
        return opener.threadId() & (SLOTS - 1);
    }

    /** Closes the guard {@code handed} holds, which nothing else refers to once it is taken. */
    private static void closeHanded(AtomicReference<ReadGuard> handed) {
        handed.getAndSet(null).close();
    }

    private static Thread unstartedPlatform(LongPredicate id, Runnable body) {
        while (true) {
            Thread t = Thread.ofPlatform().unstarted(body);
            if (id.test(t.threadId())) {
                return t;
            }
        }
    }

    /** Collects garbage until the locker's slot is free, then lets the newcomer in. */
    private static final class Hook implements Consumer<DirectReadSide> {
        DirectReadSide side;
        private int[] owners;
        private int home;
        private Newcomer newcomer;

        void arm(int[] owners, int home, Newcomer newcomer) {
            this.owners = owners;
            this.home = home;
            this.newcomer = newcomer;
        }

        @Override
        public void accept(DirectReadSide side) {
            this.side = side;
            Newcomer n = newcomer;
            if (n == null) {
                return;
            }
            newcomer = null;
            try {
                for (int i = 0; i < 100 && owners[home] != 0; i++) {
                    System.gc();
                    Thread.sleep(20);
                }
                n.thread.start();
                assertTrue(n.entered.await(10, TimeUnit.SECONDS), "the newcomer did not enter its section");
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /**
     * A thread with the locker's home slot: enters a section (claiming the slot when it is
     * free), waits for the locker's guard to be closed, then calls {@code synchronize()} inside
     * its section. Its guard is closed by the test, from another thread, so that a wait for
     * itself can be ended.
     */
    private static final class Newcomer {
        final Thread thread;
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch proceed = new CountDownLatch(1);
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicReference<ReadGuard> guard = new AtomicReference<>();
        volatile IllegalStateException refusal;

        Newcomer(Srcu srcu, int home) {
            thread = unstartedPlatform(id -> (id & (SLOTS - 1)) == home, () -> {
                guard.set(srcu.read());
                entered.countDown();
                try {
                    proceed.await();
                    srcu.synchronize();
                } catch (IllegalStateException e) {
                    refusal = e;
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                } finally {
                    done.countDown();
                }
            });
        }

        /** Ends the newcomer's section from the caller's thread (which also ends a wait for it). */
        void release() {
            guard.getAndSet(null).close();
        }
    }
}
