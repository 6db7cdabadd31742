/*
 * call_srcu: a wait-free callback queue per domain, drained by the domain's worker thread, which
 * waits for one grace period per batch and then runs the batch in queue order. The worker also
 * runs the grace periods s4j_srcu_start_poll() asks for.
 *
 * The queue has the shape of liburcu's wfcqueue: a producer exchanges `tail` to its node, then
 * links the previous tail's next to it; the consumer starts from stub.next. A producer never
 * waits for anyone (two instructions: wait-free); the consumer may meet a node whose next is not
 * linked yet while its producer is between the two steps, and waits for that link.
 *
 * Synchronization
 *   [Q] producer: exchange of tail (full barrier), then release store of prev->next
 *   [R] consumer: acquire loads of next links, and its own exchange of tail; pairs with [Q], so
 *       the caller's stores before s4j_call_srcu() are visible to the callback
 *   [W] producer, after the enqueue (or gp request, or stop), before reading worker_state
 *   [P] worker, after announcing PARKED, before re-reading tail, stop and gp_requested
 *       [W]/[P] form store buffering: either the worker sees the new work, or the producer sees
 *       PARKED and wakes it. A producer makes a system call only in that second case.
 *   [K] release of a barrier node's `done`   pairs with the waiter's acquire load of it
 *   enq_state counts callers between their closed check and their enqueue, so close can wait
 *   for them before its final drain: a call either returns -ESHUTDOWN or its callback runs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "srcu4j/srcu4j.h"
#include "srcu4j/static/arch.h"
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

/* Wakes the worker if it announced PARKED. The caller has made its new work visible and
 * executed [W] (a full barrier) since. */
static void wake_parked_worker(struct s4j_srcu *ssp)
{
    if (__atomic_load_n(&ssp->worker_state, __ATOMIC_RELAXED) == S4J_WORKER_PARKED) {
        uint32_t parked = S4J_WORKER_PARKED;
        /* Only the caller that moves the word off PARKED pays for the wake. */
        if (__atomic_compare_exchange_n(&ssp->worker_state, &parked, S4J_WORKER_RUNNING, 0,
                                        __ATOMIC_RELAXED, __ATOMIC_RELAXED))
            futex_wake(&ssp->worker_state);
    }
}

static void wake_worker(struct s4j_srcu *ssp)
{
    /* [W] the new work (gp request, stop) before reading worker_state; pairs with [P]. */
    s4j_smp_mb();
    wake_parked_worker(ssp);
}

static void push(struct s4j_srcu *ssp, struct s4j_srcu_head *head)
{
    S4J_WRITE_ONCE(head->next, NULL);
    /* [Q] claim the tail position; a full barrier, so the node's fields come first. */
    struct s4j_srcu_head *prev = __atomic_exchange_n(&ssp->tail, head, __ATOMIC_SEQ_CST);
    /* [W] the new tail (what the parking worker re-reads) before reading worker_state; pairs
     * with [P]. The exchange is a full barrier already where RMWs are (x86): no second fence. */
    s4j_smp_mb__after_atomic();
    /* [Q] link it; release pairs with the consumer's acquire load of prev->next [R]. */
    __atomic_store_n(&prev->next, head, __ATOMIC_RELEASE);
    wake_parked_worker(ssp);
}

static int queue_empty(struct s4j_srcu *ssp)
{
    return S4J_READ_ONCE(ssp->stub.next) == NULL && S4J_READ_ONCE(ssp->tail) == &ssp->stub;
}

/* The next link of a node that is not the last one taken: its producer has already exchanged
 * the tail and is a few instructions from linking, unless preempted there. */
static struct s4j_srcu_head *await_next(struct s4j_srcu_head *node)
{
    struct s4j_srcu_head *next;

    /* [R] acquire: pairs with the producer's release link [Q]. */
    while (!(next = __atomic_load_n(&node->next, __ATOMIC_ACQUIRE)))
        sched_yield();
    return next;
}

/* Takes every node queued so far: returns the first (NULL when empty) and sets *last. */
static struct s4j_srcu_head *take_all(struct s4j_srcu *ssp, struct s4j_srcu_head **last)
{
    if (queue_empty(ssp))
        return NULL;
    struct s4j_srcu_head *first = await_next(&ssp->stub);
    S4J_WRITE_ONCE(ssp->stub.next, NULL);
    /* [R] end the batch: producers after this exchange link behind the stub again. */
    *last = __atomic_exchange_n(&ssp->tail, &ssp->stub, __ATOMIC_SEQ_CST);
    return first;
}

static int gp_wanted(struct s4j_srcu *ssp)
{
    uint64_t requested = __atomic_load_n(&ssp->gp_requested, __ATOMIC_RELAXED);
    uint64_t done = __atomic_load_n(&ssp->gp_seq, __ATOMIC_RELAXED);
    return requested && !s4j_gp_seq_reached(done, requested);
}

void s4j_callbacks_request_gp(struct s4j_srcu *ssp, uint64_t cookie)
{
    uint64_t seen = __atomic_load_n(&ssp->gp_requested, __ATOMIC_RELAXED);

    /* Raise gp_requested to cookie; retries only when another request raced in between. */
    while (!s4j_gp_seq_reached(seen, cookie) &&
           !__atomic_compare_exchange_n(&ssp->gp_requested, &seen, cookie, 1,
                                        __ATOMIC_RELAXED, __ATOMIC_RELAXED))
        ;
    wake_worker(ssp);
}

static void park(struct s4j_srcu *ssp)
{
    __atomic_store_n(&ssp->worker_state, S4J_WORKER_PARKED, __ATOMIC_RELAXED);
    /* [P] announcing PARKED before re-reading the queue, stop and requests; pairs with [W]. */
    s4j_smp_mb();
    if (queue_empty(ssp) && !S4J_READ_ONCE(ssp->stop) && !gp_wanted(ssp))
        futex_wait(&ssp->worker_state, S4J_WORKER_PARKED);
    __atomic_store_n(&ssp->worker_state, S4J_WORKER_RUNNING, __ATOMIC_RELAXED);
}

/*
 * Under a steady stream of callbacks the worker would take a handful per batch and pull the
 * queue's lines away from the producers each time; a short pause lets a batch build up. The
 * pause applies only when the previous batch had just ended, never to the first callback after
 * an idle period, and never while close or barrier waits (the marker ends the batch anyway).
 */
#define S4J_BATCH_PAUSE_NS 20000

static void *worker_main(void *arg)
{
    struct s4j_srcu *ssp = arg;
    int busy = 0;

    for (;;) {
        struct s4j_srcu_head *last;

        if (busy && !queue_empty(ssp) && !S4J_READ_ONCE(ssp->stop)) {
            struct timespec pause = { 0, S4J_BATCH_PAUSE_NS };
            nanosleep(&pause, NULL);
        }
        struct s4j_srcu_head *node = take_all(ssp, &last);

        busy = node != NULL;
        if (!node) {
            if (gp_wanted(ssp)) {
                s4j_srcu_grace_period(ssp, 0);
                continue;
            }
            if (S4J_READ_ONCE(ssp->stop))
                return NULL;
            park(ssp);
            continue;
        }
        /* Every callback in the batch was queued before this grace period began. */
        s4j_srcu_grace_period(ssp, 0);
        for (;;) {
            /* The link is read before the callback runs: it may free or requeue its head. */
            struct s4j_srcu_head *next = node == last ? NULL : await_next(node);
            node->func(node);
            if (!next)
                break;
            node = next;
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
        /* Close drains everything queued before it; wait for it to finish. Acquire: pairs
         * with close's release store of closed, so the drained callbacks' effects are seen. */
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
    /* Closes the door: callers that count in after this see the bit (their acquire
     * fetch_add pairs with this release) and refuse; the acquire half orders the waits below
     * after it. */
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
    wake_worker(ssp);
    pthread_join(ssp->worker, NULL);
    /* Release: the joined worker and empty queue before s4j_srcu_free()'s acquire. */
    __atomic_store_n(&ssp->closed, 1, __ATOMIC_RELEASE);
    return 0;
}
