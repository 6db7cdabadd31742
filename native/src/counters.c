/*
 * Counters of external readers (s4j_srcu_counters_claim): sets of the four counters a CPU has,
 * handed to readers that update them without calling the library (the Java layer's direct
 * path), and summed by every grace period together with the per-CPU ones.
 *
 * Sets live in chunks of S4J_COUNTER_SETS that are only ever added (pushed on a list) and freed
 * with the domain, so a set stays valid for as long as a reader can hold its address, and a scan
 * never meets freed memory. A released set keeps its counts: they are part of the sums until a
 * later owner balances them.
 *
 * Synchronization
 *   [N] a new chunk is pushed with a release CAS; scans and claims load the list head with
 *       acquire, so they see its zeroed counters before its address.
 *   A scan that misses a chunk pushed after its head load misses only readers that claimed a
 *   set after that load: their lock increment and [B] follow the CAS, and the scan's head load
 *   follows [F]; store buffering as for [B]/[F], so either the scan sees the chunk or the reader
 *   sees what the updater stored before [F].
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "srcu4j/srcu4j.h"
#include "srcu_internal.h"

struct s4j_counter_chunk {
    struct s4j_srcu_percpu sets[S4J_COUNTER_SETS];  /* one cache line pair each, like a CPU's */
    uint64_t claimed;                               /* bit i: sets[i] has an owner */
    struct s4j_counter_chunk *next;
};

_Static_assert(S4J_COUNTER_SETS == 64, "claimed is a 64-bit map");
_Static_assert(sizeof(struct s4j_srcu_counters) <= sizeof(struct s4j_srcu_percpu),
               "an external set is a per-CPU slot");

static struct s4j_counter_chunk *first_chunk(struct s4j_srcu *ssp)
{
    /* [N] acquire: the chunk's zeroed counters before its address. */
    return __atomic_load_n(&ssp->counter_chunks, __ATOMIC_ACQUIRE);
}

static struct s4j_srcu_counters *as_counters(struct s4j_srcu_percpu *set)
{
    return (struct s4j_srcu_counters *)set;
}

/* Claims a free set of chunk c; NULL when all are claimed. */
static struct s4j_srcu_counters *claim_in(struct s4j_counter_chunk *c)
{
    uint64_t claimed = __atomic_load_n(&c->claimed, __ATOMIC_RELAXED);

    /* Retries only when another claim or release of this chunk won in between. */
    while (~claimed) {
        int i = __builtin_ctzll(~claimed);
        if (__atomic_compare_exchange_n(&c->claimed, &claimed, claimed | (1ull << i), 0,
                                        __ATOMIC_RELAXED, __ATOMIC_RELAXED))
            return as_counters(&c->sets[i]);
    }
    return NULL;
}

S4J_EXPORT int32_t s4j_srcu_counters_claim(struct s4j_srcu *ssp, struct s4j_srcu_counters **out)
{
    if (!ssp || !out)
        return -EINVAL;
    for (struct s4j_counter_chunk *c = first_chunk(ssp); c; c = c->next) {
        struct s4j_srcu_counters *set = claim_in(c);
        if (set) {
            *out = set;
            return 0;
        }
    }
    struct s4j_counter_chunk *c = aligned_alloc(S4J_CACHE_LINE, sizeof(*c));
    if (!c)
        return -ENOMEM;
    memset(c, 0, sizeof(*c));
    c->claimed = 1;          /* sets[0] is ours before anyone can see the chunk */
    struct s4j_counter_chunk *head = __atomic_load_n(&ssp->counter_chunks, __ATOMIC_RELAXED);
    do
        c->next = head;
    /* [N] release: the zeroed chunk before its address. Retries only when another chunk was
     * pushed in between. */
    while (!__atomic_compare_exchange_n(&ssp->counter_chunks, &head, c, 1, __ATOMIC_RELEASE,
                                        __ATOMIC_RELAXED));
    *out = as_counters(&c->sets[0]);
    return 0;
}

S4J_EXPORT int32_t s4j_srcu_counters_release(struct s4j_srcu *ssp, struct s4j_srcu_counters *set)
{
    if (!ssp || !set)
        return -EINVAL;
    for (struct s4j_counter_chunk *c = first_chunk(ssp); c; c = c->next) {
        char *p = (char *)set, *lo = (char *)&c->sets[0];
        if (p < lo || p >= (char *)&c->sets[S4J_COUNTER_SETS])
            continue;
        if ((size_t)(p - lo) % sizeof(c->sets[0]) != 0)
            return -EINVAL;
        uint64_t bit = 1ull << ((size_t)(p - lo) / sizeof(c->sets[0]));
        /* Only its owner releases a set, so the bit cannot be cleared under us. */
        if (!(__atomic_fetch_and(&c->claimed, ~bit, __ATOMIC_RELAXED) & bit))
            return -EINVAL;  /* it was not claimed: put nothing back (the and changed nothing) */
        return 0;
    }
    return -EINVAL;
}

S4J_EXPORT const uint64_t *s4j_srcu_idx_word(struct s4j_srcu *ssp)
{
    return ssp ? &ssp->r.srcu_idx : NULL;
}

uint64_t s4j_counters_sum(struct s4j_srcu *ssp, size_t offset)
{
    uint64_t sum = 0;

    for (struct s4j_counter_chunk *c = first_chunk(ssp); c; c = c->next)
        for (int i = 0; i < S4J_COUNTER_SETS; i++)
            sum += __atomic_load_n((uint64_t *)((char *)&c->sets[i] + offset), __ATOMIC_RELAXED);
    return sum;
}

void s4j_counters_free(struct s4j_srcu *ssp)
{
    struct s4j_counter_chunk *c = ssp->counter_chunks;

    while (c) {
        struct s4j_counter_chunk *next = c->next;
        free(c);
        c = next;
    }
    ssp->counter_chunks = NULL;
}
