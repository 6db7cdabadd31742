// SPDX-License-Identifier: Apache-2.0
/*
 * call_srcu: a domain's callbacks on wait-free queues (wfqueue.h), one shard per CPU, served by
 * the shared pool's workers (pool.c). A worker that holds the domain takes every queued callback
 * of every shard as one batch, takes the cookie of a grace period that starts after the take,
 * drives it with non-blocking steps while it serves its other domains, and runs the batch once it
 * has ended. It also drives the grace periods s4j_srcu_start_poll() asks for.
 *
 * Shards: each thread pushes onto its home shard, the shard of the CPU it ran on at its first
 * call (in any domain), kept for the thread's life in a thread-local word. Callers on different
 * CPUs thus write different lines and no longer take a shared queue tail from each other. A
 * thread's callbacks all go through one FIFO shard, so they run in the order it queued them,
 * whatever CPU it has migrated to since: a queue chosen per call from the current CPU would let
 * a callback queued after a migration be taken, in a batch the worker assembles shard by shard,
 * before one queued earlier on the old CPU's shard. Callbacks of different threads run in no
 * promised order, even when one call happened before the other: each batch is its shards' lists
 * one after another. A thread that migrates for good shares a shard with the threads of its new
 * CPU: correct, and no slower than one queue per domain was.
 *
 * Markers (a barrier's, close's) go on a queue of their own, which the worker takes before the
 * shards, and run after the callbacks of their batch: every callback queued before a marker was
 * pushed is taken in the marker's batch or an earlier one, so a barrier returns only after every
 * callback any thread queued before it has run.
 *
 * sched_state says whether the pool has the domain: UNUSED (never handed to it), IDLE, QUEUED (in
 * the ready queue or held by a worker: one holder at a time, so the batch fields below need no
 * lock and callbacks run one at a time, in order) or DONE (let go for good after close's drain).
 * Whoever finds it UNUSED or IDLE after adding work moves it to QUEUED with a compare-and-
 * exchange and submits it, so it is handed over once; the worker moves it back to IDLE when it
 * finds no work left, then looks again ([I]).
 *
 * Safe from any context: s4j_call_srcu() is the push onto its home shard (wait-free, no lock, no
 * allocation), a load of sched_state, and two atomics on the shard's enq; only the call that
 * finds the domain idle
 * submits it (another wait-free push, and a futex wake when a worker is parked, or a start asked
 * of the deferral worker). Each step is async-signal-safe and re-entrant, so it may be called
 * from a signal handler, with any lock held, inside a read section and from a callback
 * (native/README.md: "Deferral").
 *
 * Close, in two steps that never wait for a callback: close_start closes the door (enq_state and
 * every shard's enq), waits for the callers in flight, and queues a marker behind every callback
 * (close_marker, in the domain); the worker runs it after a grace period like any callback, and once it finds the
 * domain empty afterwards it lets it go for good (DONE) instead of IDLE. close_poll says 1 from
 * then on; s4j_srcu_close() is close_start and a futex wait for DONE. A domain never handed to
 * the pool (the Java layer's, which queue nothing here) is DONE at once: no thread is involved.
 *
 * fork(): the child has no worker of the parent's pool, and the domains it inherits may be held
 * by one there. Each domain keeps the process's fork generation from its creation, the atfork
 * child handler bumps the process's, and the calls that need the pool compare them (one plain
 * load on s4j_call_srcu's path) and refuse with -ESRCH. The pool itself starts anew in the child.
 *
 * Synchronization
 *   [Q] [R] [W] the queues' (wfqueue.h). [W], the full barrier after the push, is also [I].
 *   [I] idle hand-back, store buffering: a caller adds work (a push, or a gp request), executes
 *       a full barrier ([W] after the push, s4j_smp_mb() after a request), and reads
 *       sched_state; the worker stores IDLE, executes s4j_smp_mb(), and reads every queue and
 *       the requests again. Either the worker sees the work and takes the domain back (its
 *       compare-and-exchange from IDLE), or the caller sees IDLE and submits it: the work is
 *       never left in an idle domain. The IDLE store is a release and the compare-and-exchanges
 *       that leave IDLE acquire, so the next holder, whom the ready queue's [Q]/[R] reaches,
 *       sees the batch fields as the last one left them. (litmus: I.sb, I.handover)
 *   [K] release of a barrier node's `done`, and of `drained` by close's marker   pairs with
 *       the waiters' acquire loads of them
 *   [T] release of DONE, the last access of the worker (or close_start) to the domain   pairs
 *       with the acquire loads of close_poll, close's wait and s4j_srcu_free(): the domain may be
 *       freed once one of them saw it
 *   enq_state and the shards' enq count callers between their closed check and their enqueue
 *   (or gp request), so close can wait for them before its marker: a call either returns
 *   -ESHUTDOWN or its callback runs. Each word pairs on its own: a caller's fetch_add and
 *   close's fetch_or of the same word are ordered one way or the other.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "srcu4j/srcu4j.h"
#include "srcu4j/static/arch.h"
#include "srcu4j/static/percpu.h"
#include "pool.h"
#include "srcu_internal.h"
#include "wfqueue.h"

/* The domain whose callbacks the calling thread runs now (a pool worker inside a batch). */
static __thread const struct s4j_srcu *running;

/* The calling thread's home shard + 1, 0 before its first call. Initial-exec: every
 * s4j_call_srcu() reads it, from any context (no lazy TLS allocation, no lock). */
static __thread uint32_t home __attribute__((tls_model("initial-exec")));

/* How long a wait sleeps before it tries again to start a worker, when none could be. */
#define S4J_RETRY_START_NS 10000000

/* Hands the domain to the pool unless it has it already. The caller added work and executed
 * [I] since. Out of line: the callers' common case finds the domain QUEUED. */
static __attribute__((noinline)) void schedule(struct s4j_srcu *ssp, int may_start)
{
    uint32_t seen = S4J_READ_ONCE(ssp->sched_state);

    /* Retries only when a worker moved it between IDLE and QUEUED meanwhile. Acquire: the last
     * holder's release of IDLE, handed on to the next through the submit ([I]).
     * (litmus: I.handover) */
    while (seen == S4J_SCHED_UNUSED || seen == S4J_SCHED_IDLE) {
        if (__atomic_compare_exchange_n(&ssp->sched_state, &seen, S4J_SCHED_QUEUED, 0,
                                        __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
            s4j_pool_submit(ssp, may_start);
            return;
        }
    }
}

/* Pushes a callback onto a shard (tail), or a marker onto the markers' queue, and makes sure a
 * worker will run it. */
static inline void push(struct s4j_srcu *ssp, struct s4j_srcu_head **tail,
                        struct s4j_srcu_head *head, int may_start)
{
    s4j_wfq_push(tail, head);   /* [Q], then [W], which is [I] (litmus: Q-R, W-P, I.sb) */
    if (s4j_unlikely(S4J_READ_ONCE(ssp->sched_state) != S4J_SCHED_QUEUED))
        schedule(ssp, may_start);
}

static void push_marker(struct s4j_srcu *ssp, struct s4j_srcu_head *marker)
{
    push(ssp, &ssp->markers_tail, marker, 1);
}

/* Claims the calling thread's home: the CPU it runs on now. Out of line: once per thread. */
static __attribute__((noinline)) uint32_t claim_home(void)
{
    int cpu = (int)S4J_READ_ONCE(s4j_rseq_area()->cpu_id);
    uint32_t none = 0;

    if (cpu < 0)
        cpu = srcu4j_static_sched_getcpu();
    uint32_t claim = cpu < 0 ? 1 : (uint32_t)cpu + 1;
    /* A signal handler that interrupted this thread since its load of `home` may have claimed
     * first and pushed onto that shard: keep its claim, so the thread keeps one shard. Relaxed:
     * only this thread and its handlers touch the word. */
    if (!__atomic_compare_exchange_n(&home, &none, claim, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
        return none;
    return claim;
}

/* The calling thread's home shard of ssp. */
static inline struct s4j_cb_shard *home_shard(struct s4j_srcu *ssp)
{
    uint32_t h = S4J_READ_ONCE(home);

    if (s4j_unlikely(!h))
        h = claim_home();
    /* Homes are CPUs below the possible count, which sizes every domain's shards: the test only
     * guards against a CPU number the kernel reports out of that range. */
    return &ssp->shards[h - 1 < ssp->nshards ? h - 1 : 0];
}

static int queue_empty(struct s4j_srcu *ssp)
{
    if (!s4j_wfq_empty(&ssp->markers_tail, &ssp->markers_stub))
        return 0;
    for (uint32_t i = 0; i < ssp->nshards; i++)
        if (!s4j_wfq_empty(&ssp->shards[i].tail, &ssp->shards[i].stub))
            return 0;
    return 1;
}

/*
 * Takes the queued markers, then every shard's callbacks, into the batch fields; 0 when nothing
 * was queued. The markers first: a callback queued before a marker's push is queued before every
 * take below, so it is in this batch (or an earlier one), whose markers run after its callbacks.
 * The shards' lists are chained one after another.
 */
static int take_batch(struct s4j_srcu *ssp)
{
    struct s4j_srcu_head *first = NULL, *last = NULL;

    /* [R] (litmus: Q-R) */
    ssp->markers = s4j_wfq_take_all(&ssp->markers_tail, &ssp->markers_stub, &ssp->markers_last);
    for (uint32_t i = 0; i < ssp->nshards; i++) {
        struct s4j_cb_shard *sh = &ssp->shards[i];
        struct s4j_srcu_head *l;
        /* [R] (litmus: Q-R) */
        struct s4j_srcu_head *f = s4j_wfq_take_all(&sh->tail, &sh->stub, &l);
        if (!f)
            continue;
        /* The previous list's last node left its queue through our exchange, the only one that
         * returned it, so no producer links behind it: its next is ours to set. */
        if (last)
            S4J_WRITE_ONCE(last->next, f);
        else
            first = f;
        last = l;
    }
    ssp->batch = first;
    ssp->batch_last = last;
    return first || ssp->markers;
}

/* The newest cookie start_poll asked for, when its grace period has not ended; else 0. */
static uint64_t gp_wanted(struct s4j_srcu *ssp)
{
    uint64_t requested = __atomic_load_n(&ssp->gp_requested, __ATOMIC_RELAXED);
    uint64_t done = __atomic_load_n(&ssp->gp_seq, __ATOMIC_RELAXED);
    return requested && !s4j_gp_seq_reached(done, requested) ? requested : 0;
}

/* Counts the caller in on word (enq_state, or a shard's enq), unless close has begun. Acquire: a
 * caller that sees the closed bit also sees that close began. (one word, no litmus) */
static int enter_on(uint32_t *word)
{
    uint32_t state = __atomic_fetch_add(word, S4J_ENQ_CALLER, __ATOMIC_ACQUIRE);

    if (state & S4J_ENQ_CLOSED) {
        __atomic_fetch_sub(word, S4J_ENQ_CALLER, __ATOMIC_RELAXED);
        return 0;
    }
    return 1;
}

/* Release: the caller's push before close's acquire load that sees no caller in flight, and a
 * worker's last look at the domain before s4j_callbacks_released(). (litmus: T.handback) */
static void leave_on(uint32_t *word)
{
    __atomic_fetch_sub(word, S4J_ENQ_CALLER, __ATOMIC_RELEASE);
}

static int enter_caller(struct s4j_srcu *ssp)
{
    return enter_on(&ssp->enq_state);
}

static void leave_caller(struct s4j_srcu *ssp)
{
    leave_on(&ssp->enq_state);
}

void s4j_callbacks_request_gp(struct s4j_srcu *ssp, uint64_t cookie)
{
    /* Counted in as s4j_call_srcu is: once close has begun nothing more is driven (the caller
     * still has its cookie for s4j_srcu_advance), and close waits for a request in flight. */
    if (!enter_caller(ssp))
        return;
    uint64_t seen = __atomic_load_n(&ssp->gp_requested, __ATOMIC_RELAXED);
    /* Raise gp_requested to cookie; retries only when another request raced in between. */
    while (!s4j_gp_seq_reached(seen, cookie) &&
           !__atomic_compare_exchange_n(&ssp->gp_requested, &seen, cookie, 1,
                                        __ATOMIC_RELAXED, __ATOMIC_RELAXED))
        ;
    /* [I] the request before reading sched_state; pairs with the worker's after IDLE.
     * (litmus: I.sb) */
    s4j_smp_mb();
    if (S4J_READ_ONCE(ssp->sched_state) != S4J_SCHED_QUEUED)
        schedule(ssp, 0);
    leave_caller(ssp);
}

/* The worker lets the domain go: for good once close's marker ran, else back to IDLE unless
 * work came meanwhile. Its last access to the domain. */
static enum s4j_step release(struct s4j_srcu *ssp)
{
    ssp->batch_ran = 0;
    /* Relaxed: the marker ran on this worker or on an earlier holder, which handed it on. */
    if (__atomic_load_n(&ssp->drained, __ATOMIC_RELAXED)) {
        /* [T] release: this worker's last access to the domain (no work can come: the door is
         * closed and the callers were waited for). The wake may reach freed memory: the futex
         * call then fails, or wakes a waiter elsewhere spuriously, and waiters loop.
         * (litmus: T.handback) */
        __atomic_store_n(&ssp->sched_state, S4J_SCHED_DONE, __ATOMIC_RELEASE);
        s4j_futex_wake_all(&ssp->sched_state);
        return S4J_STEP_RELEASED;
    }
    /* Counted as a caller while it looks again: once IDLE is out, a caller may hand the domain
     * to another worker, which may drain a close and let it go for good while this one still
     * reads it. s4j_callbacks_released() waits for the count (the increment comes before the
     * release below, so whoever takes the domain from IDLE, and so the worker that stores
     * DONE, is ordered after it). (litmus: T.handback) */
    __atomic_fetch_add(&ssp->enq_state, S4J_ENQ_CALLER, __ATOMIC_RELAXED);
    /* Release: the batch fields as this worker leaves them, for the next holder ([I]).
     * (litmus: I.handover) */
    __atomic_store_n(&ssp->sched_state, S4J_SCHED_IDLE, __ATOMIC_RELEASE);
    /* [I] IDLE before looking at the queue and the requests again; pairs with the callers'.
     * (litmus: I.sb) */
    s4j_smp_mb();
    enum s4j_step step = S4J_STEP_RELEASED;
    uint32_t idle = S4J_SCHED_IDLE;
    /* Acquire, as in schedule(); a caller that saw IDLE may have taken it first.
     * (litmus: I.handover) */
    if ((!queue_empty(ssp) || gp_wanted(ssp)) &&
        __atomic_compare_exchange_n(&ssp->sched_state, &idle, S4J_SCHED_QUEUED, 0,
                                    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
        step = S4J_STEP_PROGRESS;
    leave_caller(ssp);   /* the last access when released */
    return step;
}

/*
 * Under a steady stream of callbacks a worker would take a handful per batch and pull the queue's
 * line away from the producers each time; so after a batch it lets the next one build up while
 * its worker naps (S4J_POOL_PAUSE_NS; the worker's other domains are served meanwhile). Never
 * before the first callback after an idle period, nor during a close (the marker ends the batch
 * anyway).
 */
static int pause_for_batch(struct s4j_srcu *ssp)
{
    if (!ssp->batch_ran)
        return 0;
    ssp->batch_ran = 0;
    return !(__atomic_load_n(&ssp->enq_state, __ATOMIC_RELAXED) & S4J_ENQ_CLOSED);
}

enum s4j_step s4j_callbacks_step(struct s4j_srcu *ssp)
{
    if (!ssp->batch && !ssp->markers) {
        if (pause_for_batch(ssp) && !queue_empty(ssp))
            return S4J_STEP_PAUSED;
        if (!take_batch(ssp)) {
            uint64_t requested = gp_wanted(ssp);
            if (requested)
                return s4j_gp_advance(ssp, requested) ? S4J_STEP_PROGRESS : S4J_STEP_WAITING;
            return release(ssp);
        }
        /* After the take: [F] inside, so the grace period begins after every push of the batch
         * (each call returned after its push). */
        ssp->batch_cookie = s4j_gp_snapshot(ssp);
    }
    if (!s4j_gp_advance(ssp, ssp->batch_cookie))
        return S4J_STEP_WAITING;
    struct s4j_srcu_head *first = ssp->batch, *markers = ssp->markers;
    ssp->batch = NULL;
    ssp->markers = NULL;
    running = ssp;
    if (first)
        s4j_wfq_run_batch(first, ssp->batch_last);
    if (markers)
        s4j_wfq_run_batch(markers, ssp->markers_last);
    running = NULL;
    ssp->batch_ran = 1;
    return S4J_STEP_PROGRESS;
}

/* Bumped in a child of fork(), where no worker of the parent's pool exists. */
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

int s4j_callbacks_init(struct s4j_srcu *ssp, uint32_t nshards)
{
    size_t size = (size_t)nshards * sizeof(struct s4j_cb_shard);
    struct s4j_cb_shard *shards = aligned_alloc(S4J_CACHE_LINE, size);

    if (!shards)
        return -ENOMEM;
    memset(shards, 0, size);
    for (uint32_t i = 0; i < nshards; i++)
        shards[i].tail = &shards[i].stub;
    ssp->shards = shards;
    ssp->nshards = nshards;
    ssp->markers_tail = &ssp->markers_stub;
    ssp->fork_generation = S4J_READ_ONCE(fork_generation);
    ssp->sched_state = S4J_SCHED_UNUSED;
    return 0;
}

void s4j_callbacks_free(struct s4j_srcu *ssp)
{
    free(ssp->shards);
}

int s4j_callbacks_on_worker(const struct s4j_srcu *ssp)
{
    /* Per thread, so no other thread is ever taken for the one running the callbacks. */
    return running == ssp;
}

S4J_EXPORT int32_t s4j_call_srcu(struct s4j_srcu *ssp, struct s4j_srcu_head *head,
                                 s4j_srcu_callback_fn func)
{
    if (!head || !func)
        return -EINVAL;
    if (s4j_callbacks_inherited(ssp))
        return -ESRCH;
    struct s4j_cb_shard *sh = home_shard(ssp);
    if (!enter_on(&sh->enq))
        return -ESHUTDOWN;
    head->func = func;
    push(ssp, &sh->tail, head, 0);
    leave_on(&sh->enq);
    return 0;
}

/*
 * Waits until *word is nonzero (acquire, [K]) after making sure a worker will get to it; when
 * none could be started, it tries again every S4J_RETRY_START_NS. (litmus: K.mp)
 */
static void await_set(uint32_t *word)
{
    if (__atomic_load_n(word, __ATOMIC_ACQUIRE))
        return;
    int rc = s4j_pool_before_wait();

    while (!__atomic_load_n(word, __ATOMIC_ACQUIRE)) {
        if (rc == 0) {
            s4j_futex_wait(word, 0);
            continue;
        }
        s4j_futex_wait_ns(word, 0, S4J_RETRY_START_NS);
        rc = s4j_pool_before_wait();
    }
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
     * a stack slot the waiter already left: at worst a spurious wake-up elsewhere.
     * (litmus: K.mp) */
    __atomic_store_n(&node->done, 1, __ATOMIC_RELEASE);
    s4j_futex_wake(&node->done);
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
         * with the marker's release, so the drained callbacks' effects are seen.
         * (litmus: K.mp) */
        await_set(&ssp->drained);
        return 0;
    }
    /* A marker behind every callback queued so far, on any shard; close, which waits for
     * callers in flight, drains after it. */
    push_marker(ssp, &node.head);
    leave_caller(ssp);
    await_set(&node.done);   /* [K] (litmus: K.mp) */
    return 0;
}

static void close_marker_run(struct s4j_srcu_head *head)
{
    struct s4j_srcu *ssp =
        (struct s4j_srcu *)((char *)head - offsetof(struct s4j_srcu, close_marker));

    /* [K] as barrier_done(): every callback queued before the close ran before the barrier
     * callers that found the door closed see the drain. (litmus: K.mp) */
    __atomic_store_n(&ssp->drained, 1, __ATOMIC_RELEASE);
    s4j_futex_wake_all(&ssp->drained);
}

int s4j_callbacks_close_start(struct s4j_srcu *ssp)
{
    /* Closes the door: callers that count in after this see the bit (their acquire
     * fetch_add pairs with this release) and refuse; the acquire half orders the waits below
     * after it. (one word, no litmus) */
    uint32_t state = __atomic_fetch_or(&ssp->enq_state, S4J_ENQ_CLOSED, __ATOMIC_ACQ_REL);

    if (state & S4J_ENQ_CLOSED)
        return -EALREADY;
    /* Every shard's door, the same way. (one word each, no litmus) */
    for (uint32_t i = 0; i < ssp->nshards; i++)
        __atomic_fetch_or(&ssp->shards[i].enq, S4J_ENQ_CLOSED, __ATOMIC_ACQ_REL);
    /* Acquire: pairs with the callers' release decrements, so their pushes, requests and
     * submits are visible and come before what follows. Callers stay here for a few
     * instructions only. (litmus: as K.mp) */
    while (__atomic_load_n(&ssp->enq_state, __ATOMIC_ACQUIRE) != S4J_ENQ_CLOSED)
        sched_yield();
    for (uint32_t i = 0; i < ssp->nshards; i++)
        while (__atomic_load_n(&ssp->shards[i].enq, __ATOMIC_ACQUIRE) != S4J_ENQ_CLOSED)
            sched_yield();
    /* Never handed to the pool (every caller's submit is visible now, and only callers hand it
     * over): nothing to drain, no worker ever touched it, and none will. [K] and [T] release,
     * as the marker and the worker would. (litmus: K.mp, T.handback) */
    if (__atomic_load_n(&ssp->sched_state, __ATOMIC_RELAXED) == S4J_SCHED_UNUSED) {
        __atomic_store_n(&ssp->drained, 1, __ATOMIC_RELEASE);
        __atomic_store_n(&ssp->sched_state, S4J_SCHED_DONE, __ATOMIC_RELEASE);
        return 0;
    }
    ssp->close_marker.func = close_marker_run;
    push_marker(ssp, &ssp->close_marker);
    return 0;
}

/* Whether the pool let the domain go for good and nobody looks at it any more: the domain's
 * memory is the caller's from here. */
int s4j_callbacks_released(struct s4j_srcu *ssp)
{
    /* [T] acquire: pairs with the release of DONE. (litmus: T.handback) */
    if (__atomic_load_n(&ssp->sched_state, __ATOMIC_ACQUIRE) != S4J_SCHED_DONE)
        return 0;
    /* A worker that handed the domain back before the close may still be looking at it for a
     * few instructions (release()); it was counted before the hand-back, so the acquire chain
     * that ends in DONE shows its count. Acquire: pairs with its leave_caller().
     * (litmus: T.handback) */
    return __atomic_load_n(&ssp->enq_state, __ATOMIC_ACQUIRE) == S4J_ENQ_CLOSED;
}

int s4j_callbacks_close_poll(struct s4j_srcu *ssp)
{
    /* Set by a close_start that got past its checks (relaxed: no data is read on its word). */
    if (!(__atomic_load_n(&ssp->enq_state, __ATOMIC_RELAXED) & S4J_ENQ_CLOSED))
        return -EINVAL;
    if (s4j_callbacks_released(ssp))   /* [T] (litmus: T.handback) */
        return 1;
    /* A callback polling another domain's close, or no worker yet: make sure one serves it. */
    (void)s4j_pool_before_wait();
    return 0;
}

void s4j_callbacks_close_wait(struct s4j_srcu *ssp)
{
    if (s4j_callbacks_released(ssp))
        return;
    int rc = s4j_pool_before_wait();
    uint32_t seen;

    /* The release of DONE wakes every waiter (relaxed here: released() below acquires). */
    while ((seen = __atomic_load_n(&ssp->sched_state, __ATOMIC_RELAXED)) != S4J_SCHED_DONE) {
        if (rc == 0) {
            s4j_futex_wait(&ssp->sched_state, seen);
            continue;
        }
        s4j_futex_wait_ns(&ssp->sched_state, seen, S4J_RETRY_START_NS);
        rc = s4j_pool_before_wait();
    }
    /* A worker that still looks at it leaves within a few instructions. */
    while (!s4j_callbacks_released(ssp))
        sched_yield();
}
