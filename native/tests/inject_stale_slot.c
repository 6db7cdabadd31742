// SPDX-License-Identifier: Apache-2.0
/*
 * A read_lock section ended in another thread, with the domain closed and freed right after its
 * unlock is counted. Built with the sources and -DS4J_TEST_DELAY_INJECT, under ASan + UBSan: the
 * unlocking thread stops at injection point 2, just after the count, while the main thread
 * closes and frees the domain and creates a new one.
 *
 * The entering thread keeps a depth of 1 in the freed domain's tracking slot. The slot must not
 * go back to the pool (it was marked stale before the count), so the new domain's synchronize in
 * that thread is not refused with a false -EDEADLK; and nothing may touch the freed domain
 * after the count (ASan would report it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>

#include "srcu4j/srcu4j.h"
#include "tap.h"

static __thread int unlocker;       /* the thread to stop at point 2 */
static int stopped, go_on;

void s4j_test_inject(int point)
{
    if (point != 2 || !unlocker)
        return;
    __atomic_store_n(&stopped, 1, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&go_on, __ATOMIC_ACQUIRE))
        sleep_ms(1);
}

struct unlock_call {
    struct s4j_srcu *ssp;
    int32_t idx;
};

static void *unlock_elsewhere(void *arg)
{
    struct unlock_call *u = arg;

    unlocker = 1;
    s4j_srcu_read_unlock(u->ssp, u->idx);
    return NULL;
}

int main(void)
{
    struct unlock_call u;
    pthread_t t;

    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &u.ssp);
    u.idx = s4j_srcu_read_lock(u.ssp);
    pthread_create(&t, NULL, unlock_elsewhere, &u);
    while (!__atomic_load_n(&stopped, __ATOMIC_ACQUIRE))
        sleep_ms(1);
    /* The unlock is counted; the unlocking thread has not returned yet. */
    TAP_EQ(s4j_srcu_readers_active(u.ssp), 0, "the section ended in the other thread is counted");
    TAP_EQ(s4j_srcu_close(u.ssp), 0, "close");
    TAP_EQ(s4j_srcu_free(u.ssp), 0, "free, while the unlocking thread is still in the unlock");
    struct s4j_srcu *next;
    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &next);
    TAP_EQ(s4j_srcu_synchronize(next), 0,
           "a new domain's synchronize in the entering thread is not refused");
    __atomic_store_n(&go_on, 1, __ATOMIC_RELEASE);
    pthread_join(t, NULL);
    TAP_OK(1, "the unlocking thread returned without touching the freed domain");
    s4j_srcu_close(next);
    s4j_srcu_free(next);
    return tap_done();
}
