// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.ffm;

import io.srcu4j.Srcu4jException;
import io.srcu4j.bindings.s4j_srcu_counters;
import io.srcu4j.bindings.srcu4j_h;
import io.srcu4j.internal.LockedAdd;
import io.srcu4j.internal.path.PathKind;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Java read sections that count themselves in the native domain's memory, with no downcall: the
 * external-reader protocol of {@code srcu4j.h} ({@code s4j_srcu_counters_claim}), so C readers and
 * Java readers share one domain and every grace period sums both.
 *
 * <p>Counters: one block of sets side by side ({@code s4j_srcu_counters_claim_block}), a home set
 * per slot and then the shared sets.
 * <ul>
 *   <li>a platform thread owns the set of its <em>home slot</em>, {@code threadId & (SLOTS - 1)},
 *       from its first read section until it is gone (one {@link Cleaner} action per thread, not
 *       per domain, frees its slot in every domain still alive; the set stays with the slot, and
 *       its next owner goes on from its counts).
 *       Only the owner writes an owned set, so its unlock increment is a load and a release
 *       store. The set's address is arithmetic on the block's (no load), and the lookup is a
 *       load of the home slot's owner word and a compare, which the locked add does not wait
 *       for as it would for its address: no {@link ThreadLocal}, no table of addresses;</li>
 *   <li>a virtual thread, often too short-lived to pay for a set of its own, claims its home
 *       slot only from its second section on (when the slot is free); until then, and for
 *       threads whose home slot another live thread owns, sections add atomically to shared
 *       sets, four per CPU.</li>
 * </ul>
 * The word {@link #lock} returns carries the address of the set it counted on, so the locker's
 * unlock ({@link #unlockInLocker}, once its guard has seen the same thread) needs no lookup and
 * no load but the counter's own. A section may end in another
 * thread: that thread, not owning the slot, adds atomically to a shared set, and the sums still
 * balance.
 *
 * <p>Ordering (letters of {@code native/src/srcu.c}):
 * <ul>
 *   <li>[B] every lock increment is a volatile {@code getAndAdd} and a full fence
 *       ({@link #lockIncrement}): with the grace period's [A]/[F] it forms store buffering, so
 *       either the updater's sum sees the increment or the section sees every store the updater
 *       made before [A]/[F], whatever the access mode of the section's loads. The Java memory
 *       model does not make a {@code getAndAdd} a full fence, and on aarch64 it is none (it may
 *       become {@code ldaddal}, whose acquire the architecture drops when the result goes to the
 *       zero register, or an {@code ldaxr}/{@code stlxr} loop: either lets a later load be
 *       satisfied before the add's store is visible), so there a {@link VarHandle#fullFence()}
 *       ({@code dmb ish}) follows. On x86 a locked add is a full fence by itself, about the cost
 *       of a bare {@code fullFence()}, and the test that adds the fence is folded away.</li>
 *   <li>[C] a release store of an owned-set unlock increment: the section's loads and stores come
 *       before it, so an updater whose sum counts it (and then executes [A]) may free what the
 *       section read. A shared-set unlock is a volatile {@code getAndAdd}.</li>
 *   <li>[U] (of {@code native/src/counters.c}) a set of the block is marked used, so that grace
 *       periods sum it, before any thread counts on it: the shared sets when the read side is
 *       made, a home set before its first owner claims it. The mark and the first lock
 *       increment both come before [B]'s fence, which orders them before the section's loads.</li>
 *   <li>[O] (this class) the hand-over of a home slot: the previous owner's writes to the set
 *       (and the exits elsewhere counted against it) come before the next owner's plain reads
 *       of it. Release side: each of those writes is followed, in its thread, by a
 *       {@link Reference#reachabilityFence} on the owner, which happens-before the Cleaner's
 *       action for the owner (java.lang.ref, "Memory Consistency Properties"); the action frees
 *       the slot with a volatile CAS. Acquire side: the next owner's claiming CAS reads that
 *       write, so everything before it happens-before the claim. No GC ordering is assumed
 *       beyond what that package specifies.</li>
 * </ul>
 * Java readers use these fences on every flavor of domain: a fast domain's [X] (membarrier) only
 * adds to them.
 */
public final class DirectReadSide implements ReadSide {

    private static final VarHandle COUNT = ValueLayout.JAVA_LONG.varHandle();
    /**
     * All of memory as one segment: counters are addressed by their raw address in it, so an
     * access costs one bounds compare against a constant instead of a per-segment bounds and
     * liveness check. Every address used comes from s4j_srcu_counters_claim_block or
     * s4j_srcu_idx_word and stays valid until the domain is freed, which happens only after this
     * read side (and the Srcu that holds it) is unreachable.
     */
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(int[].class);
    /** Bytes from one set of the block to the next; a constant once the class is initialised
     *  (by the first instance, so after the library loaded). */
    private static final long STRIDE = srcu4j_h.s4j_srcu_counters_stride();
    private static final long LOCK_OFFSET = s4j_srcu_counters.lock_count$offset();
    private static final long UNLOCK_OFFSET = s4j_srcu_counters.unlock_count$offset();
    /**
     * Whether a locked read-modify-write is a full fence by itself here ([B]): on x86 every
     * lock-prefixed instruction is one; elsewhere {@link #lockIncrement} adds a fence. A
     * constant, so the JIT folds the test away. Architecture names as the loader normalises
     * them (the library loaded is the one for this key).
     */
    static final boolean LOCKED_ADD_IS_FULL_FENCE = LockedAdd.IS_FULL_FENCE;
    /** Home slots per domain; a power of two. */
    static final int SLOTS = 256;
    private static final int MAX_SHARED_SETS = 64;
    private static final int FREE = 0;
    /**
     * The highest thread id an owner word can hold: owner words are ints, half the garbage of a
     * domain's create and close. Ids count up from 1 and are never reused; a thread whose id is
     * above this (after two billion threads) never claims a home slot and counts on shared sets,
     * and since an owner word is compared with the id widened, no id can match a word it did not
     * write.
     */
    private static final long MAX_OWNER_ID = Integer.MAX_VALUE;
    /** Per slot in {@link #track}: the set's lock and unlock sums when the owner claimed it, and
     *  the exits made elsewhere since; one cache line per slot. */
    private static final int TRACK_STRIDE = 8;
    private static final int BASE_LOCKS = 0;
    private static final int BASE_UNLOCKS = 1;
    private static final int ELSEWHERE = 2;
    /** The last virtual thread that found the slot free: it claims the slot on its next try. */
    private static final int CANDIDATE = 3;
    /** The owner word of every slot once the domain is closed: no thread id is 0, and it is
     *  not FREE, so nothing claims the slot either. */
    private static final int POISON = Integer.MIN_VALUE;
    /** Fibonacci hashing spreads thread ids over the shared sets. */
    private static final long GOLDEN = 0x9E37_79B9_7F4A_7C15L;
    /*
     * What lock() returns, the section word: bit 0, the counter index; bit 1, OWNED (counted on
     * the locker's home set); bits 3 to 47, the set's address (sets are 8-byte aligned and, in a
     * 48-bit address space, below 2^48). No owner: a section counted on a home set is held
     * by a guard (Srcu.read()), which keeps its locking thread reachable, so that thread owns
     * the slot until the section ends, wherever it ends. Nothing from the owner word goes into
     * it, so the unlock's address does not depend on that load.
     */
    private static final long OWNED = 2;
    private static final long ADDRESS_MASK = 0x0000_FFFF_FFFF_FFF8L;
    private static final VarHandle TRACK = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle TRACK_TABLE;

    static {
        try {
            TRACK_TABLE = MethodHandles.lookup().findVarHandle(DirectReadSide.class, "track", long[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    private static final Cleaner CLEANER = Cleaner.create(task -> {
        Thread t = new Thread(task, "srcu4j-slot-release");
        t.setDaemon(true);
        return t;
    });
    /**
     * Per live thread that has claimed a home slot, by thread id: its claims, registered with
     * {@link #CLEANER} at its first one and removed by that action. Not a ThreadLocal: some
     * threads have theirs erased between tasks (common-pool workers), and would register again.
     */
    private static final ConcurrentHashMap<Long, HomeSlots> HOME_SLOTS = new ConcurrentHashMap<>();

    /**
     * Tests only: runs in {@link #unlock} between an exit elsewhere's unlock increment and its
     * count against the home slot, the window in which the locker must not be collected. Not
     * final and null unless a test sets it, so only this slow path loads it.
     */
    static Consumer<DirectReadSide> beforeExitElsewhere;

    private final MemorySegment ssp;
    private final long idxWord;
    /** The block: home slot i's set at {@code homeSets + i * STRIDE}, shared set j at
     *  {@code homeSets + (SLOTS + j) * STRIDE}. */
    private final long homeSets;
    /**
     * Per home slot, its owner's thread id (at most MAX_OWNER_ID), or FREE (thread ids are positive, and never reused
     * within a JVM: a slot's word names one thread for good).
     */
    private final int[] owners = new int[SLOTS];
    /** 64 minus log2(shared sets): the hash's top bits choose the set. */
    private final int sharedShift;
    /**
     * Section tracking of home-slot owners, for {@link #insideOwnSection()}; 16 KiB, so made by
     * the first claim rather than with the domain (see {@link #track()}). Only slow paths use it.
     */
    private volatile long[] track;

    DirectReadSide(MemorySegment ssp, int possibleCpus) {
        this.ssp = ssp;
        this.idxWord = srcu4j_h.s4j_srcu_idx_word(ssp).address();
        // Four per CPU, as the heap path's stripes: threads that share a set seldom share a line.
        int n = Integer.highestOneBit(Math.clamp(4L * possibleCpus, 4, MAX_SHARED_SETS));
        this.homeSets = claimBlock(ssp, SLOTS + n);
        this.sharedShift = Long.SIZE - Integer.numberOfTrailingZeros(n);
        for (int j = 0; j < n; j++) {
            markUsed(setOf(homeSets, SLOTS + j));
        }
    }

    @Override
    public long lock() {
        return ownsHomeSlot(owners) ? lockOnHomeSet(homeSets, idxWord) : lockOffHome();
    }

    /**
     * {@link #lock()} once {@link #ownsHomeSlot} has found the home slot not the caller's: claims
     * it when it may (and then counts there), else counts on a shared set.
     */
    public long lockOffHome() {
        Thread thread = Thread.currentThread();
        long id = thread.threadId();
        int home = (int) id & (SLOTS - 1);
        // A slot another thread owns is not tried again on every section: the claim marks the
        // set used (a downcall) and costs a failing CAS. A plain read: a slot freed meanwhile is
        // only claimed a section later.
        if (owners[home] == FREE && mayClaim(thread, id, home) && claimHome(id, home)) {
            return lock();
        }
        return countLock(sharedSet(id), idxWord);
    }

    /*
     * The common case of lock(), in two static halves for callers that hold ownerTable(),
     * homeSets() and idxWord() themselves (io.srcu4j.Srcu.read()): no load of this object
     * stands before the locked add, whose address is the caller's field plus arithmetic, so it
     * waits for no further load (each one would cost about as much as the rest of the pair); the
     * owner test is a branch, predicted.
     */

    /**
     * Whether the calling thread owns its home slot (false once the domain is closed): then
     * {@link #lockOnHomeSet} may count its section.
     */
    public static boolean ownsHomeSlot(int[] ownerTable) {
        long id = Thread.currentThread().threadId();
        // Only this thread ever writes its own id into its home slot: seeing it means we own it.
        return ownerTable[(int) id & (SLOTS - 1)] == id;
    }

    /** Counts a section on the calling thread's home set, which it owns ({@link #ownsHomeSlot}). */
    public static long lockOnHomeSet(long homeSets, long idxWord) {
        Thread owner = Thread.currentThread();
        int home = (int) owner.threadId() & (SLOTS - 1);
        long section = countLock(setOf(homeSets, home), idxWord) | OWNED;
        // [O] release: the increment before the owner can be collected and its slot handed on.
        // Emits nothing (the owner is running, hence reachable); it orders in the memory model.
        // (litmus: O.cleaner, O.handover)
        Reference.reachabilityFence(owner);
        return section;
    }

    /** The owner table {@link #ownsHomeSlot} reads; only this class writes it. */
    public int[] ownerTable() {
        return owners;
    }

    /** The address of home slot 0's set, the block's first. */
    public long homeSets() {
        return homeSets;
    }

    /** The address of the domain's index word. */
    public long idxWord() {
        return idxWord;
    }

    /**
     * Whether to try to own the home slot, found free: a platform thread always; a virtual thread, often too
     * short-lived to pay for a set of its own, only when it is the last one to have found the
     * slot free (a plain, racy note: a lost note costs a later claim, nothing else).
     */
    private boolean mayClaim(Thread thread, long id, int home) {
        if (id > MAX_OWNER_ID) {
            return false;
        }
        if (!thread.isVirtual()) {
            return true;
        }
        int at = home * TRACK_STRIDE + CANDIDATE;
        long[] track = track();
        if (track[at] == id) {
            return true;
        }
        // The caller found the slot free.
        track[at] = id;
        return false;
    }

    private long sharedSet(long id) {
        return setOf(homeSets, SLOTS + (int) ((id * GOLDEN) >>> sharedShift));
    }

    /** On a shared set, so that the section is no home slot's: untracked. */
    @Override
    public long lockUntracked() {
        return countLock(sharedSet(Thread.currentThread().threadId()), idxWord);
    }

    /**
     * Makes every later {@link #lock()} miss its home slot, so that {@code io.srcu4j.Srcu} sees
     * the domain closed on its slow path: no read has to load a closed flag first.
     */
    @Override
    public void closed() {
        for (int home = 0; home < SLOTS; home++) {
            // A swap, so that a claim racing this one is overwritten or fails its own CAS. The
            // volatile write happens-before close() returns; a read() that happens-after that
            // therefore loads POISON in ownsHomeSlot (plain load) and takes the slow path.
            // (volatile: SC, no litmus)
            SLOT.getAndSet(owners, home, POISON);
        }
    }

    /**
     * Counts a lock on {@code set} in the current index's counter; returns the set's address with
     * the index in bit 0. The index chooses between two increments rather than feeding an
     * address: it changes only at grace periods, so the branch is predicted and the locked add
     * does not wait for the index load.
     */
    private static long countLock(long set, long idxWord) {
        // Opaque: a fresh load every time, never hoisted out of a caller's loop (READ_ONCE in C).
        if (((long) COUNT.getOpaque(ALL, idxWord) & 1) == 0) {
            lockIncrement(set + LOCK_OFFSET);
            return set;
        }
        lockIncrement(set + LOCK_OFFSET + Long.BYTES);
        return set | 1;
    }

    /**
     * The lock increment of the counter at address {@code counter}, a full fence on every
     * architecture ([B]; public for the stress test of that pair).
     */
    public static void lockIncrement(long counter) {
        // [B] a volatile read-modify-write, then (where it is not one by itself) a full fence:
        // the increment before every load and store of the section. Pairs with [A] and [F]
        // (store buffering), and orders [U]'s earlier mark of the set with it.
        // (litmus: A-B.sb.java, U-F.sb.java)
        COUNT.getAndAdd(ALL, counter, 1L);
        LockedAdd.fenceIfNeeded();
    }

    /** Whether {@code osArch} (an {@code os.arch} value) is x86, where a locked add is a full fence. */
    static boolean lockedAddIsFullFence(String osArch) {
        return LockedAdd.isFullFence(osArch);
    }

    /** Whether {@code section} was counted on the locker's home set (tracked, see below). */
    public static boolean countedOnHomeSet(long section) {
        return (section & OWNED) != 0;
    }

    /**
     * Leaves a section counted on a home set, in the thread that locked it (the caller has
     * checked both): that thread still owns the set, so a load and a release store are the
     * increment, at the address the section word carries.
     */
    public static void unlockInLocker(long section) {
        long counter = (section & ADDRESS_MASK) + UNLOCK_OFFSET + (section & 1) * Long.BYTES;
        // [C] release: the section's accesses before the unlock increment; pairs with [A].
        // (litmus: A-C.lb.java-stlr)
        COUNT.setRelease(ALL, counter, (long) COUNT.get(ALL, counter) + 1);
        // [O] release, as in lockOnHomeSet: this store before the next owner's load of it.
        // (litmus: O.cleaner, O.handover)
        Reference.reachabilityFence(Thread.currentThread());
    }

    @Override
    public void unlock(long section) {
        long set = section & ADDRESS_MASK;
        long offset = UNLOCK_OFFSET + (section & 1) * Long.BYTES;
        long id = Thread.currentThread().threadId();
        if (countedOnHomeSet(section)) {
            int home = (int) id & (SLOTS - 1);
            // The locker itself: this thread owns the set the section was counted on (and owned
            // it then: the guard kept it reachable).
            if (owners[home] == id && set == setOf(homeSets, home)) {
                unlockInLocker(section);
                return;
            }
        }
        // [C] a volatile read-modify-write orders the section before it; pairs with [A].
        // (litmus: A-C.lb.java-ldaddal)
        COUNT.getAndAdd(ALL, sharedSet(id) + offset, 1L);
        if (countedOnHomeSet(section)) {
            Consumer<DirectReadSide> hook = beforeExitElsewhere;
            if (hook != null) {
                hook.accept(this);
            }
            countExitElsewhere(section);
        }
    }

    /** Sections counted on a home slot are tracked here; those on shared sets are not. */
    @Override
    public boolean tracksSection(long section) {
        return countedOnHomeSet(section);
    }

    /**
     * Whether the calling thread is inside a section it entered on its home slot and has not
     * left (here or elsewhere).
     */
    /**
     * The tracking table, made by whichever slow path needs it first. The volatile read and the
     * compare-and-set publish the zeroed array; a thread that lost the race uses the winner's.
     */
    private long[] track() {
        long[] t = track;
        if (t == null) {
            t = new long[SLOTS * TRACK_STRIDE];
            if (!TRACK_TABLE.compareAndSet(this, null, t)) {
                t = track;
            }
        }
        return t;
    }

    @Override
    public boolean insideOwnSection() {
        long id = Thread.currentThread().threadId();
        int home = (int) id & (SLOTS - 1);
        if (owners[home] != id) {
            return false;
        }
        int base = home * TRACK_STRIDE;
        // Only this thread writes its set, so its own loads are exact.
        long set = setOf(homeSets, home);
        long[] track = track();
        long locks = sum(set + LOCK_OFFSET) - track[base + BASE_LOCKS];
        long unlocks = sum(set + UNLOCK_OFFSET) - track[base + BASE_UNLOCKS];
        long elsewhere = (long) TRACK.getVolatile(track, base + ELSEWHERE);
        return locks - unlocks - elsewhere > 0;
    }

    /** Both counter sets' values of one counter (lock or unlock) at {@code address}. */
    private static long sum(long address) {
        return (long) COUNT.getOpaque(ALL, address) + (long) COUNT.getOpaque(ALL, address + Long.BYTES);
    }

    /** Another thread ended a section counted on a home set: counted against the slot's owner,
     *  which is still the thread that entered it (its guard kept it reachable). */
    private void countExitElsewhere(long section) {
        // Atomic: exits elsewhere may race each other. Volatile: pairs with the owner's volatile
        // load in insideOwnSection(); an exit the owner does not see yet only makes it refuse a
        // wait that would have waited for that section (see SectionDepth).
        // (volatile: SC, no litmus)
        TRACK.getAndAdd(track(), homeSlotOf(section) * TRACK_STRIDE + ELSEWHERE, 1L);
    }

    /** The home slot whose set {@code section} was counted on, or -1 for a shared set. */
    int homeSlotOf(long section) {
        if (!countedOnHomeSet(section)) {
            return -1;
        }
        return (int) (((section & ADDRESS_MASK) - homeSets) / STRIDE);
    }

    @Override
    public String pathName() {
        return PathKind.NATIVE_DIRECT.propertyName();
    }

    /**
     * Makes the calling thread the owner of its home slot, when the slot is free; false when
     * another live thread owns it: then it counts on shared sets.
     */
    private boolean claimHome(long id, int home) {
        // [U] the mark before any owner's first lock increment (and its [B]): grace periods sum
        // the set from now on. Before the claim, so no owner ever counts on a set that is not
        // summed; a claim that then fails leaves a set summed for nothing. Marking again (a later
        // owner of the slot) changes nothing, and claims are rare: no note of it here.
        // (litmus: U-F.sb.java)
        markUsed(setOf(homeSets, home));
        // [O] acquire: a volatile CAS that reads the FREE the previous owner's Cleaner action
        // wrote, so that owner's writes to the set, and the exits elsewhere counted against it,
        // happen-before the loads below and every later plain load of the set here.
        // (litmus: O.cleaner, O.handover)
        if (!SLOT.compareAndSet(owners, home, FREE, (int) id)) {
            return false;
        }
        // The previous owner's sections all ended before its slot was freed (its guards kept it
        // reachable): their exits elsewhere are in the sums, and none counts against ours.
        int base = home * TRACK_STRIDE;
        long[] track = track();
        TRACK.setVolatile(track, base + ELSEWHERE, 0L);
        long set = setOf(homeSets, home);
        track[base + BASE_LOCKS] = sum(set + LOCK_OFFSET);
        track[base + BASE_UNLOCKS] = sum(set + UNLOCK_OFFSET);
        // The slot is free again once the thread is unreachable, hence terminated: nobody writes
        // the set any more, and a later owner goes on from its counts.
        HOME_SLOTS.computeIfAbsent(id, key -> HomeSlots.register(Thread.currentThread())).add(owners);
        return true;
    }

    /**
     * The owner tables of the domains in which one thread claimed its home slot, held weakly,
     * and the {@link Cleaner} action that frees the slot in those still alive once the thread
     * is unreachable. One per thread, registered at its first claim: a thread that reads many
     * domains in turn holds one registration and a list pruned of the domains closed or
     * collected since, instead of a registration that keeps each domain's table alive.
     */
    private static final class HomeSlots implements Runnable {
        /** Below this many tables the list is never pruned. */
        private static final int MIN_PRUNE = 16;

        private final long id;
        private final int home;
        /** Guarded by this: the owner adds and prunes, the Cleaner's thread reads. */
        private final List<WeakReference<int[]>> tables = new ArrayList<>();
        private int pruneAt = MIN_PRUNE;

        private HomeSlots(long id) {
            this.id = id;
            this.home = (int) id & (SLOTS - 1);
        }

        /** {@code thread}'s, registered with the Cleaner; refers to no thread or domain. */
        static HomeSlots register(Thread thread) {
            HomeSlots slots = new HomeSlots(thread.threadId());
            CLEANER.register(thread, slots);
            return slots;
        }

        /** The owner claimed its home slot in {@code table}. */
        synchronized void add(int[] table) {
            if (tables.size() >= pruneAt) {
                // A table whose slot is no longer the owner's (the domain closed: POISON) or
                // that is gone needs no freeing. Doubling keeps the pruning amortised O(1).
                tables.removeIf(ref -> {
                    int[] t = ref.get();
                    return t == null || (int) SLOT.getVolatile(t, home) != id;
                });
                pruneAt = Math.max(MIN_PRUNE, 2 * tables.size());
            }
            tables.add(new WeakReference<>(table));
        }

        /** The owner is unreachable, hence terminated: frees its slot where it still holds it. */
        @Override
        public synchronized void run() {
            HOME_SLOTS.remove(id, this);
            for (WeakReference<int[]> ref : tables) {
                int[] table = ref.get();
                if (table != null) {
                    // [O] release: a volatile write after everything that happens-before this
                    // action (see the class comment); the next owner's claiming CAS reads it.
                    // (litmus: O.cleaner, O.handover)
                    SLOT.compareAndSet(table, home, (int) id, FREE);
                }
            }
        }
    }

    /** The address of set {@code i} of the block at {@code block}: arithmetic, no load. */
    private static long setOf(long block, int i) {
        return block + i * STRIDE;
    }

    /** Makes grace periods sum the block's set at {@code set} from now on. */
    private void markUsed(long set) {
        int rc = srcu4j_h.s4j_srcu_counters_use(ssp, MemorySegment.ofAddress(set));
        if (rc != 0) {
            throw new Srcu4jException("s4j_srcu_counters_use", -rc, "marking a reader's counters used");
        }
    }

    /** The address of a new block of {@code count} sets; they stay valid until the domain is
     *  freed. */
    private static long claimBlock(MemorySegment ssp, int count) {
        return PointerScratch.with(out -> {
            int rc = srcu4j_h.s4j_srcu_counters_claim_block(ssp, count, out);
            if (rc != 0) {
                throw new Srcu4jException("s4j_srcu_counters_claim_block", -rc, "claiming the Java readers' counters");
            }
            long block = out.get(srcu4j_h.C_POINTER, 0).address();
            // Every set's address fits a section word (in a 48-bit address space they all do).
            if (((block + count * STRIDE) & ~ADDRESS_MASK) != 0) {
                throw new Srcu4jException("s4j_srcu_counters_claim_block", 22, "a counter block above 2^48");
            }
            return block;
        });
    }
}
