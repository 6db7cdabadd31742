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

uint64_t urcu_memb_bench_call_rcu(uint64_t n, int64_t *queued_at)
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
    uint64_t before = __atomic_load_n(&cb_done.count, __ATOMIC_RELAXED);
    for (uint64_t i = 0; i < n; i++)
        urcu_memb_call_rcu(&heads[i], count_cb);
    *queued_at = now_ns();
    urcu_memb_barrier();
    return __atomic_load_n(&cb_done.count, __ATOMIC_RELAXED) - before;
}

void urcu_memb_bench_call_rcu_free(void)
{
    free(heads);
    heads = NULL;
    nheads = 0;
}
