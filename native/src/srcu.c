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
 *   [E] updater, before the flip of srcu_idx                  pairs with [B] and [C]
 *   [F] updater, on entry to synchronize                      pairs with [B]
 *   [G] updater, on return from synchronize                   pairs with [C]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "srcu4j/srcu4j.h"
#include "arch.h"
#include "percpu.h"
#include "srcu_internal.h"

static char *lock_base(struct s4j_srcu *ssp, uint32_t idx)
{
    return (char *)&ssp->percpu[0].lock_count[idx];
}

static char *unlock_base(struct s4j_srcu *ssp, uint32_t idx)
{
    return (char *)&ssp->percpu[0].unlock_count[idx];
}

S4J_EXPORT int32_t s4j_srcu_create(int32_t flavor, struct s4j_srcu **out)
{
    if (!out || flavor != S4J_FLAVOR_CLASSIC)
        return -EINVAL;
    const struct s4j_platform *p = s4j_platform_init();
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
    ssp->percpu = percpu;
    ssp->ncpus = p->possible_cpus;
    ssp->flavor = flavor;
    pthread_mutex_init(&ssp->gp_mutex, NULL);
    int rc = s4j_callbacks_start(ssp);
    if (rc) {
        pthread_mutex_destroy(&ssp->gp_mutex);
        free(percpu);
        free(ssp);
        return rc;
    }
    *out = ssp;
    return 0;
}

S4J_EXPORT int32_t s4j_srcu_read_lock(struct s4j_srcu *ssp)
{
    uint32_t idx = (uint32_t)S4J_READ_ONCE(ssp->srcu_idx) & 1;

    s4j_percpu_inc(lock_base(ssp, idx), ssp->ncpus);
    /* [B] lock increment before the section's accesses. With [A] (and [F]) it forms store
     * buffering: either the updater's sum sees this increment and waits for us, or our section
     * sees every store the updater made before [A]/[F]. With [D]: a reader that picked up the
     * old idx after the flip still increments before its section, and the next scan sees it. */
    s4j_smp_mb();
    return (int32_t)idx;
}

S4J_EXPORT void s4j_srcu_read_unlock(struct s4j_srcu *ssp, int32_t idx)
{
    /* [C] the section's accesses before the unlock increment: an updater whose sum at [A]
     * counts this unlock also sees (after [A], [E], [G]) everything the section did, so it may
     * free what the section read. */
    s4j_smp_mb();
    s4j_percpu_inc(unlock_base(ssp, (uint32_t)idx & 1), ssp->ncpus);
}

/* True when no reader holds counter set idx. */
static int readers_gone(struct s4j_srcu *ssp, uint32_t idx)
{
    uint64_t unlocks = s4j_percpu_sum(unlock_base(ssp, idx), ssp->ncpus);

    /* [A] sum the unlocks before the locks: a counted unlock's lock is then counted too, so
     * equal sums mean no reader was inside when the unlocks were summed. With [B]: a reader
     * whose lock increment we miss sees every store before this point. With [C]: a reader
     * whose unlock we count has finished its accesses. */
    s4j_smp_mb();
    uint64_t locks = s4j_percpu_sum(lock_base(ssp, idx), ssp->ncpus);
    return locks == unlocks;
}

/* Waits until counter set idx has no readers: a few quick checks, then sleeps that grow. */
static void wait_readers_gone(struct s4j_srcu *ssp, uint32_t idx)
{
    long delay_ns = 1000;

    for (int spins = 0; !readers_gone(ssp, idx); spins++) {
        if (spins < 8)
            continue;
        struct timespec ts = { 0, delay_ns };
        nanosleep(&ts, NULL);
        if (delay_ns < 1000000)
            delay_ns *= 2;
    }
}

S4J_EXPORT int64_t s4j_srcu_readers_active(struct s4j_srcu *ssp)
{
    int64_t active = 0;

    for (uint32_t idx = 0; idx < 2; idx++) {
        uint64_t unlocks = s4j_percpu_sum(unlock_base(ssp, idx), ssp->ncpus);
        /* [A] as in readers_gone(): unlocks before locks, so a snapshot never goes negative. */
        s4j_smp_mb();
        active += (int64_t)(s4j_percpu_sum(lock_base(ssp, idx), ssp->ncpus) - unlocks);
    }
    return active;
}

S4J_EXPORT int32_t s4j_srcu_synchronize(struct s4j_srcu *ssp)
{
    /* [F] the caller's earlier stores (typically unpublishing the old version) before reading
     * gp_seq and the counters; with [B] it forms store buffering as [A] does. */
    s4j_smp_mb();
    /* A grace period that starts after this load serves us: the first even value at least two
     * beyond what we saw (rounded up past one in progress) marks its end. */
    uint64_t snap = (S4J_READ_ONCE(ssp->gp_seq) + 3) & ~(uint64_t)1;

    pthread_mutex_lock(&ssp->gp_mutex);
    if ((int64_t)(ssp->gp_seq - snap) < 0) {
        S4J_WRITE_ONCE(ssp->gp_seq, ssp->gp_seq + 1);
        /* The odd gp_seq before the scans: a caller that saw the old value is served by this
         * grace period, whose scans come after its [F]. */
        s4j_smp_mb();

        /* Readers that took the inactive set before the previous flip. */
        wait_readers_gone(ssp, 1 ^ ((uint32_t)ssp->srcu_idx & 1));

        /* [E] the scan just done before the flip: readers counted as gone there have finished
         * their sections before new readers can see the new idx. */
        s4j_smp_mb();
        S4J_WRITE_ONCE(ssp->srcu_idx, ssp->srcu_idx + 1);
        /* [D] the flip before the next scan: a reader whose unlock that scan misses will see
         * the new idx at its next lock, so the old set drains. */
        s4j_smp_mb();

        wait_readers_gone(ssp, 1 ^ ((uint32_t)ssp->srcu_idx & 1));

        /* Release: the scans' loads before the even gp_seq that tells waiters they are served. */
        __atomic_store_n(&ssp->gp_seq, ssp->gp_seq + 1, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&ssp->gp_mutex);
    /* [G] the grace period before the caller's later accesses (typically freeing the old
     * version), even when another caller's grace period served us; pairs with [C]. */
    s4j_smp_mb();
    return 0;
}

S4J_EXPORT int32_t s4j_srcu_close(struct s4j_srcu *ssp)
{
    if (s4j_callbacks_on_worker(ssp))
        return -EDEADLK;
    if (__atomic_load_n(&ssp->enq_state, __ATOMIC_ACQUIRE) & S4J_ENQ_CLOSED)
        return -EALREADY;
    if (s4j_srcu_readers_active(ssp) > 0)
        return -EBUSY;
    return s4j_callbacks_close(ssp);
}

S4J_EXPORT int32_t s4j_srcu_free(struct s4j_srcu *ssp)
{
    /* Acquire: pairs with the release store of closed in s4j_callbacks_close(); the worker
     * has been joined, so nothing else touches the domain. */
    if (!__atomic_load_n(&ssp->closed, __ATOMIC_ACQUIRE))
        return -EBUSY;
    pthread_mutex_destroy(&ssp->gp_mutex);
    free(ssp->percpu);
    free(ssp);
    return 0;
}
