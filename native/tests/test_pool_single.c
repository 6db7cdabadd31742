// SPDX-License-Identifier: Apache-2.0
/*
 * The pool with one worker (SRCU4J_CALLBACK_WORKERS=1, set before the first worker starts): it
 * serves many domains with one thread; a callback on it that waits for another domain that the
 * same worker holds hands its domains on and gets a second worker (twice the bound at most)
 * instead of waiting for itself; the thread that ran that domain's callbacks before is not
 * refused (-EDEADLK) for it while it runs another domain's.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "srcu4j/srcu4j.h"
#include "counted.h"
#include "pool_threads.h"
#include "tap.h"

static struct s4j_srcu *a, *b;
static pthread_t a_thread;
static int a_total;
static struct {
    int same_thread, barrier_rc, a_seen, close_rc, done;
} waited;
static struct s4j_srcu_head record_head, waiter_head;

static void record_thread(struct s4j_srcu_head *head)
{
    a_thread = pthread_self();
}

static void waiter_run(struct s4j_srcu_head *head)
{
    waited.same_thread = pthread_equal(pthread_self(), a_thread);
    waited.barrier_rc = s4j_srcu_barrier(a);
    waited.a_seen = __atomic_load_n(&a_total, __ATOMIC_ACQUIRE);
    waited.close_rc = s4j_srcu_close(a);
    /* Release: the results before the test thread's acquire load of done. */
    __atomic_store_n(&waited.done, 1, __ATOMIC_RELEASE);
}

struct pending {
    struct s4j_srcu *ssp;
    int32_t idx;
    struct counted c;
};

int main(void)
{
    enum { BUSY = 8, A_CALLBACKS = 50 };
    struct pending busy[BUSY];
    struct counted items[A_CALLBACKS];
    int busy_total = 0;

    /* Read when the pool starts its first worker, which nothing has asked for yet. */
    setenv("SRCU4J_CALLBACK_WORKERS", "1", 1);
    tap_watchdog(120, "a callback waiting for a domain its worker held");

    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &a);
    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &b);
    s4j_call_srcu(a, &record_head, record_thread);
    TAP_EQ(s4j_srcu_barrier(a), 0, "a callback of domain A ran");
    for (int i = 0; i < BUSY; i++) {
        s4j_srcu_create(S4J_FLAVOR_CLASSIC, &busy[i].ssp);
        busy[i].idx = s4j_srcu_down_read(busy[i].ssp);
        busy[i].c.total = &busy_total;
        s4j_call_srcu(busy[i].ssp, &busy[i].c.head, count_run);
    }
    sleep_ms(50);
    TAP_EQ(count_threads("s4j-cb-"), 1, "one worker holds %d domains that wait for readers", BUSY);

    /* A's callbacks and B's waiter are handed to the pool together: the one worker takes both. */
    for (int i = 0; i < A_CALLBACKS; i++) {
        items[i].total = &a_total;
        s4j_call_srcu(a, &items[i].head, count_run);
    }
    s4j_call_srcu(b, &waiter_head, waiter_run);
    while (!__atomic_load_n(&waited.done, __ATOMIC_ACQUIRE))
        sleep_ms(1);
    TAP_OK(waited.same_thread, "B's callback ran on the thread that ran A's before");
    TAP_EQ(waited.barrier_rc, 0, "its barrier on A is not refused, and returns");
    TAP_EQ(waited.a_seen, A_CALLBACKS, "after A's callbacks, which the worker handed on, ran");
    TAP_EQ(waited.close_rc, 0, "its close of A returns 0");
    int pool = count_threads("s4j-cb-");
    TAP_OK(pool == 2, "one more worker served them: %d in all (at most twice the bound)", pool);
    TAP_EQ(__atomic_load_n(&busy_total, __ATOMIC_RELAXED), 0,
           "the busy domains still wait for their readers");
    for (int i = 0; i < BUSY; i++)
        s4j_srcu_up_read(busy[i].ssp, busy[i].idx);
    int free_rc = s4j_srcu_free(a);
    TAP_EQ(free_rc, 0, "free A");
    int closed = 0;
    for (int i = 0; i < BUSY; i++)
        closed += s4j_srcu_close(busy[i].ssp) == 0 && s4j_srcu_free(busy[i].ssp) == 0;
    TAP_EQ(closed, BUSY, "the busy domains drain and close once the readers left");
    TAP_EQ(busy_total, BUSY, "their callbacks ran");
    TAP_EQ(s4j_srcu_close(b), 0, "close B");
    TAP_EQ(s4j_srcu_free(b), 0, "free B");
    tap_watchdog(0, "");
    return tap_done();
}
