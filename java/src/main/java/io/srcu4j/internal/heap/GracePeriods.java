// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.heap;

import io.srcu4j.internal.ParkingWait;
import io.srcu4j.internal.callbacks.GracePeriodSteps;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The grace periods of a heap domain, numbered as in {@code native/src/srcu.c}: {@code seq} is
 * odd while one runs and even between them; a cookie is the even value that marks the end of a
 * grace period starting after it was taken. Concurrent callers share grace periods: whoever
 * holds {@link #lock} runs one for every caller whose cookie it reaches.
 *
 * <p>Waiting never holds a carrier: the lock is a {@link ReentrantLock} held for one step of scans
 * only, and the waits between steps park, so virtual threads unmount while they wait.
 */
final class GracePeriods implements GracePeriodSteps {

    private final ReadCounters counters;
    /** Held while a grace period runs; never by a reader or by callSrcu(). */
    private final ReentrantLock lock = new ReentrantLock();
    /**
     * Odd while a grace period runs. Written only under {@link #lock}; read without it by
     * {@link #snapshot()} ([F]) and {@link #reached(long)} ([G]).
     */
    private volatile long seq;
    /** Whether the running grace period has flipped the index (its second scan is next). Under
     *  {@link #lock}. */
    private boolean flipped;
    /** Expedited first scans left that do not look at the set in use (see {@link #step}). Under
     *  {@link #lock}. */
    private int bothSkips;

    /** As {@code S4J_BOTH_SKIPS} in {@code native/src/srcu.c}. */
    static final int BOTH_SKIPS = 16;

    GracePeriods(ReadCounters counters) {
        this.counters = counters;
    }

    /** Whether {@code seq} has reached {@code cookie}, across wrap-around. */
    static boolean reached(long seq, long cookie) {
        return seq - cookie >= 0;
    }

    /** The cookie of the first grace period that starts after this call. */
    @Override
    public long getState() {
        // [F] a volatile read: the caller's earlier volatile writes (unpublishing the old
        // version) precede it in the synchronization order, and the grace period that serves
        // this cookie writes an odd seq after it, then scans. So those writes precede the scans,
        // which pairs them with readers' [B] as [A] does. (volatile: SC, no litmus)
        long seen = seq;
        // The first even value at least two beyond what we saw (rounded up past one in progress).
        return (seen + 3) & ~1L;
    }

    /**
     * Whether the grace period {@code cookie} names has ended. [G]: the volatile read of an
     * even seq at or past the cookie synchronizes-with the write that ended that grace period,
     * whose scans saw every counted reader's [C]; so those sections happen-before the caller's
     * later actions. Never blocks. (volatile: SC, no litmus)
     */
    boolean reached(long cookie) {
        return reached(seq, cookie);
    }

    /**
     * Runs grace periods until the one {@code cookie} names has ended: {@link #advance} with the
     * lock taken, and the pace of {@link ParkingWait} between steps (a virtual thread unmounts).
     */
    void runUntil(long cookie, boolean expedited) {
        ParkingWait.awaitUninterruptibly(() -> step(cookie, true, expedited),
                expedited ? ParkingWait.Pace.EXPEDITED : ParkingWait.Pace.NORMAL, ParkingWait.Watch.NONE);
    }

    /**
     * Drives the grace period {@code cookie} names as far as it goes without waiting; true once it
     * has ended. Never blocks: false also when another thread holds the lock for a step.
     */
    @Override
    public boolean advance(long cookie) {
        return step(cookie, false, false);
    }

    /**
     * {@link #advance}, for an expedited wait when {@code expedited}: a grace period this step
     * starts ends at once when neither counter set holds a reader (see {@link #step}).
     */
    boolean advance(long cookie, boolean expedited) {
        return step(cookie, false, expedited);
    }

    /**
     * One step, as {@code s4j_srcu_advance} takes it: start a grace period when none runs, scan
     * the set not in use, flip, scan the other, end it; stop at the first scan that still finds
     * readers. The lock is held for the scans only, never while waiting: each scan is a fresh one,
     * made after every earlier step, so splitting the grace period changes none of its orderings.
     *
     * <p>An expedited step that starts a grace period makes its first scan of both sets around
     * one [A] ({@link ReadCounters#scanFirst(int)}), and ends the grace period there when neither
     * holds a reader: no reader of either set was inside at that instant, all that the two scans
     * and the flip establish between them. When only the set not in use is empty, that scan was
     * the first scan, and the flip follows. A normal one does not look at the set in use: with a
     * reader inside (a domain in use) those sums are wasted, where an expedited wait spends them
     * for the chance to end sooner. After a look that found a reader in the set in use, the next
     * {@link #BOTH_SKIPS} expedited grace periods do not look (busy readers are writing those
     * counters, and the look would almost never end a grace period); then one looks again.
     */
    private boolean step(long cookie, boolean waitForLock, boolean expedited) {
        // [G] a volatile read of an even seq at or past the cookie (see reached(long)).
        // (volatile: SC, no litmus)
        if (reached(cookie)) {
            return true;
        }
        if (waitForLock) {
            lock.lock();
        } else if (!lock.tryLock()) {
            return false;
        }
        try {
            for (;;) {
                long s = seq;
                if (reached(s, cookie)) {
                    return true;
                }
                if ((s & 1) == 0) {
                    // Volatile write of the odd value before the scans: a caller whose snapshot
                    // saw the old value precedes this write, hence the scans ([F]).
                    // (volatile: SC, no litmus)
                    seq = s + 1;
                    flipped = false;
                }
                if (!flipped) {
                    // Readers that took the other set before the previous flip; an expedited
                    // first try looks at the set in use too.
                    int old = 1 - counters.currentIndex();
                    boolean first = expedited && (s & 1) == 0;
                    boolean look = first && bothSkips == 0;
                    if (first && !look) {
                        bothSkips--;
                    }
                    int found = look ? counters.scanFirst(old)
                            : counters.readersGone(old) ? ReadCounters.IDX_GONE : ReadCounters.READERS_LEFT;
                    if (found == ReadCounters.READERS_LEFT) {
                        return false;
                    }
                    if (look && found == ReadCounters.IDX_GONE) {
                        bothSkips = BOTH_SKIPS;
                    }
                    if (found == ReadCounters.BOTH_GONE) {
                        // Volatile write after the scan's reads, as at the end below ([G]'s
                        // partner); no flip. (volatile: SC, no litmus)
                        seq = s + 2;
                        continue;
                    }
                    // [E] then [D]: see ReadCounters.flip(). (volatile: SC, no litmus)
                    counters.flip();
                    flipped = true;
                }
                if (!counters.readersGone(1 - counters.currentIndex())) {
                    return false;
                }
                // Volatile write after the scans' reads: [G]'s partner for waiters and pollers.
                // (volatile: SC, no litmus)
                seq = (s | 1) + 1;
            }
        } finally {
            // Unlocking happens-before the next lock(): a caller served by another caller's
            // grace period also has its scans' reads before its return ([G]).
            // (j.u.c.: happens-before, no litmus)
            lock.unlock();
        }
    }
}
