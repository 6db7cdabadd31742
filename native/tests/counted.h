// SPDX-License-Identifier: Apache-2.0
/*
 * A callback (or deferred function) that counts its runs, for the C tests: struct counted embeds
 * the head; count_run() adds one to the item's runs and to a total the items share; await_total()
 * waits for a total. Header-only.
 */
#ifndef S4J_COUNTED_H
#define S4J_COUNTED_H

#include <stddef.h>

#include "srcu4j/srcu4j.h"
#include "tap.h"

struct counted {
    struct s4j_srcu_head head;
    int runs;
    int *total;
};

static inline struct counted *counted_of(struct s4j_srcu_head *head)
{
    return (struct counted *)((char *)head - offsetof(struct counted, head));
}

static inline void count_run(struct s4j_srcu_head *head)
{
    struct counted *c = counted_of(head);

    __atomic_fetch_add(&c->runs, 1, __ATOMIC_RELAXED);
    /* Release: the run before a waiter's acquire load of the total. */
    __atomic_fetch_add(c->total, 1, __ATOMIC_RELEASE);
}

/* Waits up to ms milliseconds for *total to reach want; returns the last value seen. */
static inline int await_total(int *total, int want, int ms)
{
    for (int i = 0; i < ms; i++) {
        int now = __atomic_load_n(total, __ATOMIC_ACQUIRE);
        if (now >= want)
            return now;
        sleep_ms(1);
    }
    return __atomic_load_n(total, __ATOMIC_ACQUIRE);
}

#endif
