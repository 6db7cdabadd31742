package io.srcu4j.internal.heap;

import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The grace periods of a heap domain, numbered as in {@code native/src/srcu.c}: {@code seq} is
 * odd while one runs and even between them; a cookie is the even value that marks the end of a
 * grace period starting after it was taken. Concurrent callers share grace periods: whoever
 * holds {@link #lock} runs one for every caller whose cookie it reaches.
 *
 * <p>Waiting never holds a carrier for long: the lock is a {@link ReentrantLock} and the waits
 * park, so virtual threads unmount while they wait.
 */
final class GracePeriods {

    /** Normal wait: immediate re-checks before the first sleep. */
    private static final int EAGER_CHECKS = 8;
    private static final long FIRST_SLEEP_NS = 1_000;
    private static final long LONGEST_SLEEP_NS = 1_000_000;
    /** Expedited wait: spin this long, then yield until {@link #EXPEDITED_YIELD_NS}, then sleep. */
    private static final long EXPEDITED_SPIN_NS = 20_000;
    private static final long EXPEDITED_YIELD_NS = 2_000_000;

    private final ReadCounters counters;
    /** Held while a grace period runs; never by a reader or by callSrcu(). */
    private final ReentrantLock lock = new ReentrantLock();
    /**
     * Odd while a grace period runs. Written only under {@link #lock}; read without it by
     * {@link #snapshot()} ([F]) and {@link #reached(long)} ([G]).
     */
    private volatile long seq;

    GracePeriods(ReadCounters counters) {
        this.counters = counters;
    }

    /** Whether {@code seq} has reached {@code cookie}, across wrap-around. */
    static boolean reached(long seq, long cookie) {
        return seq - cookie >= 0;
    }

    /** The cookie of the first grace period that starts after this call. */
    long snapshot() {
        // [F] a volatile read: the caller's earlier volatile writes (unpublishing the old
        // version) precede it in the synchronization order, and the grace period that serves
        // this cookie writes an odd seq after it, then scans. So those writes precede the scans,
        // which pairs them with readers' [B] as [A] does.
        long seen = seq;
        // The first even value at least two beyond what we saw (rounded up past one in progress).
        return (seen + 3) & ~1L;
    }

    /**
     * Whether the grace period {@code cookie} names has ended. [G]: the volatile read of an
     * even seq at or past the cookie synchronizes-with the write that ended that grace period,
     * whose scans saw every counted reader's [C]; so those sections happen-before the caller's
     * later actions. Never blocks.
     */
    boolean reached(long cookie) {
        return reached(seq, cookie);
    }

    /** The sequence number now, for the worker's check of pending requests. */
    long current() {
        return seq;
    }

    /** Runs grace periods until the one {@code cookie} names has ended. */
    void runUntil(long cookie, boolean expedited) {
        lock.lock();
        try {
            long s = seq;
            if (!reached(s, cookie)) {
                // Volatile write of the odd value before the scans: a caller whose snapshot saw
                // the old value precedes this write, hence the scans ([F]).
                seq = s + 1;
                // Readers that took the other set before the previous flip.
                waitReadersGone(1 - counters.currentIndex(), expedited);
                // [E] then [D]: see ReadCounters.flip().
                counters.flip();
                waitReadersGone(1 - counters.currentIndex(), expedited);
                // Volatile write after the scans' reads: [G]'s partner for waiters and pollers.
                seq = s + 2;
            }
        } finally {
            // Unlocking happens-before the next lock(): a caller served by another caller's
            // grace period also has its scans' reads before its return ([G]).
            lock.unlock();
        }
    }

    /**
     * Waits until counter set {@code idx} has no readers. Normal: a few immediate checks, then
     * sleeps that double from 1 us to 1 ms. Expedited: re-checks back to back for 20 us, then
     * yields between checks up to 2 ms, and only then sleeps (such readers are not short).
     */
    private void waitReadersGone(int idx, boolean expedited) {
        if (counters.readersGone(idx)) {
            return;
        }
        long start = System.nanoTime();
        long sleep = expedited ? EXPEDITED_SPIN_NS : FIRST_SLEEP_NS;
        int checks = 0;
        boolean interrupted = false;
        while (!counters.readersGone(idx)) {
            checks++;
            if (expedited) {
                long waited = System.nanoTime() - start;
                if (waited < EXPEDITED_SPIN_NS) {
                    Thread.onSpinWait();
                    continue;
                }
                if (waited < EXPEDITED_YIELD_NS) {
                    Thread.yield();
                    continue;
                }
            } else if (checks < EAGER_CHECKS) {
                Thread.onSpinWait();
                continue;
            }
            // May return early (a stray unpark): the loop checks again. A pending interrupt
            // would make every park return at once, so it is cleared here and restored below.
            LockSupport.parkNanos(this, sleep);
            interrupted |= Thread.interrupted();
            sleep = Math.min(sleep * 2, LONGEST_SLEEP_NS);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
