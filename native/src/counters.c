// SPDX-License-Identifier: Apache-2.0
/*
 * Counters of external readers (s4j_srcu_counters_claim): sets of the four counters a CPU has,
 * handed to readers that update them without calling the library (the Java layer's direct
 * path), and summed by every grace period together with the per-CPU ones.
 *
 * Sets live in chunks that are only ever added (pushed on a list) and freed with the domain, so a
 * set stays valid for as long as a reader can hold its address, and a scan never meets freed
 * memory. A chunk holds S4J_COUNTER_SETS sets claimed one at a time, all of them summed, or is a
 * block (s4j_srcu_counters_claim_block): all of its sets claimed at once, for good, each summed
 * once its reader marked it used, so that a large block that few threads use costs a scan
 * little. A released set keeps its counts: they are part of the sums until a later owner
 * balances them.
 *
 * Synchronization
 *   [N] a new chunk is pushed with a release CAS; scans and claims load the list head with
 *       acquire, so they see its zeroed counters before its address.
 *   A scan that misses a chunk pushed after its head load misses only readers that claimed a
 *   set after that load: their lock increment and [B] follow the CAS, and the scan's head load
 *   follows [F]; store buffering as for [B]/[F], so either the scan sees the chunk or the reader
 *   sees what the updater stored before [F].
 *   [U] the same for a block's set marked used: the reader's mark comes before its first lock
 *   increment and [B], the scan's load of the used bits after [F].
 *   [H] a single-claimed set changes owner: the release's fetch_and is a release and a claim's
 *   successful CAS an acquire, so the previous owner's plain increments happen before the next
 *   owner's loads of the same counters. Without it (aarch64) the next owner could add to a
 *   stale count and overwrite the last increment: a lost lock count hides a reader, a lost
 *   unlock count stalls every later grace period.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "srcu4j/srcu4j.h"
#include "srcu_internal.h"

/* The most sets one block holds. */
#define S4J_COUNTER_BLOCK_MAX 65536u

struct s4j_counter_chunk {
    uint64_t claimed;                  /* bit i: sets[i] has an owner (a block: all bits, for good) */
    uint32_t nsets;                    /* S4J_COUNTER_SETS, or a block's count */
    struct s4j_counter_chunk *next;
    /* A block's: bit i of word i / 64, sets[i] is summed; NULL in a chunk of single claims, all
     * of whose sets are summed (a block's sets are never given back). */
    uint64_t *used;
    /* One cache line pair each, like a CPU's: inline_sets for single claims; for a block, pages
     * mapped on their own (mapped bytes), which the kernel backs only once a reader first
     * writes a set there, so a block of sets that few threads use holds little memory. */
    struct s4j_srcu_percpu *sets;
    size_t mapped;
    struct s4j_srcu_percpu inline_sets[];
};

_Static_assert(S4J_COUNTER_SETS == 64, "claimed is a 64-bit map");
_Static_assert(sizeof(struct s4j_srcu_counters) <= sizeof(struct s4j_srcu_percpu),
               "an external set is a per-CPU slot");

static struct s4j_counter_chunk *first_chunk(struct s4j_srcu *ssp)
{
    /* [N] acquire: the chunk's zeroed counters before its address. (litmus: N.mp, N-F) */
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
        /* [H] acquire on success: pairs with the release that gave the set back, so the
         * previous owner's increments are seen before ours. (litmus: H.handover) */
        if (__atomic_compare_exchange_n(&c->claimed, &claimed, claimed | (1ull << i), 0,
                                        __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
            return as_counters(&c->sets[i]);
    }
    return NULL;
}

/* A block's sets: fresh anonymous pages, zero-filled by the kernel when first touched. */
static struct s4j_srcu_percpu *map_sets(size_t bytes)
{
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

/* Frees a chunk that is on no list any more, or never was. */
static void free_chunk(struct s4j_counter_chunk *c)
{
    if (c->mapped)
        munmap(c->sets, c->mapped);
    free(c->used);
    free(c);
}

/*
 * Pushes a new chunk of nsets zeroed sets, those in claimed already owned; NULL when there is no
 * memory. A block's sets are mapped pages and its used bits a separate allocation, so the part
 * of a block that nobody writes costs no memory: not its header, nor its unused sets.
 */
static struct s4j_counter_chunk *push_chunk(struct s4j_srcu *ssp, uint32_t nsets, uint64_t claimed, int block)
{
    size_t sets = (size_t)nsets * sizeof(struct s4j_srcu_percpu);
    size_t header = sizeof(struct s4j_counter_chunk) + (block ? 0 : sets);
    /* aligned_alloc wants a multiple of the alignment. */
    size_t size = (header + S4J_CACHE_LINE - 1) / S4J_CACHE_LINE * S4J_CACHE_LINE;
    struct s4j_counter_chunk *c = aligned_alloc(S4J_CACHE_LINE, size);

    if (!c)
        return NULL;
    memset(c, 0, size);
    if (block) {
        long page = sysconf(_SC_PAGESIZE);
        c->mapped = (sets + (size_t)page - 1) / (size_t)page * (size_t)page;
        c->sets = map_sets(c->mapped);
        c->used = calloc((nsets + 63) / 64, sizeof(uint64_t));
        if (!c->sets || !c->used) {
            if (!c->sets)
                c->mapped = 0;
            free_chunk(c);
            return NULL;
        }
    } else {
        c->sets = c->inline_sets;
    }
    c->claimed = claimed;    /* claimed before anyone can see the chunk */
    c->nsets = nsets;
    struct s4j_counter_chunk *head = __atomic_load_n(&ssp->counter_chunks, __ATOMIC_RELAXED);
    do
        c->next = head;
    /* [N] release: the zeroed chunk (and, for a block, its zero-filled mapping and used bits)
     * before its address. Retries only when another chunk was pushed in between.
     * (litmus: N.mp, N-F) */
    while (!__atomic_compare_exchange_n(&ssp->counter_chunks, &head, c, 1, __ATOMIC_RELEASE,
                                        __ATOMIC_RELAXED));
    return c;
}

S4J_EXPORT int32_t s4j_srcu_counters_claim(struct s4j_srcu *ssp, struct s4j_srcu_counters **out)
{
    if (!ssp || !out)
        return -EINVAL;
    for (struct s4j_counter_chunk *c = first_chunk(ssp); c; c = c->next) {
        struct s4j_srcu_counters *set = claim_in(c);    /* none in a block: all claimed */
        if (set) {
            *out = set;
            return 0;
        }
    }
    struct s4j_counter_chunk *c = push_chunk(ssp, S4J_COUNTER_SETS, 1, 0);    /* sets[0] is ours */
    if (!c)
        return -ENOMEM;
    *out = as_counters(&c->sets[0]);
    return 0;
}

S4J_EXPORT int32_t s4j_srcu_counters_claim_block(struct s4j_srcu *ssp, uint32_t count, struct s4j_srcu_counters **out)
{
    if (!ssp || !out || count == 0 || count > S4J_COUNTER_BLOCK_MAX)
        return -EINVAL;
    struct s4j_counter_chunk *c = push_chunk(ssp, count, ~0ull, 1);
    if (!c)
        return -ENOMEM;
    *out = as_counters(&c->sets[0]);
    return 0;
}

S4J_EXPORT uint64_t s4j_srcu_counters_stride(void)
{
    return sizeof(struct s4j_srcu_percpu);
}

/* The chunk that holds set, with its index there in *index; NULL when no chunk does. */
static struct s4j_counter_chunk *chunk_of(struct s4j_srcu *ssp, const struct s4j_srcu_counters *set, uint32_t *index)
{
    for (struct s4j_counter_chunk *c = first_chunk(ssp); c; c = c->next) {
        const char *p = (const char *)set, *lo = (const char *)&c->sets[0];
        if (p < lo || p >= (const char *)&c->sets[c->nsets])
            continue;
        if ((size_t)(p - lo) % sizeof(c->sets[0]) != 0)
            return NULL;
        *index = (uint32_t)((size_t)(p - lo) / sizeof(c->sets[0]));
        return c;
    }
    return NULL;
}

S4J_EXPORT int32_t s4j_srcu_counters_use(struct s4j_srcu *ssp, struct s4j_srcu_counters *set)
{
    uint32_t i;
    struct s4j_counter_chunk *c = ssp && set ? chunk_of(ssp, set, &i) : NULL;

    if (!c || !c->used)
        return -EINVAL;
    /* [U] the mark before the reader's first lock increment and its [B]; pairs with [F] before
     * the scan's load of the used bits. (litmus: U-F) */
    __atomic_fetch_or(&c->used[i / 64], 1ull << (i % 64), __ATOMIC_SEQ_CST);
    return 0;
}

S4J_EXPORT int32_t s4j_srcu_counters_release(struct s4j_srcu *ssp, struct s4j_srcu_counters *set)
{
    uint32_t i;
    struct s4j_counter_chunk *c = ssp && set ? chunk_of(ssp, set, &i) : NULL;

    if (!c || c->used)
        return -EINVAL;  /* not a set of this domain, or a block's, which is never given back */
    uint64_t bit = 1ull << i;
    /* Only its owner releases a set, so the bit cannot be cleared under us. [H] release: the
     * owner's increments before the next claim's acquire. (litmus: H.handover) */
    if (!(__atomic_fetch_and(&c->claimed, ~bit, __ATOMIC_RELEASE) & bit))
        return -EINVAL;  /* it was not claimed: put nothing back (the and changed nothing) */
    return 0;
}

S4J_EXPORT const uint64_t *s4j_srcu_idx_word(struct s4j_srcu *ssp)
{
    return ssp ? &ssp->r.srcu_idx : NULL;
}

static uint64_t load_counter(const struct s4j_srcu_percpu *set, size_t offset)
{
    return __atomic_load_n((const uint64_t *)((const char *)set + offset), __ATOMIC_RELAXED);
}

uint64_t s4j_counters_sum(struct s4j_srcu *ssp, size_t offset)
{
    uint64_t sum = 0;

    for (struct s4j_counter_chunk *c = first_chunk(ssp); c; c = c->next) {
        if (!c->used) {
            for (uint32_t i = 0; i < c->nsets; i++)
                sum += load_counter(&c->sets[i], offset);
            continue;
        }
        for (uint32_t w = 0; w < (c->nsets + 63) / 64; w++) {
            /* [U] after [F]: a set marked before it is summed. (litmus: U-F) */
            uint64_t used = __atomic_load_n(&c->used[w], __ATOMIC_RELAXED);
            while (used) {
                sum += load_counter(&c->sets[w * 64 + (uint32_t)__builtin_ctzll(used)], offset);
                used &= used - 1;
            }
        }
    }
    return sum;
}

void s4j_counters_free(struct s4j_srcu *ssp)
{
    struct s4j_counter_chunk *c = ssp->counter_chunks;

    while (c) {
        struct s4j_counter_chunk *next = c->next;
        free_chunk(c);
        c = next;
    }
    ssp->counter_chunks = NULL;
}
