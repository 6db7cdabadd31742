/*
 * call_srcu: a wait-free callback queue per domain (wfqueue.h), drained by the domain's worker
 * thread, which waits for one grace period per batch and then runs the batch in queue order. The
 * worker also runs the grace periods s4j_srcu_start_poll() asks for.
 *
 * Safe from any context: s4j_call_srcu() is the queue's push (wait-free, no lock, no allocation),
 * a futex wake only when the worker announced it is parking, and two atomics on enq_state; each
 * step is async-signal-safe and re-entrant, so it may be called from a signal handler, with any
 * lock held, inside a read section and from a callback (native/README.md: "Deferral").
 *
 * Close, in two steps that never wait for a callback: close_start closes the door (enq_state),
 * waits for the callers in flight, queues a marker behind every callback (close_marker, in the
 * domain), sets stop and wakes the worker. The worker drains the queue, runs the marker, and
 * exits once it sees stop with the queue empty, saying so in worker_gone. close_poll then joins
 * it (at once: it has returned) and sets closed; s4j_srcu_close() is close_start, a futex wait
 * on worker_gone, and the same join.
 *
 * fork(): the child has only the thread that forked, so a domain it inherits has no worker there.
 * Each domain keeps the process's fork generation from its creation, the atfork child handler
 * bumps the process's, and the calls that need the worker compare them (one plain load on
 * s4j_call_srcu's path) and refuse with -ESRCH.
 *
 * Synchronization
 *   [Q] [R] [W] [P] the queue's and its parking protocol's: see wfqueue.h. [W] also covers a
 *       new gp request and the stop flag (wake_worker), which the parking worker re-reads.
 *   [K] release of a barrier node's `done`, and of `drained` by close's marker   pairs with
 *       the waiters' acquire loads of them
 *   [S] release of `stop`, after the close marker's push   pairs with the worker's acquire
 *       load of stop, after which it looks at the queue again and finds the marker
 *   [T] release of `worker_gone` by the exiting worker   pairs with the acquire loads of close,
 *       close_poll and on_worker
 *   [J] release of `closed` once the worker is joined   pairs with free's and close_poll's acquire
 *   enq_state counts callers between their closed check and their enqueue, so close can wait
 *   for them before its final drain: a call either returns -ESHUTDOWN or its callback runs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stddef.h>
#include <time.h>
#include <unistd.h>

#include "srcu4j/srcu4j.h"
#include "srcu4j/static/arch.h"
#include "srcu_internal.h"
#include "wake_stats.h"
#include "wfqueue.h"

/* Wakes the worker if it announced PARKED. The caller has made its new work visible and
 * executed [W] (a full barrier) since. */
static void wake_parked_worker(struct s4j_srcu *ssp)
{
    if (s4j_wfq_wake_parked(&ssp->worker_state))
        s4j_wake_count(S4J_COUNT_CALLBACK_WAKEUPS);
}

static void wake_worker(struct s4j_srcu *ssp)
{
    /* [W] the new work (gp request, stop) before reading worker_state; pairs with [P]. */
    s4j_smp_mb();
    wake_parked_worker(ssp);
}

static void push(struct s4j_srcu *ssp, struct s4j_srcu_head *head)
{
    s4j_wfq_push(&ssp->tail, head);   /* [Q], then [W] */
    wake_parked_worker(ssp);
}

static int queue_empty(struct s4j_srcu *ssp)
{
    return s4j_wfq_empty(&ssp->tail, &ssp->stub);
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

static int has_work(void *arg)
{
    struct s4j_srcu *ssp = arg;
    return !queue_empty(ssp) || S4J_READ_ONCE(ssp->stop) || gp_wanted(ssp);
}

static void park(struct s4j_srcu *ssp)
{
    /* [P] inside: PARKED announced before has_work() re-reads queue, stop and requests. */
    if (s4j_wfq_park(&ssp->worker_state, has_work, ssp))
        s4j_wake_count(S4J_COUNT_CALLBACK_PARKS);
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
        struct s4j_srcu_head *node = s4j_wfq_take_all(&ssp->tail, &ssp->stub, &last);

        busy = node != NULL;
        if (!node) {
            if (gp_wanted(ssp)) {
                s4j_srcu_grace_period(ssp, 0);
                continue;
            }
            /* [S] acquire: pairs with close_start's release of stop, which follows its marker's
             * push; the queue, looked at again now, holds the marker unless it already ran. */
            if (__atomic_load_n(&ssp->stop, __ATOMIC_ACQUIRE)) {
                if (queue_empty(ssp))
                    break;
                continue;
            }
            park(ssp);
            continue;
        }
        /* Every callback in the batch was queued before this grace period began. */
        s4j_srcu_grace_period(ssp, 0);
        s4j_wfq_run_batch(node, last);
    }
    /* [T] release: every callback run (the marker among them) before the exit is seen. The
     * domain stays valid until this thread is joined, which waits for the wake to return. */
    __atomic_store_n(&ssp->worker_gone, 1, __ATOMIC_RELEASE);
    s4j_futex_wake_all(&ssp->worker_gone);
    return NULL;
}

/* Bumped in a child of fork(), where no domain worker of the parent exists. */
static uint32_t fork_generation;

static void forked_child(void)
{
    /* The child runs one thread until this returns: a plain update. */
    S4J_WRITE_ONCE(fork_generation, fork_generation + 1);
}

__attribute__((constructor)) static void callbacks_init(void)
{
    /* Fails only for lack of memory; a child's inherited domain then hangs where it would
     * have refused. */
    (void)pthread_atfork(NULL, NULL, forked_child);
}

int s4j_callbacks_inherited(const struct s4j_srcu *ssp)
{
    /* A plain load of a word only the single-threaded child writes: async-signal-safe. */
    return s4j_unlikely(S4J_READ_ONCE(fork_generation) != ssp->fork_generation);
}

int s4j_callbacks_start(struct s4j_srcu *ssp)
{
    ssp->fork_generation = S4J_READ_ONCE(fork_generation);
    /* Default attributes, signal mask inherited: callbacks may run JVM code, which relies on
     * synchronous signals (a blocked SIGSEGV from a fault would kill the process). */
    return -pthread_create(&ssp->worker, NULL, worker_main, ssp);
}

int s4j_callbacks_on_worker(const struct s4j_srcu *ssp)
{
    /* [T] acquire: once the worker has exited, its thread id may serve a new thread, which was
     * created after the join (glibc hands a joined thread's descriptor out again under its own
     * lock) and so sees worker_gone set; the worker itself never sees it set. */
    return !__atomic_load_n(&ssp->worker_gone, __ATOMIC_ACQUIRE) &&
           pthread_equal(pthread_self(), ssp->worker);
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
    if (s4j_callbacks_inherited(ssp))
        return -ESRCH;
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
    s4j_futex_wake(&node->done);
}

static void await_marker(struct barrier_node *node)
{
    /* [K] acquire: pairs with the release in barrier_done(). */
    while (!__atomic_load_n(&node->done, __ATOMIC_ACQUIRE))
        s4j_futex_wait(&node->done, 0);
}

S4J_EXPORT int32_t s4j_srcu_barrier(struct s4j_srcu *ssp)
{
    struct barrier_node node = { .head = { .func = barrier_done }, .done = 0 };

    if (s4j_callbacks_inherited(ssp))
        return -ESRCH;
    if (s4j_callbacks_on_worker(ssp))
        return -EDEADLK;
    /* The worker runs a grace period before it reaches the marker: it would wait for the
     * caller's own section. */
    if (s4j_track_inside(ssp))
        return -EDEADLK;
    if (!enter_caller(ssp)) {
        /* Close drains everything queued before it: wait for its marker. [K] acquire: pairs
         * with the marker's release, so the drained callbacks' effects are seen. */
        while (!__atomic_load_n(&ssp->drained, __ATOMIC_ACQUIRE))
            s4j_futex_wait(&ssp->drained, 0);
        return 0;
    }
    /* A marker behind every callback queued so far; close, which waits for callers in
     * flight, drains after it. */
    push(ssp, &node.head);
    leave_caller(ssp);
    await_marker(&node);
    return 0;
}

static void close_marker_run(struct s4j_srcu_head *head)
{
    struct s4j_srcu *ssp = (struct s4j_srcu *)((char *)head - offsetof(struct s4j_srcu, close_marker));

    /* [K] as barrier_done(): every callback queued before the close ran before the barrier
     * callers that found the door closed, and close_poll, see the drain. */
    __atomic_store_n(&ssp->drained, 1, __ATOMIC_RELEASE);
    s4j_futex_wake_all(&ssp->drained);
}

int s4j_callbacks_close_start(struct s4j_srcu *ssp)
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
    ssp->close_marker.func = close_marker_run;
    push(ssp, &ssp->close_marker);
    /* [S] release: the marker's push before stop; pairs with the worker's acquire load. */
    __atomic_store_n(&ssp->stop, 1, __ATOMIC_RELEASE);
    wake_worker(ssp);
    return 0;
}

int s4j_callbacks_close_poll(struct s4j_srcu *ssp)
{
    /* [J] acquire: pairs with the release store below, made by this or another caller. */
    if (__atomic_load_n(&ssp->closed, __ATOMIC_ACQUIRE))
        return 1;
    /* Set by a close_start that got past its checks (relaxed: no data is read on its word). */
    if (!(__atomic_load_n(&ssp->enq_state, __ATOMIC_RELAXED) & S4J_ENQ_CLOSED))
        return -EINVAL;
    /* [K] and [T] acquire: the drain, then the worker's exit (which implies it: the worker
     * exits only with the queue empty, and the marker was queued before stop). */
    if (!__atomic_load_n(&ssp->drained, __ATOMIC_ACQUIRE) ||
        !__atomic_load_n(&ssp->worker_gone, __ATOMIC_ACQUIRE))
        return 0;
    /* One caller joins; the others say "not yet" until it has stored closed, which is a few
     * instructions away (the worker has returned). Relaxed: it elects, the join orders. */
    uint32_t free_to_join = 0;
    if (!__atomic_compare_exchange_n(&ssp->joining, &free_to_join, 1, 0, __ATOMIC_RELAXED,
                                     __ATOMIC_RELAXED))
        return 0;
    pthread_join(ssp->worker, NULL);
    /* [J] release: the joined worker and empty queue before s4j_srcu_free()'s acquire. */
    __atomic_store_n(&ssp->closed, 1, __ATOMIC_RELEASE);
    return 1;
}

void s4j_callbacks_close_wait(struct s4j_srcu *ssp)
{
    /* [T] acquire, as in close_poll. */
    while (!__atomic_load_n(&ssp->worker_gone, __ATOMIC_ACQUIRE))
        s4j_futex_wait(&ssp->worker_gone, 0);
    /* Another thread's close_poll may hold the join: it ends at once. */
    while (s4j_callbacks_close_poll(ssp) != 1)
        sched_yield();
}
