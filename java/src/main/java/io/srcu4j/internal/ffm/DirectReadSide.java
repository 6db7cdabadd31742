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
 *       Only the owner writes an owned set, so its unlock increment is a load and a release
 *       store. The lookup is a load of the home slot's owner word and a compare: no
 *       {@link ThreadLocal};</li>
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
 *   <li>[B] every lock increment is a volatile {@code getAndAdd}, a full fence itself (one
 *       locked add on x86, about the cost of a bare {@link VarHandle#fullFence()}, where a store
 *       followed by a fence costs more): with the grace period's [A]/[F] it forms store
 *       buffering, so either the updater's sum sees the increment or the section sees every
 *       store the updater made before [A]/[F].</li>
 *   <li>[C] a release store of an owned-set unlock increment: the section's loads and stores come
 *       before it, so an updater whose sum counts it (and then executes [A]) may free what the
 *       section read. A shared-set unlock is a volatile {@code getAndAdd}.</li>
 * </ul>
 * Java readers use these fences on every flavor of domain: a fast domain's [X] (membarrier) only
 * adds to them.
 */
final class DirectReadSide implements ReadSide {

    private static final VarHandle COUNT = ValueLayout.JAVA_LONG.varHandle();
    /**
     * All of memory as one segment: counters are addressed by their raw address in it, so an
     * access costs one bounds compare against a constant instead of a per-segment bounds and
     * liveness check. Every address used comes from s4j_srcu_counters_claim or s4j_srcu_idx_word
     * and stays valid until the domain is freed, which happens only after this read side (and
     * the Srcu that holds it) is unreachable.
     */
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long LOCK_OFFSET = s4j_srcu_counters.lock_count$offset();
    private static final long UNLOCK_OFFSET = s4j_srcu_counters.unlock_count$offset();
    /** Home slots per domain; a power of two. */
    static final int SLOTS = 256;
    private static final int MAX_SHARED_SETS = 64;
    private static final long FREE = 0;
    private static final int ID_BITS = 42;
    private static final long ID_MASK = (1L << ID_BITS) - 1;
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
    private final long idxWord;
    /**
     * Per home slot i, side by side so that one bounds check and one cache line serve a lookup:
     * slots[2i], the owner, (generation &lt;&lt; ID_BITS) | threadId, or FREE (thread ids are positive
     * and below 2^ID_BITS; the generation counts the slot's owners); slots[2i + 1], the address
     * of the slot's counters, claimed with its first owner and kept for the slot's life (0 until
     * then).
     */
    private final long[] slots = new long[2 * SLOTS];
    /** Addresses of the shared sets. */
    private final long[] shared;
    private final int sharedMask;
    /** Section tracking of home-slot owners, for {@link #insideOwnSection()}. */
    private final long[] track = new long[SLOTS * TRACK_STRIDE];

    DirectReadSide(MemorySegment ssp, int possibleCpus) {
        this.ssp = ssp;
        this.idxWord = srcu4j_h.s4j_srcu_idx_word(ssp).address();
        int n = Integer.highestOneBit(Math.clamp(possibleCpus, 1, MAX_SHARED_SETS));
        this.shared = new long[n];
        for (int i = 0; i < n; i++) {
            shared[i] = claim();
            if (shared[i] == 0) {
                throw new Srcu4jException("s4j_srcu_counters_claim", 12, "claiming the virtual threads' counters");
            }
        }
        this.sharedMask = n - 1;
    }

    @Override
    public int lock() {
        // Opaque: a fresh load every time, never hoisted out of a caller's loop (READ_ONCE in C).
        int idx = (int) ((long) COUNT.getOpaque(ALL, idxWord) & 1);
        long offset = LOCK_OFFSET + (long) idx * Long.BYTES;
        Thread thread = Thread.currentThread();
        long id = thread.threadId();
        int home = (int) id & (SLOTS - 1);
        // Only this thread ever writes its own id into its home slot: seeing it means we own it.
        long owner = slots[2 * home];
        if ((owner & ID_MASK) == id) {
            // [B] the lock increment as a volatile read-modify-write, a full fence itself (one
            // locked add: cheaper than a store followed by a fence); pairs with [A] and [F].
            COUNT.getAndAdd(ALL, slots[2 * home + 1] + offset, 1L);
            int gen = (int) (owner >>> ID_BITS) & GEN_MASK;
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
        int idx = (int) ((long) COUNT.getOpaque(ALL, idxWord) & 1);
        return lockShared(idx, Thread.currentThread().threadId());
    }

    private int lockShared(int idx, long id) {
        // [B] a volatile read-modify-write: a full fence on its own; pairs with [A] and [F].
        COUNT.getAndAdd(ALL, shared[(int) id & sharedMask] + LOCK_OFFSET + (long) idx * Long.BYTES, 1L);
        return idx;
    }

    @Override
    public void unlock(int token) {
        long offset = UNLOCK_OFFSET + (long) (token & 1) * Long.BYTES;
        int home = ((token >>> 1) & (2 * SLOTS - 1)) - 1;
        long id = Thread.currentThread().threadId();
        if (home >= 0 && (slots[2 * home] & ID_MASK) == id) {
            long counter = slots[2 * home + 1] + offset;
            // [C] release: the section's accesses before the unlock increment; pairs with [A].
            // Only the owner adds to its set, so a load and a store are the increment.
            COUNT.setRelease(ALL, counter, (long) COUNT.get(ALL, counter) + 1);
            return;
        }
        // [C] a volatile read-modify-write orders the section before it; pairs with [A].
        COUNT.getAndAdd(ALL, shared[(int) id & sharedMask] + offset, 1L);
        if (home >= 0) {
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
     * left (here or elsewhere).
     */
    @Override
    public boolean insideOwnSection() {
        long id = Thread.currentThread().threadId();
        int home = (int) id & (SLOTS - 1);
        if ((slots[2 * home] & ID_MASK) != id) {
            return false;
        }
        int base = home * TRACK_STRIDE;
        // Only this thread writes its set, so its own loads are exact.
        long set = slots[2 * home + 1];
        long locks = sum(set + LOCK_OFFSET) - track[base + BASE_LOCKS];
        long unlocks = sum(set + UNLOCK_OFFSET) - track[base + BASE_UNLOCKS];
        long elsewhere = (long) TRACK.getVolatile(track, base + ELSEWHERE) & 0xffff_ffffL;
        return locks - unlocks - elsewhere > 0;
    }

    /** Both counter sets' values of one counter (lock or unlock) at {@code address}. */
    private static long sum(long address) {
        return (long) COUNT.getOpaque(ALL, address) + (long) COUNT.getOpaque(ALL, address + Long.BYTES);
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
        if ((long) SLOT.getAcquire(slots, 2 * home + 1) == 0) {
            synchronized (slots) {
                if (slots[2 * home + 1] == 0) {
                    long set = claim();
                    if (set == 0) {
                        return false;
                    }
                    // Release: the set before any owner id that lets a thread use it.
                    SLOT.setRelease(slots, 2 * home + 1, set);
                }
            }
        }
        if (id > ID_MASK) {
            return false;   // an id this large cannot be packed with a generation: shared sets
        }
        // A new generation: exits of the previous owner's sections no longer count against ours.
        int base = home * TRACK_STRIDE;
        long gen = (((long) TRACK.getVolatile(track, base + ELSEWHERE) >>> 32) + 1) & GEN_MASK;
        long owner = gen << ID_BITS | id;
        if (!SLOT.compareAndSet(slots, 2 * home, FREE, owner)) {
            return false;
        }
        TRACK.setVolatile(track, base + ELSEWHERE, gen << 32);
        track[base + BASE_LOCKS] = sum(slots[2 * home + 1] + LOCK_OFFSET);
        track[base + BASE_UNLOCKS] = sum(slots[2 * home + 1] + UNLOCK_OFFSET);
        // The slot is free again once the thread is unreachable, hence terminated: nobody writes
        // the set any more, and a later owner goes on from its counts. The action refers to the
        // owner table only, not to this read side.
        long[] table = slots;
        CLEANER.register(thread, () -> SLOT.compareAndSet(table, 2 * home, owner, FREE));
        return true;
    }

    /** A new set's address, or 0 when the library has no memory for one. */
    private long claim() {
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment out = scratch.allocate(srcu4j_h.C_POINTER);
            if (srcu4j_h.s4j_srcu_counters_claim(ssp, out) != 0) {
                return 0;
            }
            return out.get(srcu4j_h.C_POINTER, 0).address();
        }
    }
}
