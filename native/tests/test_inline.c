// SPDX-License-Identifier: Apache-2.0
/* srcu4j/inline.h against the library: same counters, same refusals, same grace periods. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>

#include "srcu4j/inline.h"
#include "tap.h"

struct holder {
    struct s4j_srcu *ssp;
    int entered, left;
};

static void *hold_inline_fast(void *arg)
{
    struct holder *h = arg;
    int32_t idx = s4j_inline_read_lock_fast(h->ssp);

    __atomic_store_n(&h->entered, 1, __ATOMIC_RELEASE);
    sleep_ms(80);
    __atomic_store_n(&h->left, 1, __ATOMIC_RELAXED);
    s4j_inline_read_unlock_fast(h->ssp, idx);
    return NULL;
}

int main(void)
{
    struct s4j_srcu *fast, *classic, *safe;

    s4j_srcu_create(S4J_FLAVOR_FAST, &fast);
    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &classic);
    s4j_srcu_create(S4J_FLAVOR_SIGNAL_SAFE, &safe);
    int fast_is_fast = s4j_srcu_flavor(fast) == S4J_FLAVOR_FAST;

    TAP_EQ(s4j_inline_read_lock_fast(classic), -EINVAL, "inline fast lock refuses a classic domain");
    TAP_EQ(s4j_inline_read_lock(safe), -EINVAL, "inline classic lock refuses a signal-safe domain");

    int32_t a = s4j_inline_read_lock(classic);
    int32_t b = s4j_inline_read_lock_signal_safe(safe);
    TAP_EQ(s4j_srcu_readers_active(classic) + s4j_srcu_readers_active(safe), 2,
           "inline sections are counted by the library");
    TAP_EQ(s4j_srcu_synchronize(classic), -EDEADLK, "and tracked: synchronize inside is refused");
    s4j_srcu_read_unlock(classic, a);                  /* entered inline, left exported */
    s4j_inline_read_unlock_signal_safe(safe, b);
    TAP_EQ(s4j_srcu_readers_active(classic) + s4j_srcu_readers_active(safe), 0,
           "inline and exported unlocks balance them");

    if (fast_is_fast) {
        struct holder h = { fast, 0, 0 };
        pthread_t t;
        pthread_create(&t, NULL, hold_inline_fast, &h);
        while (!__atomic_load_n(&h.entered, __ATOMIC_ACQUIRE))
            sched_yield();
        TAP_EQ(s4j_srcu_synchronize(fast), 0, "synchronize on a fast domain");
        TAP_OK(__atomic_load_n(&h.left, __ATOMIC_RELAXED),
               "it waited for the inline fast reader that predates it");
        pthread_join(t, NULL);
    } else {
        printf("# membarrier unavailable: no fast domain to test\n");
    }
    long n = 0;
    for (int i = 0; i < 1000000; i++) {
        int32_t idx = s4j_inline_read_lock_fast(fast_is_fast ? fast : classic);
        n += idx >= 0 || !fast_is_fast;
        s4j_inline_read_unlock_fast(fast_is_fast ? fast : classic, idx);
    }
    TAP_EQ(s4j_srcu_readers_active(fast_is_fast ? fast : classic), 0,
           "a million inline pairs balance (%ld counted)", n);

    s4j_srcu_close(fast);
    s4j_srcu_close(classic);
    s4j_srcu_close(safe);
    s4j_srcu_free(fast);
    s4j_srcu_free(classic);
    s4j_srcu_free(safe);
    return tap_done();
}
