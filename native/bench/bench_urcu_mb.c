// SPDX-License-Identifier: Apache-2.0
/*
 * liburcu mb flavor (a full fence in the read side, none needed from the writer): the reference
 * for fenced readers. Inlined with _LGPL_SOURCE; its own unit because its header maps the same
 * generic names as the memb flavor's.
 */
#define _LGPL_SOURCE
#define _GNU_SOURCE
#include <urcu/urcu-mb.h>

#include "bench.h"

void urcu_mb_bench_register(void)
{
    urcu_mb_register_thread();
}

void urcu_mb_bench_unregister(void)
{
    urcu_mb_unregister_thread();
}

__attribute__((noinline)) void urcu_mb_bench_read_pair(void *arg, uint64_t iters)
{
    (void)arg;
    for (uint64_t i = 0; i < iters; i++) {
        urcu_mb_read_lock();
        urcu_mb_read_unlock();
    }
}

void urcu_mb_bench_synchronize(void *arg)
{
    (void)arg;
    urcu_mb_synchronize_rcu();
}
