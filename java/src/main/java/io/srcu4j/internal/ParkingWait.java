// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for something a non-blocking check can answer (a grace period's end through
 * {@code s4j_srcu_advance}, a close's drain through {@code s4j_srcu_close_poll}): the check
 * runs in the waiting thread, which spins or parks between checks and never blocks inside
 * native code. A virtual thread therefore unmounts while it waits, and its carrier can run the
 * very readers it waits for (with every carrier held by a waiter blocked in C, parked virtual
 * readers could never end their sections).
 *
 * <p>The pace follows the C library's waits ({@code native/src/srcu.c}). A normal wait checks a
 * few times back to back, then sleeps for 1 us, doubling up to 1 ms, each sleep at least the
 * thread's timer slack (50 us by default): each about as long as the wait so far. An expedited
 * one checks back to back for 5 us (long enough for running readers to leave short sections),
 * then sleeps a sixteenth of the wait so far, at least {@value #EXPEDITED_SLEEP_MIN_NS} ns and at
 * most 1 ms, with a platform thread's timer slack lowered to 1 us meanwhile ({@link TimerSlack};
 * restored before it returns): a reader that leaves is seen at most a sixteenth of the wait later.
 * The floor keeps the first sleep long enough to hand the CPU to a reader this thread preempted
 * inside its section and get it back: a thread that wakes before the scheduler lets it preempt
 * that reader back waits milliseconds for the CPU (the C file gives the measurements). Where the
 * slack stays (no native access, virtual threads), it is the floor, and the expedited sleeps ask
 * for a sixteenth of the wait from 1 us on. It never yields: a yield hands a CPU-bound reader that
 * this thread preempted a whole time slice first, milliseconds per grace period.
 *
 * <p>Interrupts follow {@code java.util.concurrent}: an uninterruptible wait keeps going and
 * restores the interrupt status when it returns; an interruptible one throws
 * {@link InterruptedException} and clears it. The check itself orders nothing here: each caller's
 * check carries its own barrier ([G] in {@code s4j_srcu_advance}).
 */
public final class ParkingWait {

    /** A timeout that never expires (about 292 years). */
    public static final long FOREVER = Long.MAX_VALUE;

    private static final int EAGER_CHECKS = 8;
    private static final long FIRST_SLEEP_NS = 1_000;
    private static final long LONGEST_SLEEP_NS = 1_000_000;
    private static final long EXPEDITED_SPIN_NS = 5_000;
    /** An expedited sleep's floor, with the timer slack lowered to {@link #EXPEDITED_SLACK_NS}. */
    static final long EXPEDITED_SLEEP_MIN_NS = 20_000;
    static final long EXPEDITED_SLACK_NS = 1_000;
    /** An expedited sleep is this share of the wait so far (one in this many). */
    static final long EXPEDITED_SLEEP_SHARE = 16;

    /** How eagerly to check. */
    public enum Pace {
        NORMAL,
        EXPEDITED
    }

    /** Told of a wait that has gone on for a while, between checks; see {@link Watch}. */
    public interface Watch {
        /** A watch that notices nothing. */
        Watch NONE = waitedNanos -> { };

        /** Called after each sleep with the time waited so far; must not block. */
        void waited(long waitedNanos);
    }

    private ParkingWait() {
    }

    /** Waits until {@code done} is true, however long it takes; the interrupt status is kept. */
    public static void awaitUninterruptibly(BooleanSupplier done, Pace pace, Watch watch) {
        try {
            loop(done, pace, FOREVER, false, watch);
        } catch (InterruptedException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /**
     * Waits until {@code done} is true or {@code timeoutNanos} have passed.
     *
     * @return whether {@code done} became true (false: the time ran out)
     * @throws InterruptedException when the thread is interrupted before or while it waits
     */
    public static boolean await(BooleanSupplier done, Pace pace, long timeoutNanos, Watch watch)
            throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return loop(done, pace, timeoutNanos, true, watch);
    }

    private static boolean loop(BooleanSupplier done, Pace pace, long timeoutNanos, boolean interruptible, Watch watch)
            throws InterruptedException {
        long start = System.nanoTime();
        long sleep = FIRST_SLEEP_NS;
        boolean interrupted = false;
        // The slack the thread had before an expedited wait lowered it; 0 until then, -1 when it
        // could not be lowered.
        long slack = 0;
        try {
            for (int checks = 1; ; checks++) {
                if (done.getAsBoolean()) {
                    return true;
                }
                long waited = System.nanoTime() - start;
                if (waited >= timeoutNanos) {
                    return false;
                }
                if (pace == Pace.EXPEDITED) {
                    if (waited < EXPEDITED_SPIN_NS) {
                        Thread.onSpinWait();
                        continue;
                    }
                    if (slack == 0) {
                        slack = TimerSlack.set(EXPEDITED_SLACK_NS);
                    }
                    sleep = expeditedSleep(waited, slack > 0);
                } else if (checks < EAGER_CHECKS) {
                    Thread.onSpinWait();
                    continue;
                }
                // May return early (a stray unpark): the loop checks again. A pending interrupt
                // would make every park return at once, so it is taken here.
                LockSupport.parkNanos(ParkingWait.class, Math.min(sleep, timeoutNanos - waited));
                if (Thread.interrupted()) {
                    if (interruptible) {
                        throw new InterruptedException();
                    }
                    interrupted = true;
                }
                if (pace == Pace.NORMAL) {
                    sleep = Math.min(sleep * 2, LONGEST_SLEEP_NS);
                }
                watch.waited(System.nanoTime() - start);
            }
        } finally {
            if (slack > 0) {
                TimerSlack.set(slack);
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * An expedited wait's sleep after {@code waitedNanos}: a sixteenth of it, at most 1 ms, and at
     * least {@link #EXPEDITED_SLEEP_MIN_NS} when the slack was lowered ({@code preciseSleeps}),
     * else at least 1 us (the slack then lengthens it anyway).
     */
    static long expeditedSleep(long waitedNanos, boolean preciseSleeps) {
        long floor = preciseSleeps ? EXPEDITED_SLEEP_MIN_NS : FIRST_SLEEP_NS;
        return Math.max(floor, Math.min(waitedNanos / EXPEDITED_SLEEP_SHARE, LONGEST_SLEEP_NS));
    }
}
