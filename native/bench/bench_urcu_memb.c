// SPDX-License-Identifier: Apache-2.0
/*
 * liburcu memb flavor (readers without fences; synchronize_rcu uses membarrier): the reference
 * for srcu4j's rows. Built with _LGPL_SOURCE, so the read side is inlined as in liburcu's own
 * benchmarks.
 */
#define _LGPL_SOURCE
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <urcu/urcu-memb.h>

#include "bench.h"

void urcu_memb_bench_register(void)
{
    urcu_memb_register_thread();
}

void urcu_memb_bench_unregister(void)
{
    urcu_memb_unregister_thread();
}

__attribute__((noinline)) void urcu_memb_bench_read_pair(void *arg, uint64_t iters)
{
    (void)arg;
    for (uint64_t i = 0; i < iters; i++) {
        urcu_memb_read_lock();
        urcu_memb_read_unlock();
    }
}

void urcu_memb_bench_synchronize(void *arg)
{
    (void)arg;
    urcu_memb_synchronize_rcu();
}

/* Callback counter on its own line: only the call_rcu worker writes it. */
static struct {
    uint64_t count __attribute__((aligned(128)));
} cb_done;

static struct rcu_head *heads;
static uint64_t nheads;

static void count_cb(struct rcu_head *head)
{
    (void)head;
    __atomic_fetch_add(&cb_done.count, 1, __ATOMIC_RELAXED);
}

void urcu_memb_bench_call_rcu_prepare(uint64_t n)
{
    if (nheads < n) {
        free(heads);
        heads = calloc(n, sizeof(*heads));
        if (!heads) {
            perror("calloc");
            exit(1);
        }
        nheads = n;
    }
}

void urcu_memb_bench_call_rcu_range(uint64_t from, uint64_t to)
{
    for (uint64_t i = from; i < to; i++)
        urcu_memb_call_rcu(&heads[i], count_cb);
}

void urcu_memb_bench_call_rcu_barrier(void)
{
    urcu_memb_barrier();
}

uint64_t urcu_memb_bench_call_rcu_count(void)
{
    return __atomic_load_n(&cb_done.count, __ATOMIC_RELAXED);
}

uint64_t urcu_memb_bench_call_rcu(uint64_t n, int64_t *queued_at)
{
    urcu_memb_bench_call_rcu_prepare(n);
    uint64_t before = urcu_memb_bench_call_rcu_count();
    urcu_memb_bench_call_rcu_range(0, n);
    *queued_at = now_ns();
    urcu_memb_barrier();
    return urcu_memb_bench_call_rcu_count() - before;
}

void urcu_memb_bench_call_rcu_free(void)
{
    free(heads);
    heads = NULL;
    nheads = 0;
}
