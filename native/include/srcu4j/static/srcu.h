// SPDX-License-Identifier: Apache-2.0
/*
 * The read side of an SRCU domain, inline: what srcu.c's exported read functions are made of,
 * and what srcu4j/inline.h offers C callers who recompile with each release. Not a stable ABI.
 * The barriers are lettered as in src/srcu.c, whose file comment has the table of pairs.
 */
#ifndef SRCU4J_STATIC_SRCU_H
#define SRCU4J_STATIC_SRCU_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "srcu4j/srcu4j.h"
#include "srcu4j/static/percpu.h"
#include "srcu4j/static/track.h"

/*
 * One CPU's counters, alone on their S4J_CACHE_LINE: only readers running on that CPU write them
 * (under rseq; atomically otherwise), and only the updater's scans read other CPUs' lines.
 */
struct s4j_srcu_percpu {
    uint64_t lock_count[2];
    uint64_t unlock_count[2];
} __attribute__((aligned(S4J_CACHE_LINE)));

/* Bit 1 of a down_read index: the section is not tracked per thread. */
#define S4J_IDX_UNTRACKED 2

/* What readers read of a domain: the first member of struct s4j_srcu, read-mostly. */
struct s4j_srcu_reader {
    struct s4j_srcu_percpu *percpu;      /* possible_cpus + 1 entries; the last is shared */
    uint32_t ncpus;
    int32_t flavor;
    uint64_t srcu_idx;                   /* bit 0 selects the counter pair new readers use */
    ptrdiff_t rseq_offset;               /* srcu4j_static_platform's, next to what uses it */
    intptr_t track_offset;               /* thread pointer to this domain's depth words */
    intptr_t net_offset;                 /* fast domains: to their count words (track.h) */
    /* Per rseq flavor (classic, fast): ncpus for the domain's own flavor, 0 for the other, so
     * the rseq sequence itself turns a lock of the wrong flavor away to the slow path. */
    uint32_t rseq_bound[2];
    /* Fast domains, one per counter set: 1 once a reader entered on that set since the updater
     * last cleared it ([V], src/srcu.c); a reader writes it only when it finds 0, the updater
     * only when it finds 1. */
    uint32_t fast_active[2];
};

/* Out of line, exported (src/srcu.c): what the inline paths below turn away. A word that went
 * below zero (track.h) goes to _turned: a thread not registered yet, a sink, another flavor's
 * unlock, or an unbalanced unlock, which marks the domain's slot and then counts the unlock. */
S4J_COLD int32_t srcu4j_static_read_lock_slow(struct s4j_srcu *ssp, int32_t flavor, uint32_t idx);
S4J_COLD int32_t srcu4j_static_read_lock_turned(struct s4j_srcu *ssp, int32_t flavor, uint32_t idx);
/* Out of line, exported (src/srcu.c): a fast reader found set idx's fast_active clear and sets
 * it ([V]). */
S4J_COLD void srcu4j_static_fast_mark(struct s4j_srcu_reader *r, uint32_t idx);
S4J_COLD void srcu4j_static_read_unlock_slow(struct s4j_srcu *ssp, int32_t idx);
S4J_COLD void srcu4j_static_read_unlock_turned(struct s4j_srcu *ssp, int32_t flavor, int32_t idx);

static inline struct s4j_srcu_reader *s4j_static_reader(struct s4j_srcu *ssp)
{
    return (struct s4j_srcu_reader *)ssp;
}

static inline char *s4j_static_lock_base(const struct s4j_srcu_reader *r, uint32_t idx)
{
    return (char *)&r->percpu[0].lock_count[idx];
}

static inline char *s4j_static_unlock_base(const struct s4j_srcu_reader *r, uint32_t idx)
{
    return (char *)&r->percpu[0].unlock_count[idx];
}

/*
 * [V], a fast reader after its lock increment on set idx: it loads that set's fast_active with
 * acquire and, when it is clear, sets it and executes a full barrier (srcu4j_static_fast_mark)
 * before its section. The updater skips [X] for a set only while nobody set its mark since its
 * last [X]: see src/srcu.c, readers_gone().
 */
static inline void s4j_static_fast_seen(struct s4j_srcu_reader *r, uint32_t idx)
{
    /* [V] acquire, after the increment: a reader that skips the mark has its section and its
     * unlock ordered after a mark the updater will see. (litmus: V) */
    if (s4j_unlikely(!__atomic_load_n(&r->fast_active[idx], __ATOMIC_ACQUIRE)))
        srcu4j_static_fast_mark(r, idx);
}

/*
 * The lock increment on set idx, then the barrier after it, counted the way `flavor` counts.
 * Returns 0, or 1 when the rseq sequence turned the increment away (no registration, or a
 * domain of another flavor): nothing is counted and no barrier executed. Called with a constant
 * flavor, the other flavors' branches fold away.
 */
static inline int s4j_static_count_lock(struct s4j_srcu_reader *r, int32_t flavor, uint32_t idx)
{
    char *base = s4j_static_lock_base(r, idx);

    if (flavor == S4J_FLAVOR_SIGNAL_SAFE) {
        s4j_percpu_inc_atomic(base, r->ncpus);
        /* [B] for signal-safe readers: the atomic add is locked on x86, so only the arch's
         * after-atomic barrier is needed to order it before the section. (litmus: A-B, F-B) */
        s4j_smp_mb__after_atomic();
        return 0;
    }
    if (s4j_unlikely(s4j_percpu_try_inc(r->rseq_offset, base, r->rseq_bound[flavor])))
        return 1;
    if (flavor == S4J_FLAVOR_FAST) {
        s4j_barrier();       /* [Y] compiler only; [X] or [V] does the rest (litmus: X-Y, V) */
        s4j_static_fast_seen(r, idx);
    } else {
        s4j_smp_mb();        /* [B] (litmus: A-B, D-B, E-B, F-B) */
    }
    /* [B]: lock increment before the section's accesses. With [A] (and [F]) it forms store
     * buffering: either the updater's sum sees this increment and waits for us, or our section
     * sees every store the updater made before [A]/[F]. With [D]: a reader that picked up the
     * old idx after the flip still increments before its section, and the next scan sees it. */
    return 0;
}

/*
 * The barrier before the unlock increment, then the increment on set idx, the way `flavor`
 * counts. Returns 0, or 1 when the increment was turned away as in s4j_static_count_lock() (the
 * barrier has been executed, the increment not).
 */
static inline int s4j_static_count_unlock(struct s4j_srcu_reader *r, int32_t flavor, uint32_t idx)
{
    char *base = s4j_static_unlock_base(r, idx);

    /* [C]: the section's accesses before the unlock increment: an updater whose sum at [A]
     * counts this unlock also sees (after [A], [E], [G]) everything the section did, so it may
     * free what the section read. [Z] is [C] for fast readers, completed by [X]. */
    if (flavor == S4J_FLAVOR_SIGNAL_SAFE) {
        s4j_smp_mb();        /* [C] (litmus: A-C, E-C, G-C) */
        s4j_percpu_inc_atomic(base, r->ncpus);
        return 0;
    }
    if (flavor == S4J_FLAVOR_FAST)
        s4j_barrier();       /* [Z] (litmus: X-Z, X-Y.mp) */
    else
        s4j_smp_mb();        /* [C] (litmus: A-C, E-C, G-C) */
    return s4j_percpu_try_inc(r->rseq_offset, base, r->rseq_bound[flavor]);
}

/*
 * read_lock of one flavor: refused (-EINVAL) on a domain of another flavor.
 *
 * Fast: the thread's count word of set idx is the lock count (track.h): one add, [Y], [V]. Its
 * sign sends the rest out of line: a thread that is not registered yet, a domain on the sink,
 * or one of another flavor (whose net row is the biased sink).
 */
static inline int32_t s4j_static_read_lock(struct s4j_srcu *ssp, int32_t flavor)
{
    struct s4j_srcu_reader *r = s4j_static_reader(ssp);
    uint32_t idx = (uint32_t)S4J_READ_ONCE(r->srcu_idx) & 1;

    /* A reader delayed here increments the set it loaded after a flip: what the grace
     * period's first scan (of the inactive set) exists for. */
    S4J_INJECT(1);
    if (flavor == S4J_FLAVOR_FAST) {
        if (s4j_unlikely(s4j_track_enter(r->net_offset, idx)))
            return srcu4j_static_read_lock_turned(ssp, flavor, idx);
        /* [Y] compiler only; [X] or [V] does the rest: the count word is a lock count the
         * scan reads after [X]. (litmus: X-Y, V, L.free) */
        s4j_barrier();
        s4j_static_fast_seen(r, idx);
        return (int32_t)idx;
    }
    /* rseq flavors check the flavor through rseq_bound; the atomic one has no bound to use. */
    if (flavor == S4J_FLAVOR_SIGNAL_SAFE && s4j_unlikely(r->flavor != flavor))
        return -EINVAL;
    if (s4j_unlikely(s4j_static_count_lock(r, flavor, idx)))
        return srcu4j_static_read_lock_slow(ssp, flavor, idx);
    if (s4j_unlikely(s4j_track_enter(r->track_offset, idx)))
        return srcu4j_static_read_lock_turned(ssp, flavor, idx);
    return (int32_t)idx;
}

/*
 * read_unlock of any flavor's section. A domain of another flavor, or a thread without rseq,
 * goes to the slow path, which counts the domain's way; so does a down_read index, and a
 * negative one (a refused lock) does nothing there. A word that went below zero goes out of line
 * whole, a tail call, so the common path saves no registers for it: a section entered in
 * another thread must have its slot marked before the unlock is counted, since the count may let
 * the domain close and be freed.
 */
static inline void s4j_static_read_unlock(struct s4j_srcu *ssp, int32_t flavor, int32_t idx)
{
    struct s4j_srcu_reader *r = s4j_static_reader(ssp);

    if (s4j_unlikely((uint32_t)idx > 1)) {
        srcu4j_static_read_unlock_slow(ssp, idx);
        return;
    }
    if (flavor == S4J_FLAVOR_FAST) {
        /* [Z] a compiler barrier before the count word's subtraction, whose store is a
         * release (arch.h: free on x86, stlr on arm64): a scan reads the word after [X] only,
         * so [X] alone would not keep the section's loads before it. (litmus: L.free,
         * L.free.no-release) */
        s4j_barrier();
        if (s4j_unlikely(s4j_track_exit(r->net_offset, (uint32_t)idx)))
            srcu4j_static_read_unlock_turned(ssp, flavor, idx);
        return;
    }
    if (s4j_unlikely(s4j_track_exit(r->track_offset, (uint32_t)idx))) {
        srcu4j_static_read_unlock_turned(ssp, flavor, idx);
        return;
    }
    if (flavor == S4J_FLAVOR_SIGNAL_SAFE && s4j_unlikely(r->flavor != flavor))
        srcu4j_static_read_unlock_slow(ssp, idx);
    else if (s4j_unlikely(s4j_static_count_unlock(r, flavor, (uint32_t)idx)))
        srcu4j_static_read_unlock_slow(ssp, idx);
}

#endif
