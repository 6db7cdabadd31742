package io.srcu4j.internal.ffm;

import io.srcu4j.Srcu4jException;
import io.srcu4j.bindings.s4j_srcu_counters;
import io.srcu4j.bindings.srcu4j_h;
import io.srcu4j.internal.path.PathKind;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;

/**
 * Java read sections that count themselves in the native domain's memory, with no downcall: the
 * external-reader protocol of {@code srcu4j.h} ({@code s4j_srcu_counters_claim}), so C readers and
 * Java readers share one domain and every grace period sums both.
 *
 * <p>Counters:
 * <ul>
 *   <li>each platform thread claims a set of its own (a {@link ThreadLocal}, claimed on first use
 *       and released by a {@link Cleaner} once the thread is gone); only that thread writes it, so
 *       an increment is a load and an opaque store;</li>
 *   <li>virtual threads share a few sets, claimed with the domain, and add to them atomically:
 *       a virtual thread is often too short-lived to pay for a set of its own, and sets are
 *       summed by every grace period.</li>
 * </ul>
 * A section may end in another thread than it began in: the unlock counts on the ending thread's
 * counters, and the sums still balance.
 *
 * <p>Ordering (letters of {@code native/src/srcu.c}):
 * <ul>
 *   <li>[B] {@link VarHandle#fullFence()} after an own-set lock increment: with the grace
 *       period's [A]/[F] it forms store buffering, so either the updater's sum sees the increment
 *       or the section sees every store the updater made before [A]/[F]. A shared-set
 *       increment is a volatile {@code getAndAdd}, a full fence itself.</li>
 *   <li>[C] a release store of an own-set unlock increment: the section's loads and stores come
 *       before it, so an updater whose sum counts it (and then executes [A]) may free what the
 *       section read. A shared-set unlock is a volatile {@code getAndAdd}.</li>
 * </ul>
 * Java readers use these fences on every flavor of domain: a fast domain's [X] (membarrier) only
 * adds to them.
 */
final class DirectReadSide implements ReadSide {

    private static final VarHandle COUNT = ValueLayout.JAVA_LONG.varHandle();
    private static final long LOCK_OFFSET = s4j_srcu_counters.lock_count$offset();
    private static final long UNLOCK_OFFSET = s4j_srcu_counters.unlock_count$offset();
    private static final long SET_SIZE = s4j_srcu_counters.sizeof();
    private static final int MAX_SHARED_SETS = 64;
    private static final Cleaner CLEANER = Cleaner.create(task -> {
        Thread t = new Thread(task, "srcu4j-counter-release");
        t.setDaemon(true);
        return t;
    });

    private final MemorySegment ssp;
    private final MemorySegment idxWord;
    private final MemorySegment[] shared;
    private final int sharedMask;
    private final ThreadLocal<OwnSet> own;
    private final Releases releases;

    /** A platform thread's own counters; {@code set} is null when claiming failed (then it
     *  counts on the shared sets). */
    private record OwnSet(MemorySegment set) {
    }

    /**
     * Gives sets back once their threads are gone, until the domain is retired. Kept apart from
     * the read side so that a pending release does not keep the read side, and with it the
     * thread-local map entries of a dropped domain, reachable.
     */
    private static final class Releases {
        private final MemorySegment ssp;
        private boolean retired;

        Releases(MemorySegment ssp) {
            this.ssp = ssp;
        }

        synchronized void release(MemorySegment set) {
            if (!retired) {
                srcu4j_h.s4j_srcu_counters_release(ssp, set);
            }
        }

        synchronized void retire() {
            retired = true;
        }
    }

    DirectReadSide(MemorySegment ssp, int possibleCpus) {
        this.ssp = ssp;
        this.releases = new Releases(ssp);
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
        this.own = ThreadLocal.withInitial(this::claimOwn);
    }

    @Override
    public int lock() {
        // Opaque: a fresh load every time, never hoisted out of a caller's loop (READ_ONCE in C).
        int idx = (int) ((long) COUNT.getOpaque(idxWord, 0L) & 1);
        long offset = LOCK_OFFSET + (long) idx * Long.BYTES;
        MemorySegment set = ownSet();
        if (set != null) {
            long count = (long) COUNT.get(set, offset);
            COUNT.setOpaque(set, offset, count + 1);
            // [B] the lock increment before the section's accesses; pairs with [A] and [F].
            VarHandle.fullFence();
        } else {
            // [B] a volatile read-modify-write: a full fence on its own; pairs with [A] and [F].
            COUNT.getAndAdd(sharedSet(), offset, 1L);
        }
        return idx;
    }

    @Override
    public void unlock(int idx) {
        long offset = UNLOCK_OFFSET + (long) (idx & 1) * Long.BYTES;
        MemorySegment set = ownSet();
        if (set != null) {
            long count = (long) COUNT.get(set, offset);
            // [C] release: the section's accesses before the unlock increment; pairs with [A].
            COUNT.setRelease(set, offset, count + 1);
        } else {
            // [C] a volatile read-modify-write orders the section before it; pairs with [A].
            COUNT.getAndAdd(sharedSet(), offset, 1L);
        }
    }

    @Override
    public String pathName() {
        return PathKind.NATIVE_DIRECT.propertyName();
    }

    @Override
    public Runnable retirement() {
        return releases::retire;
    }

    /** This platform thread's set, or null for a virtual thread (or a failed claim). */
    private MemorySegment ownSet() {
        return Thread.currentThread().isVirtual() ? null : own.get().set();
    }

    private MemorySegment sharedSet() {
        return shared[(int) Thread.currentThread().threadId() & sharedMask];
    }

    private OwnSet claimOwn() {
        MemorySegment set = claim();
        OwnSet holder = new OwnSet(set);
        if (set != null) {
            // Once the thread is gone its thread-local map, and the holder, become unreachable:
            // nobody writes the set any more, and it may go to another thread. The domain's
            // releaser retires `releases` before the domain can be freed.
            Releases r = releases;
            CLEANER.register(holder, () -> r.release(set));
        }
        return holder;
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
