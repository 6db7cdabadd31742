// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.heap;

import io.srcu4j.internal.LockedAdd;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The read side of a heap domain: the current counter-set index and, per stripe, a lock count
 * and an unlock count for each of the two sets.
 *
 * <p>A reader picks its stripe by a hash of its thread id, so each thread keeps updating the same
 * lines and two threads rarely share one. Sharing is only slower, never wrong: every update is an
 * atomic add, and only the sums over all stripes mean anything. That is also why a section may
 * end in another thread (a guard handed over, a virtual thread resumed on another carrier): the
 * unlock lands in the closing thread's stripe and the sums still balance.
 *
 * <p>Layout: one {@code long[]}; stripe {@code s} owns the {@value #STRIDE} longs (128 bytes)
 * from {@code (s + 1) * STRIDE}: {@code lock[0], lock[1], unlock[0], unlock[1]}, then padding.
 * The first and last {@value #STRIDE} longs are padding too, so no stripe shares a line with the
 * array header (its length is read by every bounds check) or with whatever the heap puts next.
 * 128 bytes rather than 64 because x86 prefetches lines in adjacent pairs.
 *
 * <p>Every counter access is a volatile access (a synchronization action of the Java memory
 * model). All of them therefore lie in one total synchronization order that agrees with each
 * thread's program order, and a volatile read sees the last write before it in that order: the
 * sequential consistency that the native library builds from fences. The letters are those of
 * {@code native/src/srcu.c}; {@code package-info} gives the whole table.
 */
final class ReadCounters {

    /** Longs per stripe: 128 bytes. */
    private static final int STRIDE = 16;
    private static final int LOCKS = 0;
    private static final int UNLOCKS = 2;
    /** Multiplier of Fibonacci hashing: consecutive thread ids land on distant stripes. */
    private static final long GOLDEN = 0x9E37_79B9_7F4A_7C15L;
    private static final int MAX_STRIPES = 1024;

    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] counts;
    private final int stripes;
    /** 64 minus log2(stripes): the hash's top bits choose the stripe. */
    private final int shift;
    /**
     * Bit 0 is the set new readers count in. Volatile: readers read it, grace periods flip it
     * ([D], [E]); a reader that reads a flip synchronizes-with it.
     */
    private volatile int index;

    /** Counters with a stripe count for {@code cpus} processors: a power of two, 4x rounded up. */
    ReadCounters(int cpus) {
        int wanted = Math.clamp(4L * Math.max(1, cpus), 4, MAX_STRIPES);
        stripes = Integer.highestOneBit(wanted - 1) << 1;
        shift = Long.SIZE - Integer.numberOfTrailingZeros(stripes);
        counts = new long[(stripes + 2) * STRIDE];
    }

    /** The number of stripes (for tests and diagnostics). */
    int stripes() {
        return stripes;
    }

    /** Where the calling thread's stripe begins in {@link #counts}. */
    private int stripeBase() {
        long hash = Thread.currentThread().threadId() * GOLDEN;
        return ((int) (hash >>> shift) + 1) * STRIDE;
    }

    /** Enters a read section: counts a lock in the current set and returns the set's index. */
    int lock() {
        int idx = index & 1;
        // [B] a volatile read-modify-write: it precedes every later action of the section in the
        // synchronization order. Pairs with [A]: a scan that misses this lock comes before it in
        // that order, so the section sees every volatile write the updater made before the scan
        // (with [F], before synchronize() was called). Then a full fence where the locked add is
        // none (aarch64), so that plain loads of the section are ordered after it too, as on the
        // native paths (LockedAdd). (volatile: SC, no litmus; the fence: litmus A-B.sb.java)
        COUNTS.getAndAdd(counts, stripeBase() + LOCKS + idx, 1L);
        LockedAdd.fenceIfNeeded();
        return idx;
    }

    /** Leaves a read section entered in set {@code idx} (the value {@link #lock()} returned). */
    void unlock(int idx) {
        // [C] a volatile write (the RMW's write half) after every action of the section in
        // program order. Pairs with [A]: the scan's volatile read that counts it synchronizes-with
        // it, so the section's actions happen-before the end of the grace period.
        // (volatile: SC, no litmus)
        COUNTS.getAndAdd(counts, stripeBase() + UNLOCKS + (idx & 1), 1L);
    }

    /** The set new readers count in now. */
    int currentIndex() {
        return index & 1;
    }

    /**
     * Moves new readers to the other set. Only the grace-period holder calls it. The volatile
     * write is [E] after the first scan's reads and [D] before the second scan's reads: both
     * orders come from program order between synchronization actions.
     * (volatile: SC, no litmus)
     */
    void flip() {
        index = index + 1;
    }

    /** True when no read section counted in set {@code idx} is open. */
    boolean readersGone(int idx) {
        long unlocks = sum(UNLOCKS + idx);
        // [A] every unlock read above precedes every lock read below in the synchronization
        // order (program order between volatile reads). A counted unlock's lock came before it,
        // so it is counted too; equal sums mean each counted lock has its unlock counted, and
        // each such unlock's section happens-before this return ([C]). A lock not counted comes
        // after these reads ([B]). (volatile: SC, no litmus)
        long locks = sum(LOCKS + idx);
        return locks == unlocks;
    }

    /** What {@link #scanFirst(int)} found: set {@code idx} still holds a reader. */
    static final int READERS_LEFT = 0;
    /** Set {@code idx} holds no reader; the other set does, or may. */
    static final int IDX_GONE = 1;
    /** Neither set holds a reader. */
    static final int BOTH_GONE = 2;

    /**
     * {@link #readersGone(int)} for set {@code idx}, and when it holds no reader, whether the other
     * set holds none either, around the same [A]: the unlocks of both summed before the locks of
     * both, so the argument for set {@code idx} holds word for word for the other, and no reader
     * of either set was inside when the unlocks were summed (the C library's first expedited
     * scan). (litmus: A-B.sb.both)
     */
    int scanFirst(int idx) {
        long unlocks = sum(UNLOCKS + idx);
        long other = sum(UNLOCKS + 1 - idx);
        // [A] as in readersGone(int), for both sets at once. (volatile: SC, no litmus)
        if (sum(LOCKS + idx) != unlocks) {
            return READERS_LEFT;
        }
        return sum(LOCKS + 1 - idx) == other ? BOTH_GONE : IDX_GONE;
    }

    /** Open sections in both sets: a racy snapshot, never negative (unlocks summed first, [A]). */
    long readersActive() {
        long active = 0;
        for (int idx = 0; idx < 2; idx++) {
            long unlocks = sum(UNLOCKS + idx);
            active += sum(LOCKS + idx) - unlocks;
        }
        return active;
    }

    private long sum(int offset) {
        long total = 0;
        for (int i = STRIDE + offset; i < counts.length - STRIDE; i += STRIDE) {
            // Volatile read: a synchronization action, ordered as readersGone() explains.
            total += (long) COUNTS.getVolatile(counts, i);
        }
        return total;
    }
}
