// SPDX-License-Identifier: Apache-2.0
/*
 * Counters of the futex wake-ups producers issue to parked workers, and of the workers' parks:
 * process-wide, read with s4j_wake_stats_get(). Internal.
 *
 * They are bumped on the slow path only (next to a system call), with relaxed atomics: they order
 * nothing, and a reader gets a snapshot that may be a few events old.
 */
#ifndef S4J_WAKE_STATS_H
#define S4J_WAKE_STATS_H

#include <stdint.h>

enum s4j_wake_counter {
    S4J_COUNT_CALLBACK_WAKEUPS,   /* a call_srcu/start_poll/close caller woke a domain's worker */
    S4J_COUNT_CALLBACK_PARKS,     /* a domain's worker slept in the kernel */
    S4J_COUNT_DEFER_WAKEUPS,      /* an s4j_defer() caller woke the deferral worker */
    S4J_COUNT_DEFER_PARKS,        /* the deferral worker slept in the kernel */
    S4J_COUNT_MAX
};

extern uint64_t s4j_wake_counters[S4J_COUNT_MAX];

static inline void s4j_wake_count(enum s4j_wake_counter which)
{
    __atomic_fetch_add(&s4j_wake_counters[which], 1, __ATOMIC_RELAXED);
}

#endif
