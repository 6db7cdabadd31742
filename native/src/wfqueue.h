// SPDX-License-Identifier: Apache-2.0
/*
 * The wait-free queue behind s4j_call_srcu() (callbacks.c), the pool's queue of domains with
 * work (pool.c) and s4j_defer() (deferral.c), and the parking protocol of a thread that drains
 * one (the pool's workers follow the same [W]/[P] rule with a state word each). Internal; static
 * inline, so each user compiles it into its own fast path.
 *
 * Shape (liburcu's wfcqueue): producers exchange `tail` to their node, then link the previous
 * tail's next to it; the consumer starts from stub.next. A producer never waits for anyone (two
 * instructions: wait-free), never takes a lock and never allocates (the caller owns the node), so
 * it may run in a signal handler that interrupted another producer, or the consumer, anywhere:
 * the interrupted producer links its own node when it resumes, and the consumer waits for that.
 * The consumer may meet a node whose next is not linked yet while its producer is between the two
 * steps, and waits for that link.
 *
 * Who may run what at once:
 *                   push        take_all / take_one     park
 *   push            yes         yes                     yes
 *   take_all        yes         no (one consumer)       no (the consumer parks)
 * A queue has one consumer at a time: the domain's holder (callbacks.c), the deferral worker, or
 * whichever pool worker holds the ready queue's mutex (pool.c, the only user of take_one).
 *
 * Synchronization
 *   [Q] producer: exchange of tail (full barrier), then release store of prev->next
 *   [R] consumer: acquire loads of next links, and its own exchange of tail; pairs with [Q], so
 *       the producer's stores before the push are visible to whoever runs the node
 *   [W] producer, after the exchange (or any other new work), before reading the state word
 *   [P] consumer, after announcing PARKED, before re-checking for work
 *       [W]/[P] form store buffering: either the consumer sees the new work, or the producer
 *       sees PARKED and wakes it. A producer makes a system call only in that second case.
 */
#ifndef S4J_WFQUEUE_H
#define S4J_WFQUEUE_H

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "srcu4j/srcu4j.h"
#include "srcu4j/static/arch.h"
#include "srcu4j/static/compiler.h"

/* The consumer's state word, also its futex word. */
enum { S4J_WORKER_RUNNING = 0, S4J_WORKER_PARKED = 1 };

static inline void s4j_futex_wait(uint32_t *word, uint32_t expected)
{
    /* Returns at once if *word != expected; spurious wake-ups are fine, callers loop. */
    syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, expected, NULL, NULL, 0);
}

/* As s4j_futex_wait(), for ns nanoseconds at most (below one second). */
static inline void s4j_futex_wait_ns(uint32_t *word, uint32_t expected, long ns)
{
    struct timespec timeout = { 0, ns };
    syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, expected, &timeout, NULL, 0);
}

/* Wakes up to n waiters. Async-signal-safe: a signal handler's producer may come here, so
 * errno is left as found. */
static inline void s4j_futex_wake_n(uint32_t *word, int n)
{
    int saved = errno;
    syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, n, NULL, NULL, 0);
    errno = saved;
}

static inline void s4j_futex_wake(uint32_t *word)
{
    s4j_futex_wake_n(word, 1);
}

static inline void s4j_futex_wake_all(uint32_t *word)
{
    s4j_futex_wake_n(word, INT_MAX);
}

/* ---------------------------------------------------------------- producers */

/* Appends node. The caller made its node (and what the consumer will read through it) ready
 * first; after this it may check for a parked consumer without another fence ([W] is in here). */
static inline void s4j_wfq_push(struct s4j_srcu_head **tail, struct s4j_srcu_head *node)
{
    S4J_WRITE_ONCE(node->next, NULL);
    /* [Q] claim the tail position; a full barrier, so the node's fields come first.
     * (litmus: Q-R) */
    struct s4j_srcu_head *prev = __atomic_exchange_n(tail, node, __ATOMIC_SEQ_CST);
    /* [W] the new tail (what the parking consumer re-reads) before reading its state; pairs
     * with [P]. The exchange is a full barrier already where RMWs are (x86): no second fence.
     * (litmus: W-P, I.sb) */
    s4j_smp_mb__after_atomic();
    /* [Q] link it; release pairs with the consumer's acquire load of prev->next [R].
     * (litmus: Q-R) */
    __atomic_store_n(&prev->next, node, __ATOMIC_RELEASE);
}

/*
 * Wakes the consumer if it announced PARKED; returns 1 when this call issued the wake. The
 * caller has made its new work visible and executed [W] since. Async-signal-safe.
 */
static inline int s4j_wfq_wake_parked(uint32_t *state)
{
    if (__atomic_load_n(state, __ATOMIC_RELAXED) != S4J_WORKER_PARKED)
        return 0;
    uint32_t parked = S4J_WORKER_PARKED;
    /* Only the caller that moves the word off PARKED pays for the wake. Relaxed: the decision
     * rests on [W]/[P], and the wake itself is a system call (a full barrier).
     * (litmus: W-P) */
    if (!__atomic_compare_exchange_n(state, &parked, S4J_WORKER_RUNNING, 0, __ATOMIC_RELAXED,
                                     __ATOMIC_RELAXED))
        return 0;
    s4j_futex_wake(state);
    return 1;
}

/* ---------------------------------------------------------------- the consumer */

static inline int s4j_wfq_empty(struct s4j_srcu_head *const *tail,
                                const struct s4j_srcu_head *stub)
{
    return S4J_READ_ONCE(stub->next) == NULL && S4J_READ_ONCE(*tail) == stub;
}

/* The next link of a node that is not the last one taken: its producer has already exchanged
 * the tail and is a few instructions from linking, unless preempted (or interrupted) there. */
static inline struct s4j_srcu_head *s4j_wfq_await_next(struct s4j_srcu_head *node)
{
    struct s4j_srcu_head *next;

    /* [R] acquire: pairs with the producer's release link [Q]. (litmus: Q-R) */
    while (!(next = __atomic_load_n(&node->next, __ATOMIC_ACQUIRE)))
        sched_yield();
    return next;
}

/* Takes every node queued so far: returns the first (NULL when empty) and sets *last. Walk the
 * batch with s4j_wfq_await_next() up to *last, reading each link before running its node. */
static inline struct s4j_srcu_head *s4j_wfq_take_all(struct s4j_srcu_head **tail,
                                                     struct s4j_srcu_head *stub,
                                                     struct s4j_srcu_head **last)
{
    if (s4j_wfq_empty(tail, stub))
        return NULL;
    struct s4j_srcu_head *first = s4j_wfq_await_next(stub);
    S4J_WRITE_ONCE(stub->next, NULL);
    /* [R] end the batch: producers after this exchange link behind the stub again.
     * (litmus: Q-R.relink) */
    *last = __atomic_exchange_n(tail, stub, __ATOMIC_SEQ_CST);
    return first;
}

/*
 * Takes the first node alone (NULL when empty). The queue ends at that node unless a producer
 * has already exchanged the tail behind it: then the consumer ends it at the stub with a
 * compare-and-exchange of the tail, which fails only when such a producer came, whose link it
 * then waits for.
 */
static inline struct s4j_srcu_head *s4j_wfq_take_one(struct s4j_srcu_head **tail,
                                                     struct s4j_srcu_head *stub)
{
    if (s4j_wfq_empty(tail, stub))
        return NULL;
    struct s4j_srcu_head *node = s4j_wfq_await_next(stub);
    /* [R] acquire: pairs with the producer's release link [Q]. (litmus: Q-R) */
    struct s4j_srcu_head *next = __atomic_load_n(&node->next, __ATOMIC_ACQUIRE);

    if (!next) {
        /* No producer pushes behind the stub while the tail is not the stub: clearing its
         * link first leaves the queue empty and well formed once the exchange succeeds. */
        S4J_WRITE_ONCE(stub->next, NULL);
        struct s4j_srcu_head *expected = node;
        /* [R] as take_all's exchange: a push after it links behind the stub.
         * (litmus: as Q-R.relink) */
        if (__atomic_compare_exchange_n(tail, &expected, stub, 0, __ATOMIC_SEQ_CST,
                                        __ATOMIC_SEQ_CST))
            return node;
        next = s4j_wfq_await_next(node);
    }
    S4J_WRITE_ONCE(stub->next, next);
    return node;
}

/* Runs func(node) for each node of a batch from s4j_wfq_take_all(), in queue order. */
static inline void s4j_wfq_run_batch(struct s4j_srcu_head *first, struct s4j_srcu_head *last)
{
    struct s4j_srcu_head *node = first;

    for (;;) {
        /* The link is read before func runs: it may free or requeue its head. */
        struct s4j_srcu_head *next = node == last ? NULL : s4j_wfq_await_next(node);
        node->func(node);
        if (!next)
            return;
        node = next;
    }
}

/*
 * Parks the consumer until a producer wakes it, unless has_work(arg) finds work once PARKED is
 * announced. Returns 1 when it slept in the kernel (a futex wait), else 0.
 */
static inline int s4j_wfq_park(uint32_t *state, int (*has_work)(void *), void *arg)
{
    int slept = 0;

    __atomic_store_n(state, S4J_WORKER_PARKED, __ATOMIC_RELAXED);
    /* [P] announcing PARKED before re-checking for work; pairs with [W]. (litmus: W-P) */
    s4j_smp_mb();
    if (!has_work(arg)) {
        s4j_futex_wait(state, S4J_WORKER_PARKED);
        slept = 1;
    }
    __atomic_store_n(state, S4J_WORKER_RUNNING, __ATOMIC_RELAXED);
    return slept;
}

#endif
