// SPDX-License-Identifier: Apache-2.0
/* s4j_defer: exactly once, in order, from a read section, from callbacks and deferred functions;
 * bad input; the wake-up counters; errno left alone. (Signal handlers: test_defer_hazard.c.) */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "srcu4j/srcu4j.h"
#include "counted.h"
#include "tap.h"

struct producer {
    struct counted *items;
    int n;
    int rc;
};

static void *produce(void *arg)
{
    struct producer *p = arg;
    for (int i = 0; i < p->n; i++)
        p->rc |= s4j_defer(&p->items[i].head, count_run);
    return NULL;
}

static void test_each_item_runs_once(void)
{
    enum { PER_THREAD = 50000, THREADS = 3 };
    struct producer prod[THREADS];
    pthread_t t[THREADS];
    int total = 0;
    struct counted *items = calloc(PER_THREAD * THREADS, sizeof(*items));

    for (int i = 0; i < PER_THREAD * THREADS; i++)
        items[i].total = &total;
    for (int i = 0; i < THREADS; i++) {
        prod[i] = (struct producer){ items + i * PER_THREAD, PER_THREAD, 0 };
        pthread_create(&t[i], NULL, produce, &prod[i]);
    }
    int rc = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        rc |= prod[i].rc;
    }
    TAP_EQ(rc, 0, "s4j_defer from %d threads returned 0", THREADS);
    TAP_EQ(await_total(&total, PER_THREAD * THREADS, 30000), PER_THREAD * THREADS,
           "every deferred item ran");
    sleep_ms(20);
    TAP_EQ(__atomic_load_n(&total, __ATOMIC_ACQUIRE), PER_THREAD * THREADS, "and no more");
    int once = 1;
    for (int i = 0; i < PER_THREAD * THREADS; i++)
        once &= items[i].runs == 1;
    TAP_OK(once, "each item ran exactly once");
    free(items);
}

/* Items record the order they ran in. */
static int order_log[64], order_len;

struct ordered {
    struct s4j_srcu_head head;
    int seq;
};

static void log_order(struct s4j_srcu_head *head)
{
    struct ordered *o = (struct ordered *)((char *)head - offsetof(struct ordered, head));
    int at = __atomic_load_n(&order_len, __ATOMIC_RELAXED);
    order_log[at] = o->seq;
    /* Release: the log entry before the waiter's acquire load of the length. */
    __atomic_store_n(&order_len, at + 1, __ATOMIC_RELEASE);
}

static void test_items_run_in_order(void)
{
    struct ordered items[64];

    for (int i = 0; i < 64; i++) {
        items[i].seq = i;
        s4j_defer(&items[i].head, log_order);
    }
    TAP_EQ(await_total(&order_len, 64, 30000), 64, "64 items from one thread ran");
    int in_order = 1;
    for (int i = 0; i < 64; i++)
        in_order &= order_log[i] == i;
    TAP_OK(in_order, "in the order they were deferred");
}

static void test_bad_input(void)
{
    struct counted c = { 0 };

    TAP_EQ(s4j_defer(NULL, count_run), -EINVAL, "a null head is refused");
    TAP_EQ(s4j_defer(&c.head, NULL), -EINVAL, "a null func is refused");
    TAP_EQ(s4j_wake_stats_get(NULL), -EINVAL, "wake stats into a null pointer are refused");
}

static void test_inside_read_section(void)
{
    struct s4j_srcu *ssp;
    int total = 0, cb_total = 0;
    struct counted item = { .total = &total }, cb = { .total = &cb_total };

    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &ssp);
    int idx = s4j_srcu_read_lock(ssp);
    TAP_EQ(s4j_defer(&item.head, count_run), 0, "s4j_defer inside a read section");
    TAP_EQ(await_total(&total, 1, 30000), 1, "the item runs while the section is still open");
    TAP_EQ(s4j_call_srcu(ssp, &cb.head, count_run), 0,
           "s4j_call_srcu inside a read section returns at once");
    sleep_ms(30);
    TAP_EQ(__atomic_load_n(&cb_total, __ATOMIC_ACQUIRE), 0,
           "its callback waits for the section to end");
    s4j_srcu_read_unlock(ssp, idx);
    s4j_srcu_barrier(ssp);
    TAP_EQ(cb_total, 1, "and runs once it ended");
    s4j_srcu_close(ssp);
    s4j_srcu_free(ssp);
}

/*
 * From callbacks and deferred functions: a call_srcu callback defers an item; that deferred
 * function defers again (re-entry on the deferral worker), then calls s4j_call_srcu and
 * s4j_srcu_synchronize, which it may (it runs on a normal thread, in no read section).
 */
static struct s4j_srcu *chain_ssp;
static int chain_total, chain_sync_rc = 1;
static struct counted chain_last = { .total = &chain_total };
static struct s4j_srcu_head chain_cb, chain_deferred, chain_again;

static void chain_step3(struct s4j_srcu_head *head)
{
    chain_sync_rc = s4j_srcu_synchronize(chain_ssp);
    s4j_call_srcu(chain_ssp, &chain_last.head, count_run);
}

static void chain_step2(struct s4j_srcu_head *head)
{
    s4j_defer(&chain_again, chain_step3);
}

static void chain_step1(struct s4j_srcu_head *head)
{
    s4j_defer(&chain_deferred, chain_step2);
}

static void test_from_callbacks(void)
{
    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &chain_ssp);
    s4j_call_srcu(chain_ssp, &chain_cb, chain_step1);
    TAP_EQ(await_total(&chain_total, 1, 30000), 1,
           "callback -> defer -> defer -> call_srcu: the last callback ran");
    TAP_EQ(chain_sync_rc, 0, "a deferred function may wait for a grace period");
    s4j_srcu_close(chain_ssp);
    s4j_srcu_free(chain_ssp);
}

static void test_wake_only_when_parked(void)
{
    enum { BURST = 10000 };
    struct s4j_wake_stats before, after;
    int total = 0;
    struct counted one = { .total = &total };
    struct counted *burst = calloc(BURST, sizeof(*burst));

    sleep_ms(50);   /* the worker lingers for microseconds, then parks */
    TAP_EQ(s4j_wake_stats_get(&before), 0, "s4j_wake_stats_get");
    TAP_OK(before.defer_parks > 0, "the idle deferral worker has parked (%llu parks)",
           (unsigned long long)before.defer_parks);
    errno = EILSEQ;
    s4j_defer(&one.head, count_run);
    TAP_EQ(errno, EILSEQ, "s4j_defer leaves errno as it was, even when it wakes the worker");
    TAP_EQ(await_total(&total, 1, 30000), 1, "a parked worker is woken for one item");
    s4j_wake_stats_get(&after);
    TAP_OK(after.defer_wakeups > before.defer_wakeups, "that was a counted wake-up");

    /* A burst finds the worker awake (running or lingering): few wakes, far fewer than items. */
    for (int i = 0; i < BURST; i++) {
        burst[i].total = &total;
        s4j_defer(&burst[i].head, count_run);
    }
    await_total(&total, BURST + 1, 30000);
    s4j_wake_stats_get(&before);
    TAP_OK(before.defer_wakeups - after.defer_wakeups < BURST / 10,
           "a burst of %d items made %llu wake-ups", BURST,
           (unsigned long long)(before.defer_wakeups - after.defer_wakeups));
    free(burst);
}

int main(void)
{
    test_each_item_runs_once();
    test_items_run_in_order();
    test_bad_input();
    test_inside_read_section();
    test_from_callbacks();
    test_wake_only_when_parked();
    return tap_done();
}
