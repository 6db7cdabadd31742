// SPDX-License-Identifier: Apache-2.0
/*
 * call_srcu's shards, one per CPU: threads homed on different CPUs push onto different queues; a
 * thread keeps its home when it migrates, so its callbacks still run in the order it queued them;
 * a barrier waits for the callbacks of every shard, also those the worker chains after the
 * barrier caller's own shard. Each case first holds the domain's worker inside a callback (the
 * gate), so that what the threads queue meanwhile is taken as one batch.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "srcu4j/srcu4j.h"
#include "counted.h"
#include "srcu_internal.h"
#include "tap.h"

static void pin(int cpu)
{
    cpu_set_t set;

    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    sched_setaffinity(0, sizeof(set), &set);
}

/* The gate: a callback that holds its worker until opened. */
static int gate_running, gate_open;
static struct s4j_srcu_head gate_head;

static void gate_run(struct s4j_srcu_head *head)
{
    __atomic_store_n(&gate_running, 1, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&gate_open, __ATOMIC_ACQUIRE))
        sleep_ms(1);
}

static void gate_close(struct s4j_srcu *ssp)
{
    __atomic_store_n(&gate_running, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&gate_open, 0, __ATOMIC_RELAXED);
    s4j_call_srcu(ssp, &gate_head, gate_run);
    while (!__atomic_load_n(&gate_running, __ATOMIC_ACQUIRE))
        sleep_ms(1);
}

static void gate_release(void)
{
    __atomic_store_n(&gate_open, 1, __ATOMIC_RELEASE);
}

/* Runs fn(arg) on a new thread pinned to cpu before its first call_srcu (its home), and joins. */
struct pinned {
    int cpu;
    void (*fn)(void *);
    void *arg;
};

static void *pinned_main(void *arg)
{
    struct pinned *p = arg;

    pin(p->cpu);
    p->fn(p->arg);
    return NULL;
}

static void on_new_thread(int cpu, void (*fn)(void *), void *arg)
{
    struct pinned p = { cpu, fn, arg };
    pthread_t t;

    pthread_create(&t, NULL, pinned_main, &p);
    pthread_join(t, NULL);
}

/* ---- a migrating thread's order */

enum { HALF = 100 };

struct logged {
    struct s4j_srcu_head head;
    int seq;
};

static int run_log[2 * HALF], run_len;
static struct logged logged[2 * HALF];

static void log_run(struct s4j_srcu_head *head)
{
    struct logged *l = (struct logged *)((char *)head - offsetof(struct logged, head));

    /* One worker at a time runs a domain's callbacks: plain accesses. */
    if (run_len < 2 * HALF)
        run_log[run_len++] = l->seq;
}

static void queue_then_migrate(void *arg)
{
    struct s4j_srcu *ssp = arg;

    gate_close(ssp);                /* the home: CPU 1, where this thread makes its first call */
    for (int i = 0; i < HALF; i++)
        s4j_call_srcu(ssp, &logged[i].head, log_run);
    pin(0);
    for (int i = HALF; i < 2 * HALF; i++)
        s4j_call_srcu(ssp, &logged[i].head, log_run);
}

static void test_order_across_migration(void)
{
    struct s4j_srcu *ssp;

    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &ssp);
    for (int i = 0; i < 2 * HALF; i++)
        logged[i].seq = i;
    on_new_thread(1, queue_then_migrate, ssp);
    gate_release();
    TAP_EQ(s4j_srcu_barrier(ssp), 0, "barrier");
    TAP_EQ(run_len, 2 * HALF, "every callback of the migrating thread ran");
    int in_order = 1;
    for (int i = 0; i < run_len; i++)
        in_order &= run_log[i] == i;
    TAP_OK(in_order, "in the order it queued them, although it moved from CPU 1 to CPU 0 "
           "midway (one batch)");
    s4j_srcu_close(ssp);
    s4j_srcu_free(ssp);
}

/* ---- a barrier behind another shard's callbacks, and the shards' tails */

static struct s4j_srcu *shared;
static int total;
static struct counted items[HALF];

struct barrier_call {
    int rc, seen, returned;
};

static struct barrier_call bc;

/* The first callback of CPU 1's shard holds the worker for up to 100 ms unless the barrier has
 * returned: a barrier that returned before it ran is then caught before the others run. */
static void count_after_a_while(struct s4j_srcu_head *head)
{
    for (int i = 0; i < 100 && !__atomic_load_n(&bc.returned, __ATOMIC_ACQUIRE); i++)
        sleep_ms(1);
    count_run(head);
}

static void queue_items(void *arg)
{
    (void)arg;
    gate_close(shared);             /* home: CPU 1 */
    for (int i = 0; i < HALF; i++) {
        items[i].total = &total;
        s4j_call_srcu(shared, &items[i].head, i == 0 ? count_after_a_while : count_run);
    }
}

static void *barrier_main(void *arg)
{
    struct barrier_call *b = arg;

    pin(0);
    b->rc = s4j_srcu_barrier(shared);
    /* [K]: the callbacks before the barrier ran, and their stores are seen. (litmus: K.mp) */
    b->seen = __atomic_load_n(&total, __ATOMIC_ACQUIRE);
    __atomic_store_n(&b->returned, 1, __ATOMIC_RELEASE);
    return NULL;
}

static struct counted cpu0_item;

static void queue_one(void *arg)
{
    (void)arg;
    s4j_call_srcu(shared, &cpu0_item.head, count_run);
}

static void test_barrier_waits_for_every_shard(void)
{
    struct barrier_call *b = &bc;
    pthread_t t;

    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &shared);
    on_new_thread(1, queue_items, NULL);
    /* A thread homed on CPU 0, whose shard the worker takes before CPU 1's. */
    cpu0_item.total = &total;
    on_new_thread(0, queue_one, NULL);
    TAP_OK(shared->shards[1].tail == &items[HALF - 1].head &&
           shared->shards[0].tail == &cpu0_item.head,
           "threads homed on CPUs 0 and 1 queued onto the shards of their CPUs");
    pthread_create(&t, NULL, barrier_main, b);
    sleep_ms(20);
    TAP_EQ(__atomic_load_n(&b->returned, __ATOMIC_ACQUIRE), 0,
           "the barrier waits while the worker is held");
    gate_release();
    pthread_join(t, NULL);
    TAP_EQ(b->rc, 0, "barrier from CPU 0");
    TAP_EQ(b->seen, HALF + 1, "it returned after every callback queued before it, on both shards");
    s4j_srcu_close(shared);
    s4j_srcu_free(shared);
}

int main(void)
{
    cpu_set_t set;

    tap_watchdog(60, "call_srcu shards");
    if (sched_getaffinity(0, sizeof(set), &set) != 0 || !CPU_ISSET(0, &set) ||
        !CPU_ISSET(1, &set)) {
        TAP_SKIP("CPUs 0 and 1 are not both usable here: no migration between shards to show");
        return tap_done();
    }
    test_order_across_migration();
    test_barrier_waits_for_every_shard();
    return tap_done();
}
