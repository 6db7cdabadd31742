// SPDX-License-Identifier: Apache-2.0
/* call_srcu, barrier, close's drain, and close in two steps (close_start, close_poll). */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "srcu4j/srcu4j.h"
#include "counted.h"
#include "tap.h"

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
    /* [K]: the callbacks' stores are visible once barrier returns. (litmus: K.mp) */
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
static int self_barrier_rc, self_close_rc, self_close_start_rc, self_close_poll_rc, requeued;
static struct s4j_srcu_head self_head, requeue_head;

static void requeue_run(struct s4j_srcu_head *head)
{
    __atomic_store_n(&requeued, 1, __ATOMIC_RELAXED);
}

static void self_run(struct s4j_srcu_head *head)
{
    self_barrier_rc = s4j_srcu_barrier(self_ssp);
    self_close_rc = s4j_srcu_close(self_ssp);
    self_close_start_rc = s4j_srcu_close_start(self_ssp);
    self_close_poll_rc = s4j_srcu_close_poll(self_ssp);
    s4j_call_srcu(self_ssp, &requeue_head, requeue_run);
}

static void test_callback_reentry(void)
{
    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &self_ssp);
    s4j_call_srcu(self_ssp, &self_head, self_run);
    s4j_srcu_barrier(self_ssp);
    TAP_EQ(self_barrier_rc, -EDEADLK, "barrier from the domain's own callback is refused");
    TAP_EQ(self_close_rc, -EDEADLK, "close from the domain's own callback is refused");
    TAP_EQ(self_close_start_rc, -EDEADLK, "close_start from the domain's own callback is refused");
    TAP_EQ(self_close_poll_rc, -EINVAL, "and starts nothing");
    s4j_srcu_barrier(self_ssp);
    TAP_EQ(requeued, 1, "a callback may queue another callback on its domain");
    s4j_srcu_close(self_ssp);
    s4j_srcu_free(self_ssp);
}

/* A callback that stays busy until told to finish. */
static int busy_running, busy_release;
static struct s4j_srcu_head busy_head;

static void busy_run(struct s4j_srcu_head *head)
{
    __atomic_store_n(&busy_running, 1, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&busy_release, __ATOMIC_ACQUIRE))
        sleep_ms(1);
}

struct barrier_call {
    struct s4j_srcu *ssp;
    int rc, returned;
};

static void *call_barrier(void *arg)
{
    struct barrier_call *b = arg;

    b->rc = s4j_srcu_barrier(b->ssp);
    __atomic_store_n(&b->returned, 1, __ATOMIC_RELEASE);
    return NULL;
}

/* close_poll every millisecond while it says 0, for 5 s at most; its last answer. */
static int poll_closed(struct s4j_srcu *ssp)
{
    int rc = 0;

    for (int i = 0; i < 5000 && rc == 0; i++) {
        rc = s4j_srcu_close_poll(ssp);
        if (rc == 0)
            sleep_ms(1);
    }
    return rc;
}

struct poller {
    struct s4j_srcu *ssp;
    int result;
};

static void *poll_until_closed(void *arg)
{
    struct poller *p = arg;

    p->result = poll_closed(p->ssp);
    return NULL;
}

/* [T]: the pool lets the domain go only once everything queued before close_start ran, and
 * close_poll says 1 (and free agrees) only after that; [K]: a barrier caller that found the door
 * closed sees the drained callbacks' stores. (litmus: T.handback, K.mp) */
static void test_close_in_two_steps(void)
{
    enum { N = 100, POLLERS = 4 };
    struct s4j_srcu *ssp;
    int total = 0;
    struct counted *items = calloc(N, sizeof(*items));
    struct counted late = { .total = &total };

    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &ssp);
    TAP_EQ(s4j_srcu_close_poll(ssp), -EINVAL, "close_poll without close_start");
    s4j_call_srcu(ssp, &busy_head, busy_run);
    while (!__atomic_load_n(&busy_running, __ATOMIC_ACQUIRE))
        sleep_ms(1);
    for (int i = 0; i < N; i++) {
        items[i].total = &total;
        s4j_call_srcu(ssp, &items[i].head, count_run);
    }
    TAP_EQ(s4j_srcu_close_start(ssp), 0, "close_start while a callback is busy returns at once");
    TAP_EQ(s4j_call_srcu(ssp, &late.head, count_run), -ESHUTDOWN, "the door is closed");
    TAP_EQ(s4j_srcu_close_start(ssp), -EALREADY, "a second close_start");
    TAP_EQ(s4j_srcu_close(ssp), -EALREADY, "close during the two-step close");
    struct barrier_call b = { .ssp = ssp };
    pthread_t bt;
    pthread_create(&bt, NULL, call_barrier, &b);
    int zeros = 0;
    for (int i = 0; i < 20; i++) {
        zeros += s4j_srcu_close_poll(ssp) == 0;
        sleep_ms(2);
    }
    TAP_EQ(zeros, 20, "close_poll returns 0 while the callback is busy");
    TAP_EQ(__atomic_load_n(&b.returned, __ATOMIC_ACQUIRE), 0,
           "a barrier called during the close waits for the drain");
    TAP_EQ(__atomic_load_n(&total, __ATOMIC_RELAXED), 0, "the callbacks behind it wait too");
    TAP_EQ(s4j_srcu_free(ssp), -EBUSY, "free during the drain is refused");

    /* Several threads poll; all see the domain closed. */
    struct poller pollers[POLLERS];
    pthread_t pt[POLLERS];
    for (int i = 0; i < POLLERS; i++) {
        pollers[i] = (struct poller){ .ssp = ssp };
        pthread_create(&pt[i], NULL, poll_until_closed, &pollers[i]);
    }
    __atomic_store_n(&busy_release, 1, __ATOMIC_RELEASE);
    int closed = 1;
    for (int i = 0; i < POLLERS; i++) {
        pthread_join(pt[i], NULL);
        closed &= pollers[i].result == 1;
    }
    TAP_OK(closed, "%d threads polling concurrently all see 1 once the drain is over", POLLERS);
    pthread_join(bt, NULL);
    TAP_EQ(b.rc, 0, "the barrier called during the close returned 0");
    TAP_EQ(total, N, "every callback queued before close_start ran");
    TAP_EQ(s4j_srcu_close_poll(ssp), 1, "close_poll says 1 again once closed");
    TAP_EQ(s4j_srcu_close_start(ssp), -EALREADY, "close_start after the close");
    TAP_EQ(s4j_srcu_barrier(ssp), 0, "barrier after the close returns");
    TAP_EQ(s4j_srcu_free(ssp), 0, "free");
    free(items);
}

/* With a section open, both closes refuse and the domain stays open: classic, and fast (whose
 * readers have no barrier of their own: the check needs [X]). (litmus: A-B.mp, X-Y.mp) */
static void test_close_refused_with_reader(int32_t flavor, const char *name)
{
    struct s4j_srcu *ssp;
    int total = 0;
    struct counted c = { .total = &total };

    s4j_srcu_create(flavor, &ssp);
    int32_t idx = flavor == S4J_FLAVOR_FAST ? s4j_srcu_read_lock_fast(ssp) : s4j_srcu_read_lock(ssp);
    TAP_EQ(s4j_srcu_close_start(ssp), -EBUSY, "%s: close_start with a section open", name);
    TAP_EQ(s4j_srcu_close(ssp), -EBUSY, "%s: close with a section open", name);
    TAP_EQ(s4j_srcu_close_poll(ssp), -EINVAL, "%s: a refused close_start started nothing", name);
    TAP_EQ(s4j_call_srcu(ssp, &c.head, count_run), 0, "%s: the domain stays open", name);
    if (flavor == S4J_FLAVOR_FAST)
        s4j_srcu_read_unlock_fast(ssp, idx);
    else
        s4j_srcu_read_unlock(ssp, idx);
    TAP_EQ(s4j_srcu_close_start(ssp), 0, "%s: close_start once the section ended", name);
    TAP_EQ(poll_closed(ssp), 1, "%s: close_poll reaches 1", name);
    TAP_EQ(total, 1, "%s: the callback queued before ran", name);
    s4j_srcu_free(ssp);
}

/* barrier inside one's own section: the worker's grace period would wait for the caller. */
static void test_barrier_inside_own_section(void)
{
    struct s4j_srcu *ssp;
    int total = 0;
    struct counted c = { .total = &total };

    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &ssp);
    s4j_call_srcu(ssp, &c.head, count_run);
    int32_t idx = s4j_srcu_read_lock(ssp);
    tap_watchdog(10, "barrier inside the caller's own section");
    int rc = s4j_srcu_barrier(ssp);
    tap_watchdog(0, "");
    s4j_srcu_read_unlock(ssp, idx);
    TAP_EQ(rc, -EDEADLK, "barrier inside the caller's own section is refused");
    TAP_EQ(s4j_srcu_barrier(ssp), 0, "barrier once the section ended");
    TAP_EQ(total, 1, "and the callback ran");
    s4j_srcu_close(ssp);
    s4j_srcu_free(ssp);
}

int main(void)
{
    test_each_callback_runs_once();
    test_callback_waits_for_reader();
    test_close_drains_and_refuses();
    test_callback_reentry();
    test_close_in_two_steps();
    test_close_refused_with_reader(S4J_FLAVOR_CLASSIC, "classic");
    test_close_refused_with_reader(S4J_FLAVOR_FAST, "fast");
    test_barrier_inside_own_section();
    return tap_done();
}
