/* call_srcu, barrier, close's drain, and what close refuses. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "srcu4j/srcu4j.h"
#include "tap.h"

struct counted {
    struct s4j_srcu_head head;
    int runs;
    int *total;
};

static void count_run(struct s4j_srcu_head *head)
{
    struct counted *c = (struct counted *)((char *)head - offsetof(struct counted, head));
    __atomic_fetch_add(&c->runs, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(c->total, 1, __ATOMIC_RELAXED);
}

struct producer {
    struct s4j_srcu *ssp;
    struct counted *items;
    int n;
};

static void *produce(void *arg)
{
    struct producer *p = arg;
    for (int i = 0; i < p->n; i++)
        s4j_call_srcu(p->ssp, &p->items[i].head, count_run);
    return NULL;
}

static void test_each_callback_runs_once(void)
{
    enum { PER_THREAD = 50000, THREADS = 3 };
    struct s4j_srcu *ssp;
    struct producer prod[THREADS];
    pthread_t t[THREADS];
    int total = 0;
    struct counted *items = calloc(PER_THREAD * THREADS, sizeof(*items));

    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &ssp);
    for (int i = 0; i < PER_THREAD * THREADS; i++)
        items[i].total = &total;
    for (int i = 0; i < THREADS; i++) {
        prod[i] = (struct producer){ ssp, items + i * PER_THREAD, PER_THREAD };
        pthread_create(&t[i], NULL, produce, &prod[i]);
    }
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    TAP_EQ(s4j_srcu_barrier(ssp), 0, "barrier");
    /* [K]: the callbacks' stores are visible once barrier returns. */
    TAP_EQ(total, PER_THREAD * THREADS, "every queued callback ran before barrier returned");
    int once = 1;
    for (int i = 0; i < PER_THREAD * THREADS; i++)
        once &= items[i].runs == 1;
    TAP_OK(once, "each callback ran exactly once");
    s4j_srcu_close(ssp);
    s4j_srcu_free(ssp);
    free(items);
}

static void test_callback_waits_for_reader(void)
{
    struct s4j_srcu *ssp;
    int total = 0;
    struct counted c = { .total = &total };

    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &ssp);
    int idx = s4j_srcu_read_lock(ssp);
    s4j_call_srcu(ssp, &c.head, count_run);
    sleep_ms(60);
    TAP_EQ(__atomic_load_n(&total, __ATOMIC_RELAXED), 0,
           "a callback does not run while a reader that predates it is inside");
    s4j_srcu_read_unlock(ssp, idx);
    s4j_srcu_barrier(ssp);
    TAP_EQ(total, 1, "it runs once the reader left");
    /* The worker parks when idle; a call after a pause must wake it. */
    sleep_ms(30);
    s4j_call_srcu(ssp, &c.head, count_run);
    s4j_srcu_barrier(ssp);
    TAP_EQ(total, 2, "a call made while the worker was parked wakes it");
    s4j_srcu_close(ssp);
    s4j_srcu_free(ssp);
}

static void test_close_drains_and_refuses(void)
{
    enum { N = 1000 };
    struct s4j_srcu *ssp;
    int total = 0;
    struct counted *items = calloc(N, sizeof(*items));
    struct counted late = { .total = &total };

    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &ssp);
    for (int i = 0; i < N; i++) {
        items[i].total = &total;
        s4j_call_srcu(ssp, &items[i].head, count_run);
    }
    TAP_EQ(s4j_srcu_close(ssp), 0, "close with callbacks pending");
    TAP_EQ(total, N, "close ran every pending callback");
    TAP_EQ(s4j_call_srcu(ssp, &late.head, count_run), -ESHUTDOWN,
           "call_srcu after close is refused, not dropped");
    TAP_EQ(s4j_srcu_barrier(ssp), 0, "barrier after close returns");
    TAP_EQ(s4j_call_srcu(ssp, NULL, count_run), -EINVAL, "null head is refused");
    TAP_EQ(s4j_call_srcu(ssp, &late.head, NULL), -EINVAL, "null func is refused");
    s4j_srcu_free(ssp);
    free(items);
}

/* A callback that calls back into its own domain. */
static struct s4j_srcu *self_ssp;
static int self_barrier_rc, self_close_rc, requeued;
static struct s4j_srcu_head self_head, requeue_head;

static void requeue_run(struct s4j_srcu_head *head)
{
    __atomic_store_n(&requeued, 1, __ATOMIC_RELAXED);
}

static void self_run(struct s4j_srcu_head *head)
{
    self_barrier_rc = s4j_srcu_barrier(self_ssp);
    self_close_rc = s4j_srcu_close(self_ssp);
    s4j_call_srcu(self_ssp, &requeue_head, requeue_run);
}

static void test_callback_reentry(void)
{
    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &self_ssp);
    s4j_call_srcu(self_ssp, &self_head, self_run);
    s4j_srcu_barrier(self_ssp);
    TAP_EQ(self_barrier_rc, -EDEADLK, "barrier from the domain's own callback is refused");
    TAP_EQ(self_close_rc, -EDEADLK, "close from the domain's own callback is refused");
    s4j_srcu_barrier(self_ssp);
    TAP_EQ(requeued, 1, "a callback may queue another callback on its domain");
    s4j_srcu_close(self_ssp);
    s4j_srcu_free(self_ssp);
}

/* With a section open, close refuses and the domain stays open: classic, and fast (whose
 * readers have no barrier of their own: the check needs [X]). */
static void test_close_refused_with_reader(int32_t flavor, const char *name)
{
    struct s4j_srcu *ssp;
    int total = 0;
    struct counted c = { .total = &total };

    s4j_srcu_create(flavor, &ssp);
    int32_t idx = flavor == S4J_FLAVOR_FAST ? s4j_srcu_read_lock_fast(ssp) : s4j_srcu_read_lock(ssp);
    TAP_EQ(s4j_srcu_close(ssp), -EBUSY, "%s: close with a section open", name);
    TAP_EQ(s4j_call_srcu(ssp, &c.head, count_run), 0, "%s: the domain stays open", name);
    if (flavor == S4J_FLAVOR_FAST)
        s4j_srcu_read_unlock_fast(ssp, idx);
    else
        s4j_srcu_read_unlock(ssp, idx);
    TAP_EQ(s4j_srcu_close(ssp), 0, "%s: close once the section ended", name);
    TAP_EQ(total, 1, "%s: the callback queued before ran", name);
    s4j_srcu_free(ssp);
}

int main(void)
{
    test_each_callback_runs_once();
    test_callback_waits_for_reader();
    test_close_drains_and_refuses();
    test_callback_reentry();
    test_close_refused_with_reader(S4J_FLAVOR_CLASSIC, "classic");
    test_close_refused_with_reader(S4J_FLAVOR_FAST, "fast");
    return tap_done();
}
