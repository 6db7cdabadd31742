package io.srcu4j.internal.ffm;

import io.srcu4j.Srcu4jException;
import io.srcu4j.bindings.s4j_srcu_counters;
import io.srcu4j.bindings.srcu4j_h;
import io.srcu4j.internal.path.PathKind;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;

/**
 * Java read sections that count themselves in the native domain's memory, with no downcall: the
 * external-reader protocol of {@code srcu4j.h} ({@code s4j_srcu_counters_claim}), so C readers and
 * Java readers share one domain and every grace period sums both.
 *
 * <p>Counters:
 * <ul>
 *   <li>a platform thread owns the set of its <em>home slot</em>, {@code threadId & (SLOTS - 1)},
 *       from its first read section until it is gone (a {@link Cleaner} on the {@code Thread}
 *       frees the slot; the set stays with the slot, and its next owner goes on from its counts).
 *       Only the owner writes an owned set, so an increment is a load and an opaque store. The
 *       lookup is a load of {@code owners[home]} and a compare: no {@link ThreadLocal};</li>
 *   <li>virtual threads, and platform threads whose home slot another live thread owns, add
 *       atomically to a few shared sets: a virtual thread is often too short-lived to pay for a
 *       set of its own.</li>
 * </ul>
 * The index {@link #lock} returns carries the set it counted on (bits 1 and up: home slot + 1, or
 * 0 for a shared set), so an unlock by the same thread finds its set without a lookup. A section
 * may end in another thread: that thread, not owning the slot, adds atomically to a shared set,
 * and the sums still balance.
 *
 * <p>Ordering (letters of {@code native/src/srcu.c}):
 * <ul>
 *   <li>[B] {@link VarHandle#fullFence()} after an owned-set lock increment: with the grace
 *       period's [A]/[F] it forms store buffering, so either the updater's sum sees the increment
 *       or the section sees every store the updater made before [A]/[F]. A shared-set
 *       increment is a volatile {@code getAndAdd}, a full fence itself.</li>
 *   <li>[C] a release store of an owned-set unlock increment: the section's loads and stores come
 *       before it, so an updater whose sum counts it (and then executes [A]) may free what the
 *       section read. A shared-set unlock is a volatile {@code getAndAdd}.</li>
 * </ul>
 * Java readers use these fences on every flavor of domain: a fast domain's [X] (membarrier) only
 * adds to them.
 */
final class DirectReadSide implements ReadSide {

    private static final VarHandle COUNT = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle OWNER = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle SET = MethodHandles.arrayElementVarHandle(MemorySegment[].class);
    private static final long LOCK_OFFSET = s4j_srcu_counters.lock_count$offset();
    private static final long UNLOCK_OFFSET = s4j_srcu_counters.unlock_count$offset();
    private static final long SET_SIZE = s4j_srcu_counters.sizeof();
    /** Home slots per domain; a power of two. */
    static final int SLOTS = 256;
    private static final int MAX_SHARED_SETS = 64;
    private static final long FREE = 0;
    /** Per slot in {@link #track}: the set's lock and unlock sums when the owner claimed it, and
     *  the exits made elsewhere ((generation &lt;&lt; 32) | count); one cache line per slot. */
    private static final int TRACK_STRIDE = 8;
    private static final int BASE_LOCKS = 0;
    private static final int BASE_UNLOCKS = 1;
    private static final int ELSEWHERE = 2;
    /** Bits of the slot generation an index carries (bits 10 and up). */
    private static final int GEN_SHIFT = 10;
    private static final int GEN_MASK = (1 << 21) - 1;
    private static final VarHandle TRACK = MethodHandles.arrayElementVarHandle(long[].class);
    private static final Cleaner CLEANER = Cleaner.create(task -> {
        Thread t = new Thread(task, "srcu4j-slot-release");
        t.setDaemon(true);
        return t;
    });

    private final MemorySegment ssp;
    private final MemorySegment idxWord;
    /** owners[i]: the threadId of slot i's owner, or FREE. Thread ids are positive. */
    private final long[] owners = new long[SLOTS];
    /** sets[i]: slot i's counters, claimed with its first owner and kept for the slot's life. */
    private final MemorySegment[] sets = new MemorySegment[SLOTS];
    private final MemorySegment[] shared;
    private final int sharedMask;
    /** Section tracking of home-slot owners, for {@link #insideOwnSection()}. */
    private final long[] track = new long[SLOTS * TRACK_STRIDE];

    DirectReadSide(MemorySegment ssp, int possibleCpus) {
        this.ssp = ssp;
        this.idxWord = srcu4j_h.s4j_srcu_idx_word(ssp).reinterpret(Long.BYTES);
        int n = Integer.highestOneBit(Math.clamp(possibleCpus, 1, MAX_SHARED_SETS));
        this.shared = new MemorySegment[n];
        for (int i = 0; i < n; i++) {
            shared[i] = claim();
            if (shared[i] == null) {
                throw new Srcu4jException("s4j_srcu_counters_claim", 12, "claiming the virtual threads' counters");
            }
        }
        this.sharedMask = n - 1;
    }

    @Override
    public int lock() {
        // Opaque: a fresh load every time, never hoisted out of a caller's loop (READ_ONCE in C).
        int idx = (int) ((long) COUNT.getOpaque(idxWord, 0L) & 1);
        long offset = LOCK_OFFSET + (long) idx * Long.BYTES;
        Thread thread = Thread.currentThread();
        long id = thread.threadId();
        int home = (int) id & (SLOTS - 1);
        // Only this thread ever writes its own id into owners[home]: seeing it means we own it.
        if (owners[home] == id) {
            MemorySegment set = sets[home];
            COUNT.setOpaque(set, offset, (long) COUNT.get(set, offset) + 1);
            // [B] the lock increment before the section's accesses; pairs with [A] and [F].
            VarHandle.fullFence();
            int gen = (int) (track[home * TRACK_STRIDE + ELSEWHERE] >>> 32) & GEN_MASK;
            return idx | (home + 1) << 1 | gen << GEN_SHIFT;
        }
        if (!thread.isVirtual() && claimHome(thread, id, home)) {
            return lock();
        }
        return lockShared(idx, id);
    }

    /** On a shared set, so that the section is no home slot's: untracked. */
    @Override
    public int lockUntracked() {
        int idx = (int) ((long) COUNT.getOpaque(idxWord, 0L) & 1);
        return lockShared(idx, Thread.currentThread().threadId());
    }

    private int lockShared(int idx, long id) {
        long offset = LOCK_OFFSET + (long) idx * Long.BYTES;
        // [B] a volatile read-modify-write: a full fence on its own; pairs with [A] and [F].
        COUNT.getAndAdd(shared[(int) id & sharedMask], offset, 1L);
        return idx;
    }

    @Override
    public void unlock(int token) {
        long offset = UNLOCK_OFFSET + (long) (token & 1) * Long.BYTES;
        int home = ((token >>> 1) & (2 * SLOTS - 1)) - 1;
        long id = Thread.currentThread().threadId();
        if (home >= 0 && home < SLOTS && owners[home] == id) {
            MemorySegment set = sets[home];
            // [C] release: the section's accesses before the unlock increment; pairs with [A].
            COUNT.setRelease(set, offset, (long) COUNT.get(set, offset) + 1);
            return;
        }
        // [C] a volatile read-modify-write orders the section before it; pairs with [A].
        COUNT.getAndAdd(shared[(int) id & sharedMask], offset, 1L);
        if (home >= 0 && home < SLOTS) {
            countExitElsewhere(home, token >>> GEN_SHIFT);
        }
    }

    /** Sections counted on a home slot are tracked here; those on shared sets are not. */
    @Override
    public boolean tracksSection(int token) {
        return ((token >>> 1) & (2 * SLOTS - 1)) != 0;
    }

    /**
     * Whether the calling thread is inside a section it entered on its home slot and has not
     * left (here or elsewhere). Sections counted on shared sets (virtual threads, or a home slot
     * another live thread owns) are not tracked: false.
     */
    @Override
    public boolean insideOwnSection() {
        long id = Thread.currentThread().threadId();
        int home = (int) id & (SLOTS - 1);
        if (owners[home] != id) {
            return false;
        }
        int base = home * TRACK_STRIDE;
        MemorySegment set = sets[home];
        // Only this thread writes its set, so its own loads are exact.
        long locks = (long) COUNT.get(set, LOCK_OFFSET) + (long) COUNT.get(set, LOCK_OFFSET + Long.BYTES)
                - track[base + BASE_LOCKS];
        long unlocks = (long) COUNT.get(set, UNLOCK_OFFSET) + (long) COUNT.get(set, UNLOCK_OFFSET + Long.BYTES)
                - track[base + BASE_UNLOCKS];
        long elsewhere = (long) TRACK.getVolatile(track, base + ELSEWHERE) & 0xffff_ffffL;
        return locks - unlocks - elsewhere > 0;
    }

    /** Another thread ended a section of slot {@code home}: counted if the slot's owner is still
     *  the one that entered it (same generation). */
    private void countExitElsewhere(int home, int gen) {
        int at = home * TRACK_STRIDE + ELSEWHERE;
        long word = (long) TRACK.getVolatile(track, at);
        // Retries only when another exit was counted, or the slot changed owner, in between.
        while ((int) (word >>> 32 & GEN_MASK) == gen && !TRACK.compareAndSet(track, at, word, word + 1)) {
            word = (long) TRACK.getVolatile(track, at);
        }
    }

    @Override
    public String pathName() {
        return PathKind.NATIVE_DIRECT.propertyName();
    }

    /**
     * Makes the calling platform thread the owner of its home slot, when the slot is free; false
     * when another live thread owns it (or no set can be claimed): then it counts on shared sets.
     */
    private boolean claimHome(Thread thread, long id, int home) {
        if ((MemorySegment) SET.getAcquire(sets, home) == null) {
            synchronized (sets) {
                if (sets[home] == null) {
                    MemorySegment set = claim();
                    if (set == null) {
                        return false;
                    }
                    // Release: the set before any owner id that lets a thread use it.
                    SET.setRelease(sets, home, set);
                }
            }
        }
        if (!OWNER.compareAndSet(owners, home, FREE, id)) {
            return false;
        }
        // A new generation: exits of the previous owner's sections no longer count against ours.
        int base = home * TRACK_STRIDE;
        long gen = ((long) TRACK.getVolatile(track, base + ELSEWHERE) >>> 32) + 1;
        TRACK.setVolatile(track, base + ELSEWHERE, gen << 32);
        MemorySegment set = sets[home];
        track[base + BASE_LOCKS] = (long) COUNT.get(set, LOCK_OFFSET) + (long) COUNT.get(set, LOCK_OFFSET + Long.BYTES);
        track[base + BASE_UNLOCKS] = (long) COUNT.get(set, UNLOCK_OFFSET)
                + (long) COUNT.get(set, UNLOCK_OFFSET + Long.BYTES);
        // The slot is free again once the thread is unreachable, hence terminated: nobody writes
        // the set any more, and a later owner goes on from its counts. The action refers to the
        // owner table only, not to this read side.
        long[] table = owners;
        CLEANER.register(thread, () -> OWNER.compareAndSet(table, home, id, FREE));
        return true;
    }

    private MemorySegment claim() {
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment out = scratch.allocate(srcu4j_h.C_POINTER);
            if (srcu4j_h.s4j_srcu_counters_claim(ssp, out) != 0) {
                return null;
            }
            return out.get(srcu4j_h.C_POINTER, 0).reinterpret(SET_SIZE);
        }
    }
}
