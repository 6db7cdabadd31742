// SPDX-License-Identifier: Apache-2.0
/*
 * A thread that holds a fast domain's inline read section open until told to end it, for the C
 * tests of the per-thread count words: fast_holder_start() returns once the section is entered,
 * fast_holder_end() ends it and joins the thread. Header-only.
 */
#ifndef S4J_FAST_HOLDER_H
#define S4J_FAST_HOLDER_H

#include <pthread.h>

#include "srcu4j/inline.h"
#include "tap.h"

struct fast_holder {
    struct s4j_srcu *ssp;
    int entered, release;
    pthread_t t;
};

static inline void *fast_holder_main(void *arg)
{
    struct fast_holder *h = arg;
    int32_t idx = s4j_inline_read_lock_fast(h->ssp);

    /* Release/acquire with fast_holder_start(): the test acts only once the section is open. */
    __atomic_store_n(&h->entered, 1, __ATOMIC_RELEASE);
    /* Acquire: pairs with fast_holder_end()'s release; what the test did before comes first. */
    while (!__atomic_load_n(&h->release, __ATOMIC_ACQUIRE))
        sleep_ms(1);
    s4j_inline_read_unlock_fast(h->ssp, idx);
    return NULL;
}

static inline void fast_holder_start(struct fast_holder *h, struct s4j_srcu *ssp)
{
    *h = (struct fast_holder){ .ssp = ssp };
    pthread_create(&h->t, NULL, fast_holder_main, h);
    while (!__atomic_load_n(&h->entered, __ATOMIC_ACQUIRE))
        sleep_ms(1);
}

static inline void fast_holder_end(struct fast_holder *h)
{
    __atomic_store_n(&h->release, 1, __ATOMIC_RELEASE);
    pthread_join(h->t, NULL);
}

#endif
