// SPDX-License-Identifier: Apache-2.0
/*
 * SRCU domains: per-CPU read counters and grace periods, after the kernel's Tree SRCU.
 *
 * Readers increment lock_count[idx] of their CPU on entry and unlock_count[idx] on exit, idx
 * being bit 0 of srcu_idx when they entered. Counts are summed over CPUs, so a read section may
 * end on another CPU or thread. A grace period waits until the set that is not current has no
 * readers (sum of unlocks == sum of locks), flips srcu_idx, and waits the same way on the set
 * that was current. New readers use the new set, so the wait ends.
 *
 * Barrier pairs (the letters match the kernel's srcutree.c where the role is the same, and
 * recur in the Java layer and in the tests that check each pair):
 *   [A] updater, between summing unlocks and summing locks   pairs with [B] and [C]
 *   [B] reader, after the lock increment                      pairs with [A] (store buffering)
 *   [C] reader, before the unlock increment                   pairs with [A] and [E]
 *   [D] updater, after the flip of srcu_idx                   pairs with [B]
 *   [E] updater, before the flip of srcu_idx (loads only)     pairs with [B] and [C]
 *   [F] updater, on entry to synchronize                      pairs with [B]
 *   [G] updater, on return from synchronize / poll_state      pairs with [C]
 *       (loads only)
 * [E] and [G] order the updater's earlier loads (the sums, gp_seq) before its later accesses, the
 * load-buffering half of their pairs, so they are acquire fences (s4j_smp_load_fence(): nothing
 * on x86-64, dmb ishld on arm64); the others are full barriers.
 * Fast flavor (the kernel's srcu_read_lock_fast): the readers' [Y] and [Z] are compiler barriers
 * in place of [B] and [C]; the updater's [X], membarrier(PRIVATE_EXPEDITED), takes the place of
 * [A] and makes every CPU running a reader execute a full barrier, promoting [Y]/[Z] to [B]/[C]
 * at that instant. [D], [E], [F], [G] stay as they are: their partners are [X]'s effect.
 *   [V] fast reader, after [Y]: acquire load of fast_active[idx], the mark of the set it
 *       counted on; when clear, sets it and executes a full barrier. Pairs with [A] (a local
 *       barrier) before the updater's load of the mark, and with the [X] that follows each
 *       clear of it. A scan of a set skips [X] (and uses [A]) while that set's mark is clear and
 *       the last [X] found none of its readers inside: readers_gone() argues it.
 *   [L] updater, after [X]: the registered threads' count words of fast readers with a row of
 *       their own (track.h), summed with the lock counts under the registry's mutex. A fast
 *       lock adds one to its thread's word, its unlock subtracts one (a release, [Z]), so the
 *       word is read once, after [X]: [X] pairs with [Y] as for a lock count, and the release
 *       orders the section before a zero the scan may read. A section ended in another thread
 *       counts its unlock in track_handoffs after a full barrier, summed with the unlocks, so a
 *       scan that sums that unlock before [X] finds the entering thread's word after it. Scans
 *       without [X] (readers_gone()'s quiet case) read neither. (litmus: L.free, L.handoff)
 * Letters of the other files, for the same table:
 *   [H] release of a single-claimed counter set   pairs with the next claim's acquire (counters.c)
 *   [N] [U] a new counter chunk, a block's set marked used (counters.c)
 *   [Q] [R] [W] [P] the wait-free queue and its parking protocol (wfqueue.h, pool.c)
 *   [I] [K] [T] a domain handed back to the pool when idle, barrier and close markers, the
 *       pool letting a closed domain go (callbacks.c)
 *
 * Grace periods are a state machine (gp_step()) whose steps never wait: s4j_srcu_advance() and
 * the pool's workers make one when the lock is free, synchronize makes them with waits in
 * between.
 *
 * Flavors and counters: classic domains count with s4j_percpu_try_inc() (rseq; the slow path
 * registers, or counts atomically without rseq); signal-safe domains only with
 * s4j_percpu_inc_atomic(); fast domains on their threads' words ([L]), and per CPU as classic
 * ones do where a domain shares the sink or a section is not tracked (track.h). An unlock of
 * another flavor than the domain's goes to the slow path, which counts the domain's way.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>

#include "srcu4j/srcu4j.h"
#include "srcu4j/static/arch.h"
#include "membarrier.h"
#include "srcu4j/static/percpu.h"
#include "srcu_internal.h"
#include "glibc_versions.h"

static char *lock_base(struct s4j_srcu *ssp, uint32_t idx)
{
    return s4j_static_lock_base(&ssp->r, idx);
}

static char *unlock_base(struct s4j_srcu *ssp, uint32_t idx)
{
    return s4j_static_unlock_base(&ssp->r, idx);
}

S4J_EXPORT int32_t s4j_srcu_create(int32_t flavor, struct s4j_srcu **out)
{
    int32_t result = S4J_CREATED;

    if (!out || flavor < S4J_FLAVOR_CLASSIC || flavor > S4J_FLAVOR_SIGNAL_SAFE)
        return -EINVAL;
    const struct s4j_platform *p = s4j_platform_init();
    if (flavor == S4J_FLAVOR_FAST && s4j_membarrier_register() != 0) {
        flavor = S4J_FLAVOR_CLASSIC;
        result = S4J_CREATED_AS_CLASSIC;
    }
    struct s4j_srcu *ssp = aligned_alloc(S4J_CACHE_LINE, sizeof(*ssp));
    size_t percpu_size = (size_t)(p->possible_cpus + 1) * sizeof(struct s4j_srcu_percpu);
    struct s4j_srcu_percpu *percpu = aligned_alloc(S4J_CACHE_LINE, percpu_size);

    if (!ssp || !percpu) {
        free(ssp);
        free(percpu);
        return -ENOMEM;
    }
    memset(ssp, 0, sizeof(*ssp));
    memset(percpu, 0, percpu_size);
    ssp->r.percpu = percpu;
    ssp->r.ncpus = p->possible_cpus;
    ssp->r.flavor = flavor;
    ssp->r.rseq_offset = p->rseq_offset;
    /* No reader has entered: nothing a first scan must issue [X] for, in either set. */
    ssp->fast_quiet[0] = ssp->fast_quiet[1] = 1;
    if (flavor != S4J_FLAVOR_SIGNAL_SAFE)
        ssp->r.rseq_bound[flavor] = p->possible_cpus;
    if (s4j_callbacks_init(ssp, p->possible_cpus) != 0) {
        free(ssp);
        free(percpu);
        return -ENOMEM;
    }
    s4j_track_attach(ssp);
    pthread_mutex_init(&ssp->gp_mutex, NULL);
    *out = ssp;
    return result;
}

S4J_EXPORT int32_t s4j_srcu_flavor(struct s4j_srcu *ssp)
{
    return ssp->r.flavor;
}

S4J_EXPORT int32_t s4j_srcu_read_lock(struct s4j_srcu *ssp)
{
    return s4j_static_read_lock(ssp, S4J_FLAVOR_CLASSIC);
}

S4J_EXPORT void s4j_srcu_read_unlock(struct s4j_srcu *ssp, int32_t idx)
{
    s4j_static_read_unlock(ssp, S4J_FLAVOR_CLASSIC, idx);
}

S4J_EXPORT int32_t s4j_srcu_read_lock_fast(struct s4j_srcu *ssp)
{
    return s4j_static_read_lock(ssp, S4J_FLAVOR_FAST);
}

S4J_EXPORT void s4j_srcu_read_unlock_fast(struct s4j_srcu *ssp, int32_t idx)
{
    s4j_static_read_unlock(ssp, S4J_FLAVOR_FAST, idx);
}

S4J_EXPORT int32_t s4j_srcu_read_lock_signal_safe(struct s4j_srcu *ssp)
{
    return s4j_static_read_lock(ssp, S4J_FLAVOR_SIGNAL_SAFE);
}

S4J_EXPORT void s4j_srcu_read_unlock_signal_safe(struct s4j_srcu *ssp, int32_t idx)
{
    s4j_static_read_unlock(ssp, S4J_FLAVOR_SIGNAL_SAFE, idx);
}

/* The lock increment of the domain's own flavor on set idx, and the barrier after it. */
static void count_lock_own(struct s4j_srcu *ssp, uint32_t idx)
{
    if (s4j_static_count_lock(&ssp->r, ssp->r.flavor, idx)) {
        srcu4j_static_percpu_inc_slow(lock_base(ssp, idx), ssp->r.ncpus);
        s4j_smp_mb();        /* [B], for every flavor: this path is rare (litmus: A-B, F-B) */
        /* [V] still: a fast domain's unlock has only [Z]. (litmus: V) */
        if (ssp->r.flavor == S4J_FLAVOR_FAST)
            s4j_static_fast_seen(&ssp->r, idx);
    }
}

/* The barrier of the domain's own flavor, then its unlock increment on set idx. */
static void count_unlock_own(struct s4j_srcu *ssp, uint32_t idx)
{
    if (s4j_static_count_unlock(&ssp->r, ssp->r.flavor, idx))
        srcu4j_static_percpu_inc_slow(unlock_base(ssp, idx), ssp->r.ncpus);
}

S4J_EXPORT int32_t srcu4j_static_read_lock_slow(struct s4j_srcu *ssp, int32_t flavor, uint32_t idx)
{
    if (ssp->r.flavor != flavor)
        return -EINVAL;
    /* Turned away for want of an rseq registration: register, or count atomically. */
    srcu4j_static_percpu_inc_slow(lock_base(ssp, idx), ssp->r.ncpus);
    s4j_smp_mb();            /* [B], also for fast readers: rare (litmus: A-B, F-B) */
    /* [V] still: a fast domain's unlock has only [Z]. (litmus: V) */
    if (flavor == S4J_FLAVOR_FAST)
        s4j_static_fast_seen(&ssp->r, idx);
    if (s4j_track_enter(ssp->r.track_offset, idx))
        return srcu4j_static_read_lock_turned(ssp, flavor, idx);
    return (int32_t)idx;
}

/* The row a lock or unlock of `flavor` updates on this domain. */
static intptr_t row_of(const struct s4j_srcu *ssp, int32_t flavor)
{
    return flavor == S4J_FLAVOR_FAST ? ssp->r.net_offset : ssp->r.track_offset;
}

S4J_EXPORT int32_t srcu4j_static_read_lock_turned(struct s4j_srcu *ssp, int32_t flavor, uint32_t idx)
{
    intptr_t row = row_of(ssp, flavor);

    /* The add is taken back first: a handler that interrupts what follows finds the word as
     * the thread's own sections left it. Fast locks have counted nothing else yet; the
     * others have counted per CPU, and only their depth is at stake here. */
    s4j_tls_word_add(row, idx, -1);
    if (flavor == S4J_FLAVOR_FAST && ssp->r.flavor != flavor)
        return -EINVAL;
    if (s4j_track_join(ssp)) {
        if (!s4j_track_enter(row, idx)) {
            if (flavor == S4J_FLAVOR_FAST) {
                s4j_barrier();    /* [Y], as inline (litmus: X-Y, L.free) */
                s4j_static_fast_seen(&ssp->r, idx);
            }
            return (int32_t)idx;
        }
        s4j_tls_word_add(row, idx, -1);
    }
    /* Not tracked: a sink, or a handler that interrupted the registry's mutex. A fast section
     * then counts per CPU, and so will its unlock, which finds the word still below zero. */
    if (flavor == S4J_FLAVOR_FAST)
        count_lock_own(ssp, idx);
    return (int32_t)idx;
}

S4J_EXPORT void srcu4j_static_fast_mark(struct s4j_srcu_reader *r, uint32_t idx)
{
    /* Several readers may store at once: they all store 1. */
    __atomic_store_n(&r->fast_active[idx], 1, __ATOMIC_RELAXED);
    /* [V] the mark before the section's accesses and the unlock: with the updater's [A]
     * before its load of the mark, store buffering: either it sees the mark (and issues [X]),
     * or the section sees every store it made before [F]. (litmus: V) */
    s4j_smp_mb();
}

S4J_EXPORT void srcu4j_static_read_unlock_slow(struct s4j_srcu *ssp, int32_t idx)
{
    /* A refused lock's error: nothing was counted. Otherwise the caller did the tracking. */
    if (idx >= 0)
        count_unlock_own(ssp, (uint32_t)idx & 1);
}

/* An unlock of the domain's own flavor, whichever flavor's function was called. */
static void unlock_own(struct s4j_srcu *ssp, int32_t idx)
{
    if (ssp->r.flavor == S4J_FLAVOR_FAST)
        s4j_static_read_unlock(ssp, S4J_FLAVOR_FAST, idx);
    else if (ssp->r.flavor == S4J_FLAVOR_CLASSIC)
        s4j_static_read_unlock(ssp, S4J_FLAVOR_CLASSIC, idx);
    else
        s4j_static_read_unlock(ssp, S4J_FLAVOR_SIGNAL_SAFE, idx);
}

S4J_EXPORT void srcu4j_static_read_unlock_turned(struct s4j_srcu *ssp, int32_t flavor, int32_t idx)
{
    intptr_t row = row_of(ssp, flavor);
    uint32_t i = (uint32_t)idx & 1;

    while (*s4j_tls_word(row, i) < S4J_TRACK_BIAS / 2) {
        /* A biased row: a sink, the row of the other kind of flavor, or a thread not
         * registered yet. The subtraction is taken back and the unlock made the domain's own
         * way; a thread that registers now subtracts again, on its own word. */
        s4j_tls_word_add(row, i, 1);
        if ((flavor == S4J_FLAVOR_FAST) != (ssp->r.flavor == S4J_FLAVOR_FAST)) {
            unlock_own(ssp, idx);
            return;
        }
        if (!s4j_track_join(ssp)) {
            count_unlock_own(ssp, i);    /* a section that was not tracked: counted per CPU */
            return;
        }
        if (!s4j_track_exit(row, i)) {
            if (flavor != S4J_FLAVOR_FAST)
                count_unlock_own(ssp, i);
            return;
        }
    }
    /* Below zero by one: the section was entered in another thread, whose word keeps its lock.
     * The slot is marked before the unlock is counted: once it is, the domain may close and be
     * freed (s4j_track_release() says how the mark reaches the freeing thread). */
    s4j_track_mark_stale(ssp);
    s4j_tls_word_add(row, i, 1);
    /* [C] for every flavor: the section, the mark and the word's return before the unlock's
     * per-CPU count. On fast domains a scan that counts this unlock before its [X] then finds
     * the entering thread's lock word after it. (litmus: A-C, L.handoff) */
    s4j_smp_mb();
    /* A fast domain's: the lock is in the entering thread's word, which a scan without [X]
     * does not read (readers_gone()), so the unlock goes where only the scans that read the
     * words read it too. */
    if (s4j_track_counts(ssp))
        __atomic_fetch_add(&ssp->track_handoffs[i], 1, __ATOMIC_RELAXED);
    else
        count_unlock_own(ssp, i);
    /* From here on the domain may be gone: nothing below touches it. */
    S4J_INJECT(2);
}

S4J_EXPORT int32_t s4j_srcu_down_read(struct s4j_srcu *ssp)
{
    uint32_t idx = (uint32_t)S4J_READ_ONCE(ssp->r.srcu_idx) & 1;

    S4J_INJECT(1);           /* as in s4j_static_read_lock() */
    count_lock_own(ssp, idx);
    return (int32_t)(idx | S4J_IDX_UNTRACKED);
}

S4J_EXPORT void s4j_srcu_up_read(struct s4j_srcu *ssp, int32_t idx)
{
    if (s4j_unlikely(idx < 0))
        return;
    /* A read_lock section ended here is tracked: this thread must be the one that entered. */
    if (!(idx & S4J_IDX_UNTRACKED))
        unlock_own(ssp, idx);
    else
        count_unlock_own(ssp, (uint32_t)idx & 1);
}

/* [A], or [X] for fast domains: see the file comment. */
static void full_barrier_against_readers(const struct s4j_srcu *ssp)
{
    if (ssp->r.flavor == S4J_FLAVOR_FAST)
        s4j_membarrier();    /* [X] (litmus: X-Y, X-Z) */
    else
        s4j_smp_mb();        /* [A] (litmus: A-B, A-C) */
}

/* Sums of set idx's counters: per-CPU slots, then external readers' sets (counters.c). */
static uint64_t sum_unlocks(struct s4j_srcu *ssp, uint32_t idx)
{
    return s4j_percpu_sum(unlock_base(ssp, idx), ssp->r.ncpus) +
           s4j_counters_sum(ssp, offsetof(struct s4j_srcu_counters, unlock_count) + idx * sizeof(uint64_t));
}

/* Unlocks of sections whose lock is in another thread's word: loaded, as the unlocks are,
 * before the barrier ([X], or [A] where no word is read) that precedes the lock sums, so a
 * hand-off counted here has its lock in the entering thread's word read after it.
 * (litmus: L.handoff) */
static uint64_t handoffs(struct s4j_srcu *ssp, uint32_t idx)
{
    return __atomic_load_n(&ssp->track_handoffs[idx], __ATOMIC_RELAXED);
}

static uint64_t sum_locks_percpu(struct s4j_srcu *ssp, uint32_t idx)
{
    return s4j_percpu_sum(lock_base(ssp, idx), ssp->r.ncpus) +
           s4j_counters_sum(ssp, offsetof(struct s4j_srcu_counters, lock_count) + idx * sizeof(uint64_t));
}

/* The lock sum, with the registered threads' count words and the exited threads' folded
 * counts on fast domains with a row (track.c): read together under the registry's mutex, which
 * a thread's exit folds its words under. Callers read them after [A] or [X], as every lock
 * count, and compare them with the unlocks plus handoffs(). */
static uint64_t sum_locks(struct s4j_srcu *ssp, uint32_t idx)
{
    if (!s4j_track_counts(ssp))
        return sum_locks_percpu(ssp, idx);
    s4j_track_lock();
    uint64_t sum = sum_locks_percpu(ssp, idx) + s4j_track_sum(ssp, idx);
    s4j_track_unlock();
    return sum;
}

/* [V]: set idx of a fast domain needs no [X] (readers_gone()): its mark is clear and the last
 * [X] found none of its readers inside. Under gp_mutex. */
static int set_quiet(const struct s4j_srcu *ssp, uint32_t idx)
{
    return ssp->fast_quiet[idx] && !S4J_READ_ONCE(ssp->r.fast_active[idx]);
}

/*
 * True when no reader holds counter set idx. Each call is a fresh scan: it concludes only from
 * the sums it reads around its own [A]/[X], never from an earlier call's, so any updater may make
 * it at any time (see gp_step()); on fast domains it also reads and updates fast_quiet[], under
 * gp_mutex as every scan is.
 *
 * A retry on a fast domain (the scan found readers before) looks first without membarrier: the
 * unlocks, a local barrier, the locks. Sums that differ answer "not gone" at once, and a wrong
 * "not gone" only delays the grace period by one try. Equal sums prove nothing without [X] (a
 * fast reader's lock increment may still sit in its CPU's store buffer, or on aarch64 its
 * unlock be seen before its lock), so the pre-check never answers "gone": only the real check
 * does, [X] and then the locks summed again against the same unlocks, which were summed before
 * [X] as [A] wants. A reader that stays inside thus costs the other CPUs no membarrier interrupt
 * per try, one only once it looks gone. A first try goes straight to the real check, most scans
 * finding no reader, for which the pre-check would only add its cost; except the scan after a flip
 * when the last [X] found a reader (expect_readers()).
 *
 * With both set (the first scan of an expedited grace period), the other set is summed around
 * the same barrier, its unlocks before it and its locks after, and *both tells whether it holds
 * no reader either: the argument for set idx holds for it word for word, so no reader of either
 * set was inside when the unlocks were summed, which is all the two scans and the flip between
 * them establish (gp_step()). (litmus: A-B.sb.both)
 */
static int readers_gone(struct s4j_srcu *ssp, uint32_t idx, int retry, int *both)
{
    uint64_t unlocks = sum_unlocks(ssp, idx);
    uint64_t other = both ? sum_unlocks(ssp, idx ^ 1) : 0;

    if (ssp->r.flavor != S4J_FLAVOR_FAST) {
        /* [A] sum the unlocks before the locks: a counted unlock's lock is then counted too, so
         * equal sums mean no reader was inside when the unlocks were summed. With [B]: a reader
         * whose lock increment we miss sees every store before this point. With [C]: a reader
         * whose unlock we count has finished its accesses. (litmus: A-B, A-C) */
        s4j_smp_mb();
        int gone = sum_locks(ssp, idx) == unlocks;
        if (both)
            *both = gone && sum_locks(ssp, idx ^ 1) == other;
        return gone;
    }
    /* [A], local: the unlocks before the pre-check's locks (a reader that came and went between
     * the two sums does not look inside), and before the load of the mark ([V]).
     * (litmus: X-Y.sb.precheck, X-Y.mp.precheck, X-Z.lb.precheck, V) */
    s4j_smp_mb();
    uint64_t handed = handoffs(ssp, idx);
    if (retry && sum_locks(ssp, idx) != unlocks + handed)
        return 0;
    /*
     * [V]: no [X] for set idx while its mark is clear and the last [X] found no reader of it
     * inside. The marks are per set, and the argument is about one set only: readers of the
     * other set are not counted in idx's sums, and none of them can hide a reader of idx. A
     * fast reader R of set idx whose lock increment this scan might miss:
     *  - R's load of the mark read a value older than the last clear: that load, and R's
     *    increment before it, came before the barrier that [X] (issued after the clear) ran on
     *    R's CPU, so that [X]'s scan counted R's lock, and found it matched by R's unlock
     *    summed before [X]: R's section was over by then. (litmus: V.sb.stale)
     *  - R read the clear and set the mark, then a full barrier: store buffering with [A]
     *    before our load of the mark, which reads the clear: R's section sees every store
     *    before [F], and this scan cannot have counted R's unlock without its lock (the mark
     *    precedes the unlock). (litmus: V.sb.mark, V.mp.mark)
     *  - R read a mark another reader set after the clear (acquire): that store follows our
     *    load in coherence, so R's section and unlock come after a store we could not see: the
     *    same two conclusions. (litmus: V.sb.seen, V.mp.seen)
     * fast_quiet[i] may be set by any [X] scan that sums set i around it, whether or not it
     * cleared i's mark: while the mark stays set, fast_quiet[i] is not used, and the mark is
     * only cleared by a scan that then issues [X] and sets fast_quiet[i] again.
     * Readers that count with barriers ([B], [C]: the slow path, the Java direct path) need no
     * [X]: [A] serves them as in a classic domain. Sections found inside by the sums are waited
     * for, as always.
     * So the per-CPU sums alone: the threads' count words [L] hold only readers of the three
     * kinds above, and handoffs() only their unlocks, so neither is read here (which saves the
     * registry's mutex on an idle domain's grace period).
     *
     * Per set, because a busy domain's readers keep the set in use marked: a single mark would
     * make both scans of a grace period issue [X]; per set, the first scan, of the set the
     * readers left at the last flip, finds that set quiet, and only the scan after the flip
     * issues one.
     */
    uint32_t other_idx = idx ^ 1;
    if (set_quiet(ssp, idx)) {
        /* A retry's pre-check above compared these sums already (expect_readers() asks for one
         * only while fast_quiet[idx] is clear, so never here). */
        int gone = retry || sum_locks_percpu(ssp, idx) == unlocks;
        /* The other set by the same argument when it is quiet too; when it is not, an [X] for
         * it alone would cost more than the flip and scan it spares, so not asked. */
        if (both)
            *both = gone && set_quiet(ssp, other_idx) && sum_locks_percpu(ssp, other_idx) == other;
        return gone;
    }
    /* The other set's unlocks too, before [X]: whether any reader is inside anywhere. */
    if (!both)
        other = sum_unlocks(ssp, other_idx);
    uint64_t other_handed = handoffs(ssp, other_idx);
    /* Cleared before [X]: a reader that loads the mark after [X]'s barrier on its CPU reads
     * this clear or a later mark. (litmus: V.sb.stale) */
    if (S4J_READ_ONCE(ssp->r.fast_active[idx]))
        S4J_WRITE_ONCE(ssp->r.fast_active[idx], 0);
    /* [X] promotes [Y]/[Z] to [B]/[C], as [A] does for classic readers: the unlocks before the
     * locks. (litmus: X-Y, X-Z) */
    s4j_membarrier();
    uint64_t locks = sum_locks(ssp, idx);
    ssp->fast_quiet[idx] = locks == unlocks + handed;
    ssp->fast_quiet[other_idx] = sum_locks(ssp, other_idx) == other + other_handed;
    if (both)
        *both = ssp->fast_quiet[idx] && ssp->fast_quiet[other_idx];
    return locks == unlocks + handed;
}

static long elapsed_ns(const struct timespec *since)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - since->tv_sec) * 1000000000L + (now.tv_nsec - since->tv_nsec);
}

S4J_EXPORT int64_t s4j_srcu_readers_active(struct s4j_srcu *ssp)
{
    uint64_t unlocks = sum_unlocks(ssp, 0) + sum_unlocks(ssp, 1) + handoffs(ssp, 0) +
                       handoffs(ssp, 1);

    /* [A], or [X] on fast domains, as in readers_gone(): the unlocks before the locks, so a
     * snapshot never goes negative, and a section whose unlock is counted has its lock counted
     * even when a fast reader's two increments reach memory out of order. close relies on it.
     * (litmus: A-B.mp, X-Y.mp) */
    full_barrier_against_readers(ssp);
    return (int64_t)(sum_locks(ssp, 0) + sum_locks(ssp, 1) - unlocks);
}

/* The cookie of the first grace period that starts after this call. */
uint64_t s4j_gp_snapshot(struct s4j_srcu *ssp)
{
    /* [F] the caller's earlier stores (typically unpublishing the old version) before reading
     * gp_seq and the counters; with [B] it forms store buffering as [A] does.
     * (litmus: F-B, N-F, U-F) */
    s4j_smp_mb();
    /* The first even value at least two beyond what we saw (rounded up past one in progress)
     * marks the end of a grace period that starts after this load. */
    return (S4J_READ_ONCE(ssp->gp_seq) + 3) & ~(uint64_t)1;
}

static int gp_reached(struct s4j_srcu *ssp, uint64_t cookie)
{
    /* Acquire: pairs with the release store that ends a grace period. (litmus: G-C) */
    return s4j_gp_seq_reached(__atomic_load_n(&ssp->gp_seq, __ATOMIC_ACQUIRE), cookie);
}

/* The set new readers do not use: what each of a grace period's two scans waits on to drain
 * (the flip between them makes it the other set). */
static uint32_t old_idx(const struct s4j_srcu *ssp)
{
    return 1 ^ ((uint32_t)ssp->r.srcu_idx & 1);
}

/*
 * Whether the scan after the flip should look first without [X], as a retry does: on a fast
 * domain whose last [X] found a reader inside the set that has just gone out of use. Short of a
 * pause between the two scans that reader is still inside; an [X] now
 * (tens of microseconds beside busy readers on a 2-vCPU VM) would only find it there and have to
 * be made again. An expedited call beside a reader held 1 ms made three [X], and a synchronize
 * beside two busy readers per CPU about three; with the look first, two at most
 * (native/README.md). A quiet set (set_quiet()) skips [X] anyway and is not looked at twice.
 * No barrier changes: the look is a retry's pre-check, its local [A] right after this thread's
 * [D] as a retry's comes after the flipper's (litmus: X-Y.sb.precheck, X-Y.mp.precheck,
 * X-Z.lb.precheck).
 */
static int expect_readers(const struct s4j_srcu *ssp)
{
    return ssp->r.flavor == S4J_FLAVOR_FAST && !ssp->fast_quiet[old_idx(ssp)];
}

/*
 * One step of the grace-period state machine (Tree SRCU's idle, scan 1, scan 2), with gp_mutex
 * held: only work that never waits. Starts a grace period when none runs and cookie needs one,
 * scans, moves on while the scans find their readers gone, ends the grace period, and starts the
 * next if cookie needs that too. Returns 1 once cookie's grace period has ended, 0 when a scan
 * found readers (gp_phase then says which scan to repeat). Whoever waits does it between steps,
 * without the mutex (gp_until()).
 *
 * Why freeing the mutex between steps changes nothing. The mutex never held readers back; it
 * makes the updaters run one grace period's steps (odd gp_seq, scan, [E], flip, [D], scan, even
 * gp_seq) once each and in order, and they still do: each step runs under the mutex from the
 * state the previous one left, whichever updater made it, and the mutex's release/acquire hands
 * that state over. Each scan is a fresh scan (readers_gone()): before, a waiting updater already
 * repeated a failed scan after each sleep; now the repetition may be made by another updater, or
 * by the same one without having held the mutex while it slept. The barriers keep their pairs:
 * [E] and [D] sit in the step that flips, between the successful scan and the flip and between
 * the flip and the first try of the next scan. A later try, by any updater, comes after the
 * flipper released the mutex, and [D], a full barrier, had made the flip visible to every CPU
 * before that release: so before the try's first load, as for a try by the flipper itself (the
 * odd gp_seq's barrier does the same for the first scan). A reader that enters between two
 * tries is one a repeated scan always met.
 *
 * The cookie carries [F]: its taker executed [F] and then read gp_seq, and a grace period is
 * started here only while gp_seq has not reached the cookie, so the grace period that ends at
 * the cookie begins after that read, and its scans after [F].
 *
 * An expedited caller's first scan of a grace period it starts looks at both counter sets
 * (readers_gone()), and when neither holds a reader the grace period ends there, without the
 * flip and the second scan: for a domain no reader is in, one scan and two barriers fewer. (On a
 * fast domain, only when that scan issues [X] anyway or neither set needs one: an [X] for the set
 * in use alone would cost more than the flip and the scan it might spare.) A
 * normal grace period does not: when a reader is inside (the usual case on a domain in use) the
 * current set's sums are wasted, twice the CPUs' counter lines read for nothing, where an
 * expedited one spends them for the chance to end sooner. Readers keep the set they use. When
 * the set in use held a reader at such a look, the next S4J_BOTH_SKIPS expedited grace periods
 * do not look: beside busy readers the look almost never ends a grace period, and it reads the
 * counter lines they are writing (cache misses: 12-22 % of a classic expedited call's CPU time
 * beside one busy reader per CPU); after the skips it looks again, so a domain that went idle
 * gets its one-scan grace periods back within S4J_BOTH_SKIPS.
 */
#define S4J_BOTH_SKIPS 16

static int gp_step(struct s4j_srcu *ssp, uint64_t cookie, int expedited)
{
    /* A scan this step did not begin was tried before and found readers. */
    int retry = 1;
    /* Set by an expedited first scan that found neither set holding a reader. */
    int both = 0;
    /* An expedited first scan, and whether it looks at the set in use too. */
    int first, look_both;

    for (;;) {
        if (s4j_gp_seq_reached(ssp->gp_seq, cookie))
            return 1;
        switch (ssp->gp_phase) {
        case S4J_GP_IDLE:
            S4J_WRITE_ONCE(ssp->gp_seq, ssp->gp_seq + 1);
            /* The odd gp_seq before the scans: a caller that saw the old value is served by
             * this grace period, whose scans come after its [F]. (litmus: F-B.sb.served) */
            s4j_smp_mb();
            ssp->gp_phase = S4J_GP_SCAN_OLD;
            retry = 0;
            /* fall through */
        case S4J_GP_SCAN_OLD:
            /* Readers that took the inactive set before the previous flip. */
            first = expedited && !retry;
            look_both = first && !ssp->both_skips;
            if (first && !look_both)
                ssp->both_skips--;
            if (!readers_gone(ssp, old_idx(ssp), retry, look_both ? &both : NULL))
                return 0;
            if (look_both && !both)
                ssp->both_skips = S4J_BOTH_SKIPS;
            if (both) {
                /* Release, as below: the scan's loads before the even gp_seq; no flip, so
                 * neither [E] nor [D]. (litmus: G-C) */
                __atomic_store_n(&ssp->gp_seq, ssp->gp_seq + 1, __ATOMIC_RELEASE);
                ssp->gp_phase = S4J_GP_IDLE;
                both = 0;
                continue;
            }
            /* [E] the scan just done before the flip: readers counted as gone there have
             * finished their sections before new readers can see the new idx. Its loads are
             * what must come first (the unlock sums are behind [A] or [X] already, the lock
             * sums are not), so an acquire fence. (litmus: E-B, E-C) */
            s4j_smp_load_fence();
            S4J_WRITE_ONCE(ssp->r.srcu_idx, ssp->r.srcu_idx + 1);
            /* [D] the flip before the next scan: a reader whose unlock that scan misses will
             * see the new idx at its next lock, so the old set drains. (litmus: D-B) */
            s4j_smp_mb();
            ssp->gp_phase = S4J_GP_SCAN_FLIPPED;
            retry = 0;
            /* fall through */
        case S4J_GP_SCAN_FLIPPED:
            if (!readers_gone(ssp, old_idx(ssp), retry || expect_readers(ssp), NULL))
                return 0;
            /* Release: the scans' loads before the even gp_seq that tells waiters they are
             * served. (litmus: G-C) */
            __atomic_store_n(&ssp->gp_seq, ssp->gp_seq + 1, __ATOMIC_RELEASE);
            ssp->gp_phase = S4J_GP_IDLE;
        }
    }
}

/*
 * How an updater waits between steps that found readers.
 *
 * Normal: a few steps back to back, then sleeps that double from 1 us to 1 ms, each at least the
 * thread's timer slack (50 us by default): each about as long as the wait so far.
 *
 * Expedited: steps back to back for S4J_EXP_SPIN_NS, long enough for readers that run to leave
 * short sections (longer spins only keep a reader this thread preempted off the CPU), then sleeps
 * with the thread's timer slack lowered to S4J_EXP_SLACK_NS for the wait (restored after it),
 * each a sixteenth of the wait so far (S4J_EXP_SLEEP_SHARE), at least S4J_EXP_SLEEP_MIN_NS and at
 * most 1 ms: a reader that leaves is seen at most a sixteenth of the wait later, where a normal
 * wait may take as long again. Beside a reader held 3 ms on the other CPU, the median time from
 * its exit to the return was 215-250 us with an eighth and 134-150 us with a sixteenth, for
 * about twice the wake-ups (native/README.md). The first sleep hands the CPU to a reader this thread preempted inside its section, and
 * must not be shorter than the minimum: a thread that wakes before the scheduler lets it preempt
 * that reader back waits for a tick or the end of the reader's slice (milliseconds). Beside such
 * a reader on its CPU (Linux 6.18, EEVDF), sleeps of 1-5 us lost the CPU that way in most waits,
 * 8 us in 4 %, 10 us and longer no more often than the machine's background (2-3 %), whatever
 * their length up to 50 us (native/README.md). Yielding instead (sched_yield) gives that reader
 * a whole time slice first.
 *
 * The wait starts over whenever the grace periods moved on (a scan found its readers gone), as it
 * did for each scan when the waiting was done inside the scans.
 */
#define S4J_EXP_SPIN_NS 5000
#define S4J_EXP_SLEEP_MIN_NS 20000
#define S4J_EXP_SLEEP_SHARE 16
#define S4J_EXP_SLACK_NS 1000
#define S4J_SLEEP_MAX_NS 1000000

struct gp_backoff {
    int expedited;
    int steps;               /* steps since the position changed */
    long delay_ns;           /* normal: the next sleep */
    uint64_t position;       /* gp_seq and gp_phase after the last step */
    struct timespec since;   /* expedited: when that position was first seen */
    long slack;              /* expedited: the thread's timer slack before the wait, or -1 */
};

/* The expedited sleep after waiting waited_ns: a sixteenth of it, within the bounds above. */
static long exp_sleep_ns(long waited_ns)
{
    long d = waited_ns / S4J_EXP_SLEEP_SHARE;

    return d < S4J_EXP_SLEEP_MIN_NS ? S4J_EXP_SLEEP_MIN_NS : d > S4J_SLEEP_MAX_NS ? S4J_SLEEP_MAX_NS : d;
}

static void gp_backoff(struct gp_backoff *b, uint64_t position)
{
    if (position != b->position) {
        b->position = position;
        b->steps = 0;
        b->delay_ns = 1000;
        if (b->expedited)
            clock_gettime(CLOCK_MONOTONIC, &b->since);
        return;
    }
    b->steps++;
    long sleep_ns = b->delay_ns;
    if (b->expedited) {
        long waited = elapsed_ns(&b->since);
        if (waited < S4J_EXP_SPIN_NS)
            return;
        if (b->slack < 0) {
            b->slack = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
            prctl(PR_SET_TIMERSLACK, S4J_EXP_SLACK_NS, 0, 0, 0);
        }
        sleep_ns = exp_sleep_ns(waited);
    } else if (b->steps < 8) {
        return;
    } else {
        b->delay_ns = 2 * b->delay_ns < S4J_SLEEP_MAX_NS ? 2 * b->delay_ns : S4J_SLEEP_MAX_NS;
    }
    struct timespec ts = { 0, sleep_ns };
    nanosleep(&ts, NULL);
}

/* Runs grace periods until the one named by cookie has ended: steps, and waits between them. */
static void gp_until(struct s4j_srcu *ssp, uint64_t cookie, int expedited)
{
    /* No gp_phase is 3: the first step's position differs. */
    struct gp_backoff b = { .expedited = expedited, .position = ~(uint64_t)0, .slack = -1 };

    while (!gp_reached(ssp, cookie)) {
        pthread_mutex_lock(&ssp->gp_mutex);
        int done = gp_step(ssp, cookie, expedited);
        uint64_t position = ssp->gp_seq << 2 | ssp->gp_phase;
        pthread_mutex_unlock(&ssp->gp_mutex);
        if (done)
            break;
        gp_backoff(&b, position);
    }
    if (b.slack > 0)
        prctl(PR_SET_TIMERSLACK, b.slack, 0, 0, 0);
    /* [G] the grace period before the caller's later accesses (typically freeing the old
     * version), even when another caller's grace period served us; pairs with [C]. The loads
     * that saw it end (gp_seq's, or this thread's scans) are what must come first, so an
     * acquire fence. (litmus: G-C) */
    s4j_smp_load_fence();
}

static int32_t synchronize(struct s4j_srcu *ssp, int expedited)
{
    if (s4j_track_inside(ssp))
        return -EDEADLK;
    gp_until(ssp, s4j_gp_snapshot(ssp), expedited);
    return 0;
}

S4J_EXPORT int32_t s4j_srcu_synchronize(struct s4j_srcu *ssp)
{
    return synchronize(ssp, 0);
}

S4J_EXPORT int32_t s4j_srcu_synchronize_expedited(struct s4j_srcu *ssp)
{
    return synchronize(ssp, 1);
}

/* One step with the lock taken only when free; expedited as in gp_step(). 1 once cookie ended. */
static int gp_advance(struct s4j_srcu *ssp, uint64_t cookie, int expedited)
{
    if (!gp_reached(ssp, cookie)) {
        /* Busy: another updater is making a step of these grace periods right now. */
        if (pthread_mutex_trylock(&ssp->gp_mutex) != 0)
            return 0;
        int done = gp_step(ssp, cookie, expedited);
        pthread_mutex_unlock(&ssp->gp_mutex);
        if (!done)
            return 0;
    }
    /* [G] as in synchronize: the ended grace period before the caller's later accesses (for
     * the pool's workers, the callbacks they run next). (litmus: G-C) */
    s4j_smp_load_fence();
    return 1;
}

int s4j_gp_advance(struct s4j_srcu *ssp, uint64_t cookie)
{
    return gp_advance(ssp, cookie, 0);
}

S4J_EXPORT int32_t s4j_srcu_advance(struct s4j_srcu *ssp, uint64_t cookie)
{
    return s4j_gp_advance(ssp, cookie);
}

S4J_EXPORT uint64_t s4j_srcu_start_advance(struct s4j_srcu *ssp)
{
    uint64_t cookie = s4j_gp_snapshot(ssp);   /* [F] inside */

    /* Cookies are even, so bit 0 is free to say the step already ended the grace period. */
    return s4j_gp_advance(ssp, cookie) ? cookie | 1 : cookie;
}

S4J_EXPORT uint64_t s4j_srcu_start_advance_expedited(struct s4j_srcu *ssp)
{
    uint64_t cookie = s4j_gp_snapshot(ssp);   /* [F] inside */

    return gp_advance(ssp, cookie, 1) ? cookie | 1 : cookie;
}

S4J_EXPORT uint64_t s4j_srcu_get_state(struct s4j_srcu *ssp)
{
    return s4j_gp_snapshot(ssp);
}

S4J_EXPORT uint64_t s4j_srcu_start_poll(struct s4j_srcu *ssp)
{
    uint64_t cookie = s4j_gp_snapshot(ssp);

    /* Inherited through fork(): no pool here to ask; poll_state and advance still work. */
    if (!s4j_callbacks_inherited(ssp))
        s4j_callbacks_request_gp(ssp, cookie);
    return cookie;
}

S4J_EXPORT int32_t s4j_srcu_poll_state(struct s4j_srcu *ssp, uint64_t cookie)
{
    if (!gp_reached(ssp, cookie))
        return 0;
    /* [G] as in synchronize: the ended grace period before the caller's later accesses.
     * (litmus: G-C) */
    s4j_smp_load_fence();
    return 1;
}

/* What close and close_start refuse, in the order srcu4j.h gives the results. */
static int32_t close_refused(struct s4j_srcu *ssp)
{
    if (s4j_callbacks_inherited(ssp))
        return -ESRCH;
    if (s4j_callbacks_on_worker(ssp))
        return -EDEADLK;
    /* Checked before the readers, so a second close says -EALREADY, not -EBUSY. Acquire:
     * pairs with the fetch_or that set the bit, so a racing caller sees the close begun.
     * (one word, no litmus) */
    if (__atomic_load_n(&ssp->enq_state, __ATOMIC_ACQUIRE) & S4J_ENQ_CLOSED)
        return -EALREADY;
    if (s4j_srcu_readers_active(ssp) > 0)
        return -EBUSY;
    return 0;
}

S4J_EXPORT int32_t s4j_srcu_close_start(struct s4j_srcu *ssp)
{
    int32_t rc = close_refused(ssp);

    return rc ? rc : s4j_callbacks_close_start(ssp);
}

S4J_EXPORT int32_t s4j_srcu_close_poll(struct s4j_srcu *ssp)
{
    if (s4j_callbacks_inherited(ssp))
        return -ESRCH;
    return s4j_callbacks_close_poll(ssp);
}

S4J_EXPORT int32_t s4j_srcu_close(struct s4j_srcu *ssp)
{
    int32_t rc = s4j_srcu_close_start(ssp);

    if (rc == 0)
        s4j_callbacks_close_wait(ssp);
    return rc;
}

S4J_EXPORT int32_t s4j_srcu_free(struct s4j_srcu *ssp)
{
    if (s4j_callbacks_inherited(ssp))
        return -ESRCH;
    /* [T] acquire inside: the pool let the domain go for good, so no worker touches it.
     * (litmus: T.handback) */
    if (!s4j_callbacks_released(ssp))
        return -EBUSY;
    s4j_track_release(ssp);
    s4j_counters_free(ssp);
    s4j_callbacks_free(ssp);
    pthread_mutex_destroy(&ssp->gp_mutex);
    free(ssp->r.percpu);
    free(ssp);
    return 0;
}
