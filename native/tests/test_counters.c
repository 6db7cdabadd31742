/*
 * External readers' counters (s4j_srcu_counters_claim): a reader that updates claimed counters
 * itself, as the Java layer's direct path does, is waited for by grace periods; sets are reused
 * with their counts; bad arguments are refused.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>

#include "srcu4j/srcu4j.h"
#include "tap.h"

/* The external reader's protocol, as srcu4j.h states it. */
static uint32_t ext_lock(struct s4j_srcu *ssp, struct s4j_srcu_counters *c)
{
    uint32_t idx = (uint32_t)__atomic_load_n(s4j_srcu_idx_word(ssp), __ATOMIC_RELAXED) & 1;

    __atomic_store_n(&c->lock_count[idx], c->lock_count[idx] + 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* [B] */
    return idx;
}

static void ext_unlock(struct s4j_srcu_counters *c, uint32_t idx)
{
    /* [C]: the section before the increment; release ordering. */
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

int main(void)
{
    test_grace_period_waits(S4J_FLAVOR_CLASSIC, "classic");
    test_grace_period_waits(S4J_FLAVOR_FAST, "fast");
    test_reuse_and_growth();
    return tap_done();
}
