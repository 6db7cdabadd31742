/*
 * The read side of an SRCU domain, inline: what srcu.c's exported read functions are made of,
 * and what srcu4j/inline.h offers C callers who recompile with each release. Not a stable ABI.
 * The barriers are lettered as in src/srcu.c, whose file comment has the table of pairs.
 */
#ifndef SRCU4J_STATIC_SRCU_H
#define SRCU4J_STATIC_SRCU_H

#include <errno.h>
#include <stdint.h>

#include "srcu4j/srcu4j.h"
#include "srcu4j/static/percpu.h"

/*
 * One CPU's counters, alone on their S4J_CACHE_LINE: only readers running on that CPU write them
 * (under rseq; atomically otherwise), and only the updater's scans read other CPUs' lines.
 */
struct s4j_srcu_percpu {
    uint64_t lock_count[2];
    uint64_t unlock_count[2];
} __attribute__((aligned(S4J_CACHE_LINE)));

/* Domains whose read_lock sections are tracked per thread (for synchronize's -EDEADLK). */
#define S4J_TRACKED_DOMAINS 64
#define S4J_UNTRACKED S4J_TRACKED_DOMAINS

/* What readers read of a domain: the first member of struct s4j_srcu, read-mostly. */
struct s4j_srcu_reader {
    struct s4j_srcu_percpu *percpu;      /* possible_cpus + 1 entries; the last is shared */
    uint32_t ncpus;
    int32_t flavor;
    uint64_t srcu_idx;                   /* bit 0 selects the counter pair new readers use */
    uint32_t track_id;                   /* slot in the per-thread depth table, or untracked */
    uint32_t track_tag;                  /* this domain's tag in that slot (bits 16..31) */
};

/*
 * Per-thread read-section depth per tracked domain (entered with a read_lock, not down_read), so
 * synchronize can refuse to wait for its own caller. An entry is (tag << 16 | depth); the tag is
 * the domain's, so a depth a misused domain left behind (locked here, unlocked elsewhere) never
 * leaks into a later domain of the same slot. Exported, initial-exec TLS.
 */
extern __thread uint32_t srcu4j_static_read_depth[S4J_TRACKED_DOMAINS]
    __attribute__((tls_model("initial-exec")));

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

static inline void s4j_static_track_enter(const struct s4j_srcu_reader *r)
{
    if (s4j_likely(r->track_id < S4J_TRACKED_DOMAINS)) {
        uint32_t e = srcu4j_static_read_depth[r->track_id];
        if (s4j_unlikely((e & 0xffff0000u) != r->track_tag))
            e = r->track_tag;
        srcu4j_static_read_depth[r->track_id] = e + 1;
    }
}

static inline void s4j_static_track_exit(const struct s4j_srcu_reader *r)
{
    if (s4j_likely(r->track_id < S4J_TRACKED_DOMAINS)) {
        uint32_t e = srcu4j_static_read_depth[r->track_id];
        /* A section left in another thread than it entered finds depth 0 (or another tag). */
        if (s4j_likely(e > r->track_tag && (e & 0xffff0000u) == r->track_tag))
            srcu4j_static_read_depth[r->track_id] = e - 1;
    }
}

/*
 * The lock increment on the set new readers use, counted the way `flavor` (the domain's) counts.
 * Called with a constant flavor, the other flavors' branches fold away.
 */
static inline uint32_t s4j_static_count_lock(struct s4j_srcu_reader *r, int32_t flavor)
{
    uint32_t idx = (uint32_t)S4J_READ_ONCE(r->srcu_idx) & 1;

    /* A reader delayed here increments the set it loaded after a flip: what the grace
     * period's first scan (of the inactive set) exists for. */
    S4J_INJECT(1);
    if (flavor == S4J_FLAVOR_SIGNAL_SAFE) {
        s4j_percpu_inc_atomic(s4j_static_lock_base(r, idx), r->ncpus);
        /* [B] for signal-safe readers: the atomic add is locked on x86, so only the arch's
         * after-atomic barrier is needed to order it before the section. */
        s4j_smp_mb__after_atomic();
    } else {
        s4j_percpu_inc(s4j_static_lock_base(r, idx), r->ncpus);
        if (flavor == S4J_FLAVOR_FAST)
            s4j_barrier();   /* [Y] compiler only; [X] in the grace period does the rest */
        else
            s4j_smp_mb();    /* [B] */
    }
    /* [B]: lock increment before the section's accesses. With [A] (and [F]) it forms store
     * buffering: either the updater's sum sees this increment and waits for us, or our section
     * sees every store the updater made before [A]/[F]. With [D]: a reader that picked up the
     * old idx after the flip still increments before its section, and the next scan sees it. */
    return idx;
}

static inline void s4j_static_count_unlock(struct s4j_srcu_reader *r, int32_t flavor, int32_t idx)
{
    /* [C]: the section's accesses before the unlock increment: an updater whose sum at [A]
     * counts this unlock also sees (after [A], [E], [G]) everything the section did, so it may
     * free what the section read. [Z] is [C] for fast readers, completed by [X]. */
    if (flavor == S4J_FLAVOR_SIGNAL_SAFE) {
        s4j_smp_mb();        /* [C] */
        s4j_percpu_inc_atomic(s4j_static_unlock_base(r, (uint32_t)idx & 1), r->ncpus);
        return;
    }
    if (flavor == S4J_FLAVOR_FAST)
        s4j_barrier();       /* [Z] */
    else
        s4j_smp_mb();        /* [C] */
    s4j_percpu_inc(s4j_static_unlock_base(r, (uint32_t)idx & 1), r->ncpus);
}

/* read_lock of one flavor: refused (-EINVAL) on a domain of another flavor. */
static inline int32_t s4j_static_read_lock(struct s4j_srcu *ssp, int32_t flavor)
{
    struct s4j_srcu_reader *r = s4j_static_reader(ssp);

    if (s4j_unlikely(r->flavor != flavor))
        return -EINVAL;
    uint32_t idx = s4j_static_count_lock(r, flavor);
    s4j_static_track_enter(r);
    return (int32_t)idx;
}

/*
 * read_unlock of any flavor's section. The increment and barrier follow the domain's flavor,
 * so a mismatched unlock still counts the right way; a negative idx (a refused lock) is a no-op.
 */
static inline void s4j_static_read_unlock(struct s4j_srcu *ssp, int32_t expected_flavor,
                                          int32_t idx)
{
    struct s4j_srcu_reader *r = s4j_static_reader(ssp);
    int32_t flavor = r->flavor;

    if (s4j_unlikely(idx < 0))
        return;
    s4j_static_track_exit(r);
    /* The expected flavor is the common case; the constant lets the compiler fold it. */
    if (s4j_likely(flavor == expected_flavor))
        s4j_static_count_unlock(r, expected_flavor, idx);
    else
        s4j_static_count_unlock(r, flavor, idx);
}

#endif
