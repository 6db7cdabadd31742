// SPDX-License-Identifier: Apache-2.0
/*
 * liburcu memb flavor through its exported functions (no _LGPL_SOURCE): the reference for
 * srcu4j's exported read pairs, which are calls too. The thread registration is shared with
 * bench_urcu_memb.c (one library, one per-thread reader state).
 */
#define _GNU_SOURCE
#include <urcu/urcu-memb.h>

#include "bench.h"

__attribute__((noinline)) void urcu_memb_calls_bench_read_pair(void *arg, uint64_t iters)
{
    (void)arg;
    for (uint64_t i = 0; i < iters; i++) {
        urcu_memb_read_lock();
        urcu_memb_read_unlock();
    }
}
