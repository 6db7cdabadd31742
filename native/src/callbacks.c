/*
 * call_srcu: a lock-free callback queue per domain, drained by the domain's worker thread, which
 * waits for one grace period per batch and then runs the batch in queue order.
 *
 * Synchronization
 *   s4j_call_srcu() (any thread, many at once) pushes on `pending` with a CAS; the worker takes
 *   the whole list with one exchange. Neither side ever blocks the other.
 *   [Q] release CAS publishing a head        pairs with [R]
 *   [R] acquire exchange taking the list     pairs with [Q]: the caller's stores before
 *                                            s4j_call_srcu() are visible to the callback
 *   [W] caller, after the push, before reading worker_state   pairs with [P] (store buffering):
 *   [P] worker, after announcing PARKED, before re-reading `pending`
 *       either the worker sees the new head, or the caller sees PARKED and wakes it. A caller
 *       makes a system call only in that second case, never on the way in otherwise.
 *   [K] release of a barrier node's `done`   pairs with the waiter's acquire load of it
 *   enq_state counts callers between their closed check and their push, so close can wait for
 *   them before its final drain: a call either returns -ESHUTDOWN or its callback runs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "srcu4j/srcu4j.h"
#include "arch.h"
#include "srcu_internal.h"

static void futex_wait(uint32_t *word, uint32_t expected)
{
    /* Returns at once if *word != expected; spurious wake-ups are fine, callers loop. */
    syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, expected, NULL, NULL, 0);
}

static void futex_wake(uint32_t *word)
{
    syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void push(struct s4j_srcu *ssp, struct s4j_srcu_head *head)
{
    struct s4j_srcu_head *old = __atomic_load_n(&ssp->pending, __ATOMIC_RELAXED);

    /* Retries only when another push or the worker's take changed `pending` in between; each
     * failure means some other thread made progress (lock-free). */
    do {
        head->next = old;
    } while (!__atomic_compare_exchange_n(&ssp->pending, &old, head, 1,
                                          __ATOMIC_RELEASE,    /* [Q] */
                                          __ATOMIC_RELAXED));

    /* [W] the push before reading worker_state; pairs with [P]. */
    s4j_smp_mb();
    if (__atomic_load_n(&ssp->worker_state, __ATOMIC_RELAXED) == S4J_WORKER_PARKED) {
        uint32_t parked = S4J_WORKER_PARKED;
        /* Only the caller that moves the word off PARKED pays for the wake. */
        if (__atomic_compare_exchange_n(&ssp->worker_state, &parked, S4J_WORKER_RUNNING, 0,
                                        __ATOMIC_RELAXED, __ATOMIC_RELAXED))
            futex_wake(&ssp->worker_state);
    }
}

static void park(struct s4j_srcu *ssp)
{
    __atomic_store_n(&ssp->worker_state, S4J_WORKER_PARKED, __ATOMIC_RELAXED);
    /* [P] announcing PARKED before re-reading `pending` and `stop`; pairs with [W]. */
    s4j_smp_mb();
    if (!S4J_READ_ONCE(ssp->pending) && !S4J_READ_ONCE(ssp->stop))
        futex_wait(&ssp->worker_state, S4J_WORKER_PARKED);
    __atomic_store_n(&ssp->worker_state, S4J_WORKER_RUNNING, __ATOMIC_RELAXED);
}

static void *worker_main(void *arg)
{
    struct s4j_srcu *ssp = arg;

    for (;;) {
        /* [R] take everything queued so far; pairs with [Q]. */
        struct s4j_srcu_head *list = __atomic_exchange_n(&ssp->pending, NULL, __ATOMIC_ACQUIRE);

        if (!list) {
            if (S4J_READ_ONCE(ssp->stop))
                return NULL;
            park(ssp);
            continue;
        }
        /* The stack is newest first; reverse it so callbacks run in queue order, which
         * s4j_srcu_barrier() relies on. */
        struct s4j_srcu_head *fifo = NULL;
        while (list) {
            struct s4j_srcu_head *next = list->next;
            list->next = fifo;
            fifo = list;
            list = next;
        }
        /* Every callback in the batch was queued before this grace period began. */
        s4j_srcu_synchronize(ssp);
        while (fifo) {
            struct s4j_srcu_head *next = fifo->next;   /* the callback may free its head */
            fifo->func(fifo);
            fifo = next;
        }
    }
}

int s4j_callbacks_start(struct s4j_srcu *ssp)
{
    /* Default attributes, signal mask inherited: callbacks may run JVM code, which relies on
     * synchronous signals (a blocked SIGSEGV from a fault would kill the process). */
    return -pthread_create(&ssp->worker, NULL, worker_main, ssp);
}

int s4j_callbacks_on_worker(const struct s4j_srcu *ssp)
{
    return pthread_equal(pthread_self(), ssp->worker);
}

/* Counts the caller in, unless close has begun. Acquire: a caller that sees the closed bit also
 * sees that close began. */
static int enter_caller(struct s4j_srcu *ssp)
{
    uint32_t state = __atomic_fetch_add(&ssp->enq_state, S4J_ENQ_CALLER, __ATOMIC_ACQUIRE);

    if (state & S4J_ENQ_CLOSED) {
        __atomic_fetch_sub(&ssp->enq_state, S4J_ENQ_CALLER, __ATOMIC_RELAXED);
        return 0;
    }
    return 1;
}

/* Release: the caller's push before close's acquire load that sees no caller in flight. */
static void leave_caller(struct s4j_srcu *ssp)
{
    __atomic_fetch_sub(&ssp->enq_state, S4J_ENQ_CALLER, __ATOMIC_RELEASE);
}

S4J_EXPORT int32_t s4j_call_srcu(struct s4j_srcu *ssp, struct s4j_srcu_head *head,
                                 s4j_srcu_callback_fn func)
{
    if (!head || !func)
        return -EINVAL;
    if (!enter_caller(ssp))
        return -ESHUTDOWN;
    head->func = func;
    push(ssp, head);
    leave_caller(ssp);
    return 0;
}

struct barrier_node {
    struct s4j_srcu_head head;
    uint32_t done;
};

static void barrier_done(struct s4j_srcu_head *head)
{
    struct barrier_node *node = (struct barrier_node *)((char *)head -
                                                        offsetof(struct barrier_node, head));
    /* [K] everything the earlier callbacks did before the waiter returns. The wake may reach
     * a stack slot the waiter already left: at worst a spurious wake-up elsewhere. */
    __atomic_store_n(&node->done, 1, __ATOMIC_RELEASE);
    futex_wake(&node->done);
}

static void await_marker(struct barrier_node *node)
{
    /* [K] acquire: pairs with the release in barrier_done(). */
    while (!__atomic_load_n(&node->done, __ATOMIC_ACQUIRE))
        futex_wait(&node->done, 0);
}

S4J_EXPORT int32_t s4j_srcu_barrier(struct s4j_srcu *ssp)
{
    struct barrier_node node = { .head = { .func = barrier_done }, .done = 0 };

    if (s4j_callbacks_on_worker(ssp))
        return -EDEADLK;
    if (!enter_caller(ssp)) {
        /* Close drains everything queued before it; wait for it to finish. */
        while (!__atomic_load_n(&ssp->closed, __ATOMIC_ACQUIRE))
            sched_yield();
        return 0;
    }
    /* A marker behind every callback queued so far; close, which waits for callers in
     * flight, drains after it. */
    push(ssp, &node.head);
    leave_caller(ssp);
    await_marker(&node);
    return 0;
}

int s4j_callbacks_close(struct s4j_srcu *ssp)
{
    uint32_t state = __atomic_fetch_or(&ssp->enq_state, S4J_ENQ_CLOSED, __ATOMIC_ACQ_REL);

    if (state & S4J_ENQ_CLOSED)
        return -EALREADY;
    /* Acquire: pairs with the callers' release decrements, so their pushes are visible and
     * come before the marker below. Callers stay here for a few instructions only. */
    while (__atomic_load_n(&ssp->enq_state, __ATOMIC_ACQUIRE) != S4J_ENQ_CLOSED)
        sched_yield();
    struct barrier_node last = { .head = { .func = barrier_done }, .done = 0 };
    push(ssp, &last.head);
    await_marker(&last);
    S4J_WRITE_ONCE(ssp->stop, 1);
    /* The stop flag before reading worker_state, as [W] does for a push; pairs with [P]. */
    s4j_smp_mb();
    uint32_t parked = S4J_WORKER_PARKED;
    if (__atomic_compare_exchange_n(&ssp->worker_state, &parked, S4J_WORKER_RUNNING, 0,
                                    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
        futex_wake(&ssp->worker_state);
    pthread_join(ssp->worker, NULL);
    /* Release: the joined worker and empty queue before s4j_srcu_free()'s acquire. */
    __atomic_store_n(&ssp->closed, 1, __ATOMIC_RELEASE);
    return 0;
}
