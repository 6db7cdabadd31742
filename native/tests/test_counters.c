// SPDX-License-Identifier: Apache-2.0
/*
 * External readers' counters (s4j_srcu_counters_claim): a reader that updates claimed counters
 * itself, as the Java layer's direct path does, is waited for by grace periods; sets are reused
 * with their counts, and handed from owner to owner without losing a plain increment ([H]); a
 * block's sets are summed once marked used; bad arguments are refused.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "srcu4j/srcu4j.h"
#include "tap.h"

/* The external reader's protocol, as srcu4j.h states it. */
static uint32_t ext_lock(struct s4j_srcu *ssp, struct s4j_srcu_counters *c)
{
    uint32_t idx = (uint32_t)__atomic_load_n(s4j_srcu_idx_word(ssp), __ATOMIC_RELAXED) & 1;

    __atomic_store_n(&c->lock_count[idx], c->lock_count[idx] + 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* [B] (litmus: A-B, F-B) */
    return idx;
}

static void ext_unlock(struct s4j_srcu_counters *c, uint32_t idx)
{
    /* [C]: the section before the increment; release ordering. (litmus: A-C.lb.java-stlr) */
    __atomic_store_n(&c->unlock_count[idx], c->unlock_count[idx] + 1, __ATOMIC_RELEASE);
}

struct holder {
    struct s4j_srcu *ssp;
    struct s4j_srcu_counters *c;
    int entered, left;
};

static void *hold_section(void *arg)
{
    struct holder *h = arg;
    uint32_t idx = ext_lock(h->ssp, h->c);

    __atomic_store_n(&h->entered, 1, __ATOMIC_RELEASE);
    sleep_ms(150);
    __atomic_store_n(&h->left, 1, __ATOMIC_RELAXED);
    ext_unlock(h->c, idx);
    return NULL;
}

static void test_grace_period_waits(int flavor, const char *name)
{
    struct s4j_srcu *ssp;
    struct holder h = { 0 };
    pthread_t t;

    s4j_srcu_create(flavor, &ssp);
    h.ssp = ssp;
    TAP_EQ(s4j_srcu_counters_claim(ssp, &h.c), 0, "%s: claim", name);
    pthread_create(&t, NULL, hold_section, &h);
    while (!__atomic_load_n(&h.entered, __ATOMIC_ACQUIRE))
        sleep_ms(1);
    TAP_EQ(s4j_srcu_readers_active(ssp), 1, "%s: the external section is counted", name);
    TAP_EQ(s4j_srcu_close(ssp), -EBUSY, "%s: close refuses while it is open", name);
    s4j_srcu_synchronize(ssp);
    TAP_OK(__atomic_load_n(&h.left, __ATOMIC_RELAXED),
           "%s: synchronize waited for the external reader", name);
    pthread_join(t, NULL);
    TAP_EQ(s4j_srcu_readers_active(ssp), 0, "%s: and counts it as gone", name);
    TAP_EQ(s4j_srcu_counters_release(ssp, h.c), 0, "%s: release", name);
    TAP_EQ(s4j_srcu_close(ssp), 0, "%s: close", name);
    s4j_srcu_free(ssp);
}

static void test_reuse_and_growth(void)
{
    enum { N = 192 };        /* three full chunks: a released set is then the only free one */
    struct s4j_srcu *ssp;
    struct s4j_srcu_counters *sets[N];
    int distinct = 1;

    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &ssp);
    for (int i = 0; i < N; i++) {
        if (s4j_srcu_counters_claim(ssp, &sets[i]) != 0)
            distinct = 0;
        for (int j = 0; j < i && distinct; j++)
            distinct = sets[j] != sets[i];
    }
    TAP_OK(distinct, "%d claims give %d distinct sets", N, N);

    /* A section entered on one set and left on another still balances. */
    uint32_t idx = ext_lock(ssp, sets[0]);
    ext_unlock(sets[N - 1], idx);
    TAP_EQ(s4j_srcu_readers_active(ssp), 0, "a section may end on other counters than it began on");

    /* A released set keeps an open section's count, and its next owner goes on from there. */
    idx = ext_lock(ssp, sets[7]);
    TAP_EQ(s4j_srcu_counters_release(ssp, sets[7]), 0, "release with a section open");
    struct s4j_srcu_counters *again;
    s4j_srcu_counters_claim(ssp, &again);
    TAP_OK(again == sets[7], "the released set is handed out again");
    TAP_EQ(s4j_srcu_readers_active(ssp), 1, "with its open section still counted");
    ext_unlock(again, idx);
    TAP_EQ(s4j_srcu_readers_active(ssp), 0, "until it ends");

    /* Misuse is refused, never a crash. */
    struct s4j_srcu_counters local;
    TAP_EQ(s4j_srcu_counters_release(ssp, &local), -EINVAL, "release of foreign memory");
    TAP_EQ(s4j_srcu_counters_release(ssp, (struct s4j_srcu_counters *)((char *)sets[1] + 8)), -EINVAL,
           "release of a misaligned address");
    TAP_EQ(s4j_srcu_counters_release(ssp, sets[2]), 0, "release");
    TAP_EQ(s4j_srcu_counters_release(ssp, sets[2]), -EINVAL, "a second release");
    TAP_EQ(s4j_srcu_counters_claim(ssp, NULL), -EINVAL, "claim without out");
    TAP_EQ(s4j_srcu_counters_claim(NULL, &again), -EINVAL, "claim without domain");
    TAP_OK(s4j_srcu_idx_word(ssp) != NULL && s4j_srcu_idx_word(NULL) == NULL, "idx word");
    s4j_srcu_close(ssp);
    s4j_srcu_free(ssp);
}

static struct s4j_srcu_counters *block_set(struct s4j_srcu_counters *first, uint32_t i)
{
    return (struct s4j_srcu_counters *)((char *)first + i * s4j_srcu_counters_stride());
}

static void test_block(void)
{
    enum { N = 100 };        /* not a multiple of a chunk's 64 */
    struct s4j_srcu *ssp;
    struct s4j_srcu_counters *first, *single;
    struct holder h = { 0 };
    pthread_t t;

    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &ssp);
    TAP_OK(s4j_srcu_counters_stride() >= sizeof(struct s4j_srcu_counters)
           && s4j_srcu_counters_stride() % 64 == 0, "a block's sets are whole cache lines apart");
    TAP_EQ(s4j_srcu_counters_claim(ssp, &single), 0, "a single claim");
    TAP_EQ(s4j_srcu_counters_claim_block(ssp, N, &first), 0, "a block of %d", N);
    int zeroed = 1, apart = 1;
    for (uint32_t i = 0; i < N; i++) {
        struct s4j_srcu_counters *c = block_set(first, i);
        zeroed &= c->lock_count[0] == 0 && c->lock_count[1] == 0 && c->unlock_count[0] == 0
                  && c->unlock_count[1] == 0;
        apart &= c != single;
    }
    TAP_OK(zeroed && apart, "its sets start at zero and none is the single claim's");

    /* Only sets marked used are summed. */
    uint32_t idx = ext_lock(ssp, block_set(first, 5));
    TAP_EQ(s4j_srcu_readers_active(ssp), 0, "a lock on a set not marked used is not summed");
    ext_unlock(block_set(first, 5), idx);
    TAP_EQ(s4j_srcu_counters_use(ssp, block_set(first, 0)), 0, "mark the first set used");
    TAP_EQ(s4j_srcu_counters_use(ssp, block_set(first, N - 1)), 0, "mark the last set used");
    TAP_EQ(s4j_srcu_counters_use(ssp, block_set(first, N - 1)), 0, "marking it again changes nothing");

    /* Every set of the block is summed: a grace period waits for a reader on the last one. */
    h.ssp = ssp;
    h.c = block_set(first, N - 1);
    pthread_create(&t, NULL, hold_section, &h);
    while (!__atomic_load_n(&h.entered, __ATOMIC_ACQUIRE))
        sleep_ms(1);
    idx = ext_lock(ssp, block_set(first, 0));
    TAP_EQ(s4j_srcu_readers_active(ssp), 2, "sections on the first and the last set are counted");
    ext_unlock(block_set(first, 0), idx);
    s4j_srcu_synchronize(ssp);
    TAP_OK(__atomic_load_n(&h.left, __ATOMIC_RELAXED), "synchronize waited for the reader on the last set");
    pthread_join(t, NULL);

    /* A single claim after the block still gets a set of a chunk of single claims. */
    struct s4j_srcu_counters *next;
    TAP_EQ(s4j_srcu_counters_claim(ssp, &next), 0, "a single claim after the block");
    int outside = 1;
    for (uint32_t i = 0; i < N; i++)
        outside &= next != block_set(first, i);
    TAP_OK(outside && next != single, "is no set of the block");

    /* Misuse is refused, never a crash. */
    TAP_EQ(s4j_srcu_counters_release(ssp, block_set(first, 3)), -EINVAL, "a block's set is never given back");
    TAP_EQ(s4j_srcu_counters_use(ssp, single), -EINVAL, "only a block's sets are marked used");
    TAP_EQ(s4j_srcu_counters_use(ssp, (struct s4j_srcu_counters *)((char *)first + 8)), -EINVAL,
           "mark a misaligned address");
    TAP_EQ(s4j_srcu_counters_use(ssp, NULL), -EINVAL, "mark nothing");
    TAP_EQ(s4j_srcu_counters_use(NULL, first), -EINVAL, "mark without domain");
    TAP_EQ(s4j_srcu_counters_claim_block(ssp, 0, &first), -EINVAL, "a block of 0");
    TAP_EQ(s4j_srcu_counters_claim_block(ssp, 65537, &first), -EINVAL, "a block above 65536");
    TAP_EQ(s4j_srcu_counters_claim_block(ssp, 1, NULL), -EINVAL, "a block without out");
    TAP_EQ(s4j_srcu_counters_claim_block(NULL, 1, &first), -EINVAL, "a block without domain");
    TAP_EQ(s4j_srcu_readers_active(ssp), 0, "nothing left open");
    TAP_EQ(s4j_srcu_close(ssp), 0, "close");
    s4j_srcu_free(ssp);
}

/*
 * [H]: two threads take turns to claim a set, add to it with the plain load and store
 * increments an owner may use, and release it. The lowest free set is claimed first, so each
 * claim gets the set the other thread has just released, and every increment must survive the
 * hand-over. The turn is passed with relaxed atomics, so any ordering between the owners comes
 * from the claim and the release. (x86 keeps stores in order anyway; on aarch64 a relaxed
 * hand-over lets the next owner add to a stale count.) (litmus: H.handover)
 */
enum { HANDOVER_ROUNDS = 20000, HANDOVER_SETS = 8 };

struct handover {
    struct s4j_srcu *ssp;
    int *turn;
    int me;
    struct s4j_srcu_counters *sets[HANDOVER_SETS];   /* the distinct sets this thread got */
    int nsets, failed;
};

static void plain_add(uint64_t *counter)
{
    __atomic_store_n(counter, __atomic_load_n(counter, __ATOMIC_RELAXED) + 1, __ATOMIC_RELAXED);
}

static void *hand_over(void *arg)
{
    struct handover *h = arg;

    for (int i = 0; i < HANDOVER_ROUNDS; i++) {
        struct s4j_srcu_counters *c;
        while (__atomic_load_n(h->turn, __ATOMIC_RELAXED) != h->me)
            sched_yield();
        if (s4j_srcu_counters_claim(h->ssp, &c) != 0) {
            h->failed = 1;
            return NULL;
        }
        int known = 0;
        for (int j = 0; j < h->nsets; j++)
            known |= h->sets[j] == c;
        if (!known && h->nsets < HANDOVER_SETS)
            h->sets[h->nsets++] = c;
        plain_add(&c->lock_count[i & 1]);
        plain_add(&c->unlock_count[i & 1]);
        if (s4j_srcu_counters_release(h->ssp, c) != 0)
            h->failed = 1;
        __atomic_store_n(h->turn, 1 - h->me, __ATOMIC_RELAXED);
    }
    return NULL;
}

static void test_hand_over(void)
{
    struct s4j_srcu *ssp;
    struct handover h[2] = { 0 };
    pthread_t t[2];
    int turn = 0;

    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &ssp);
    for (int i = 0; i < 2; i++) {
        h[i].ssp = ssp;
        h[i].turn = &turn;
        h[i].me = i;
        pthread_create(&t[i], NULL, hand_over, &h[i]);
    }
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    /* The union of the sets both threads used, and their counts. */
    struct s4j_srcu_counters *all[2 * HANDOVER_SETS];
    int n = 0, shared = 0;
    for (int i = 0; i < 2; i++) {
        for (int j = 0; j < h[i].nsets; j++) {
            int known = 0;
            for (int k = 0; k < n; k++)
                known |= all[k] == h[i].sets[j];
            if (known)
                shared++;
            else
                all[n++] = h[i].sets[j];
        }
    }
    uint64_t locks = 0, unlocks = 0;
    for (int k = 0; k < n; k++) {
        locks += all[k]->lock_count[0] + all[k]->lock_count[1];
        unlocks += all[k]->unlock_count[0] + all[k]->unlock_count[1];
    }
    printf("# %d sets, %d of them used by both threads\n", n, shared);
    TAP_OK(!h[0].failed && !h[1].failed, "claims and releases succeed");
    TAP_OK(shared > 0, "sets passed from one thread to the other");
    TAP_EQ(locks, 2 * HANDOVER_ROUNDS, "no lock increment was lost in the hand-overs");
    TAP_EQ(unlocks, 2 * HANDOVER_ROUNDS, "no unlock increment was lost");
    TAP_EQ(s4j_srcu_readers_active(ssp), 0, "the sums balance");
    TAP_EQ(s4j_srcu_synchronize(ssp), 0, "and a grace period ends");
    s4j_srcu_close(ssp);
    s4j_srcu_free(ssp);
}

/* Pages of [p, p + bytes) the kernel has backed with memory (mincore), p page-aligned. */
static size_t resident_pages(void *p, size_t bytes)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE), n = (bytes + page - 1) / page, resident = 0;
    unsigned char vec[n];

    if (mincore(p, bytes, vec) != 0)
        return (size_t)-1;
    for (size_t i = 0; i < n; i++)
        resident += vec[i] & 1;
    return resident;
}

/* A block costs memory only where readers write: untouched sets are pages the kernel never backed. */
static void test_block_memory_on_demand(void)
{
    struct s4j_srcu *ssp;
    struct s4j_srcu_counters *base;
    size_t stride = (size_t)s4j_srcu_counters_stride(), bytes = 256 * stride;

    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &ssp);
    TAP_EQ(s4j_srcu_counters_claim_block(ssp, 256, &base), 0, "a block of 256 sets");
    TAP_EQ(((uintptr_t)base) % (uintptr_t)sysconf(_SC_PAGESIZE), 0, "its sets start on a page");
    TAP_EQ(resident_pages(base, bytes), 0, "no page of an unused block is backed, scans included");
    s4j_srcu_synchronize(ssp);
    TAP_EQ(resident_pages(base, bytes), 0, "a grace period reads no unused set");
    struct s4j_srcu_counters *set = (struct s4j_srcu_counters *)((char *)base + 100 * stride);
    s4j_srcu_counters_use(ssp, set);
    uint32_t idx = ext_lock(ssp, set);
    TAP_EQ(resident_pages(base, bytes), 1, "the first reader's set brings in one page");
    ext_unlock(set, idx);
    s4j_srcu_synchronize(ssp);
    s4j_srcu_close(ssp);
    TAP_EQ(s4j_srcu_free(ssp), 0, "the mapping goes with the domain");
}

int main(void)
{
    test_grace_period_waits(S4J_FLAVOR_CLASSIC, "classic");
    test_grace_period_waits(S4J_FLAVOR_FAST, "fast");
    test_reuse_and_growth();
    test_hand_over();
    test_block();
    test_block_memory_on_demand();
    return tap_done();
}
