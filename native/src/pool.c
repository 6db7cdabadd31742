// SPDX-License-Identifier: Apache-2.0
/*
 * The callback pool: the threads that run every domain's callbacks and the grace periods they
 * and s4j_srcu_start_poll() need. At most one worker per CPU the process may use (counted when
 * the library loads; SRCU4J_CALLBACK_WORKERS=n, read when the first worker starts, sets another
 * number), started only when a domain first has work, named s4j-cb-<n>, never stopped. A
 * domain costs no thread: it is handed to the pool when it gets work (callbacks.c keeps it from
 * being handed twice) and a worker holds it until it has none.
 *
 * A worker holds up to S4J_POOL_HOLD domains and serves them in turn, one non-blocking step each
 * (s4j_callbacks_step()): while one waits for readers, the others' callbacks run. When every
 * domain it holds waits for readers, it naps (1 us, doubling to 1 ms, as synchronize sleeps)
 * unless a new domain comes; when it holds the most it may and others wait in the ready queue, it
 * puts its own back behind them after each nap, so every waiting domain gets its turn. When it
 * holds none, it parks on a futex.
 *
 * Starting a worker: s4j_call_srcu() may not call pthread_create (not async-signal-safe, takes
 * locks), so a submit from it asks the deferral worker to start one (s4j_defer() with a head of
 * the pool's; one request in flight). Callers that may block (barrier, close) and workers start
 * them directly. Every worker gets the CPU affinity and signal mask that the thread loading the
 * library had, whoever starts it (workers must not inherit a pinned caller's single CPU). A
 * worker that makes progress starts another, up to the bound, while domains wait in the ready
 * queue and none is parked.
 *
 * A callback that waits for callbacks (s4j_srcu_barrier, s4j_srcu_close on another domain) would
 * hold up the domains its worker holds, the one it waits for perhaps among them: before waiting it
 * gives them back to the ready queue and wakes or starts another worker, up to twice the bound
 * (s4j_pool_before_wait()). More callbacks than that waiting at once can still wait for each
 * other.
 *
 * fork(): the child has no worker. An atfork handler empties the ready queue (the domains in it
 * are the parent's, which refuse with -ESRCH there) and forgets the workers, so the pool starts
 * anew in the child. A child forked inside a callback: its thread stops being a worker once the
 * callback returns (it returns from the thread, which ends the child if it was its only one).
 *
 * Synchronization
 *   [Q] [R] the ready queue's push and take (wfqueue.h): whatever the submitter ordered before
 *       its push, the domain's state handed on by its last holder among it ([I] in callbacks.c),
 *       is seen by the worker that takes the domain. Takers hold take_mutex: one at a time.
 *   [W] [P] wake-ups, as wfqueue.h has them, with one state word per worker: a submitter pushes
 *       (the exchange and [W]) before it reads the workers' states; a worker announces PARKED or
 *       NAPPING, then [P], then looks at the ready queue. Either the worker sees the domain, or
 *       the submitter sees it sleeping and wakes it (or another).
 *   started: release once a worker's slot is set up, acquire by the submitters that read the
 *       slots. Everything else about starting happens under start_mutex.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "srcu4j/srcu4j.h"
#include "srcu4j/static/arch.h"
#include "pool.h"
#include "srcu_internal.h"
#include "wake_stats.h"
#include "wfqueue.h"
#include "glibc_versions.h"

#define S4J_POOL_HOLD 64                 /* domains a worker holds at most */
#define S4J_POOL_TAKE 16                 /* domains it takes from the ready queue per pass */
#define S4J_POOL_NAP_FIRST_NS 1000
#define S4J_POOL_NAP_LAST_NS 1000000
#define S4J_POOL_PAUSE_NS 20000          /* the least nap when a domain lets a batch build up */
#define S4J_POOL_MAX_BOUND 1024          /* the most SRCU4J_CALLBACK_WORKERS may ask for */

/* A worker's state word, also its futex word. */
enum { S4J_POOL_RUNNING = 0, S4J_POOL_PARKED = 1, S4J_POOL_NAPPING = 2 };

/*
 * Layout: submitters read `state` of every worker and write it to wake one; the rest is the
 * worker's own (and, for held/nheld/handed_off, its callbacks' through s4j_pool_before_wait(),
 * on the same thread). The slots are a line apart.
 */
struct pool_worker {
    uint32_t state;                      /* S4J_POOL_*; futex word */
    uint32_t nheld;
    int handed_off;                      /* a callback gave the held domains back */
    int paused;                          /* a held domain lets a batch build up */
    struct s4j_srcu *current;            /* the domain being stepped */
    struct s4j_srcu *held[S4J_POOL_HOLD];
} __attribute__((aligned(S4J_CACHE_LINE)));

/*
 * Layout: every submit exchanges `tail`; workers take under take_mutex from `stub` (their own
 * line); the lifecycle fields change when a worker starts, the setup at load and fork only.
 */
static struct {
    struct s4j_srcu_head *tail __attribute__((aligned(S4J_CACHE_LINE))); /* last queued, or &stub */

    struct s4j_srcu_head stub __attribute__((aligned(S4J_CACHE_LINE))); /* stub.next: first */
    pthread_mutex_t take_mutex;

    uint32_t started __attribute__((aligned(S4J_CACHE_LINE))); /* slots in use; release/acquire */
    uint32_t start_pending;              /* a start asked of the deferral worker is in flight */
    struct s4j_srcu_head start_head;     /* that request's node */
    pthread_mutex_t start_mutex;         /* held to start a worker */
    struct pool_worker *workers;         /* 2 x bound slots, allocated at the first start */

    uint32_t bound;                      /* workers at most, but for callbacks that wait; final
                                          * once workers is set (relaxed: read before, it only
                                          * bounds a first start, which rereads it) */
    int have_affinity;
    cpu_set_t affinity;                  /* the loading thread's, for every worker */
    sigset_t sigmask;                    /* the same */
} pool = {
    .tail = &pool.stub,
    .take_mutex = PTHREAD_MUTEX_INITIALIZER,
    .start_mutex = PTHREAD_MUTEX_INITIALIZER,
};

/* The calling thread's slot when it is a worker. */
static __thread struct pool_worker *self;

static int ready_empty(void)
{
    return s4j_wfq_empty(&pool.tail, &pool.stub);
}

static uint32_t started(void)
{
    /* Acquire: pairs with start_worker()'s release; the slots below it are set up.
     * (litmus: as K.mp) */
    return __atomic_load_n(&pool.started, __ATOMIC_ACQUIRE);
}

/* Wakes one of the first n workers that sleeps in state `sleeping`; 1 when this call did. The
 * caller has made its work visible and executed [W] since. */
static int wake_in(uint32_t n, uint32_t sleeping)
{
    struct pool_worker *workers = pool.workers;

    for (uint32_t i = 0; i < n; i++) {
        uint32_t seen = sleeping;
        /* Relaxed: the decision rests on [W]/[P]; the wake is a system call. Only the caller
         * that moves the word off `sleeping` pays for it. (litmus: W-P) */
        if (S4J_READ_ONCE(workers[i].state) == sleeping &&
            __atomic_compare_exchange_n(&workers[i].state, &seen, S4J_POOL_RUNNING, 0,
                                        __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
            s4j_futex_wake(&workers[i].state);
            return 1;
        }
    }
    return 0;
}

/* A parked worker first (it holds nothing), else a napping one. */
static int wake_one(uint32_t n)
{
    if (wake_in(n, S4J_POOL_PARKED)) {
        s4j_wake_count(S4J_COUNT_CALLBACK_WAKEUPS);
        return 1;
    }
    return wake_in(n, S4J_POOL_NAPPING);
}

static void *worker_main(void *arg);

/* pthread_create with every signal blocked in the caller, so the new thread starts with all of
 * them blocked until worker_main installs the loading thread's mask (pthread_attr_setsigmask_np
 * does the same, from glibc 2.32 on only). A signal sent to the caller meanwhile waits until
 * the caller's mask is back. */
static int create_blocked(pthread_attr_t *attr, struct pool_worker *w)
{
    sigset_t all, caller;
    pthread_t thread;

    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &caller);
    int rc = pthread_create(&thread, attr, worker_main, w);
    pthread_sigmask(SIG_SETMASK, &caller, NULL);
    return rc;
}

static int spawn(struct pool_worker *w)
{
    pthread_attr_t attr;
    int rc = pthread_attr_init(&attr);

    if (rc)
        return -rc;
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pool.have_affinity)
        pthread_attr_setaffinity_np(&attr, sizeof(pool.affinity), &pool.affinity);
    rc = create_blocked(&attr, w);
    if (rc == EINVAL && pool.have_affinity) {
        /* A CPU of the loading thread's set went offline: inherit the caller's instead. */
        pthread_attr_destroy(&attr);
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        rc = create_blocked(&attr, w);
    }
    pthread_attr_destroy(&attr);
    return -rc;
}

static uint32_t bound_asked(uint32_t bound);

/* The slots, at the first start: the bound is final from here. */
static int allocate_workers(void)
{
    if (pool.workers)
        return 0;
    uint32_t bound = bound_asked(S4J_READ_ONCE(pool.bound));
    size_t size = 2 * (size_t)bound * sizeof(struct pool_worker);
    struct pool_worker *workers = aligned_alloc(S4J_CACHE_LINE, size);

    if (!workers)
        return -ENOMEM;
    memset(workers, 0, size);
    S4J_WRITE_ONCE(pool.bound, bound);
    pool.workers = workers;
    return 0;
}

/* Starts one worker unless the bound (twice the bound with `twice`) run already. Returns 0
 * (started, or not needed), or -errno. Ordinary threads only: it takes a mutex and calls
 * pthread_create. */
static int start_worker(int twice)
{
    pthread_mutex_lock(&pool.start_mutex);
    int rc = allocate_workers();
    uint32_t n = pool.started;
    if (rc == 0 && n < (twice ? 2 : 1) * pool.bound) {
        memset(&pool.workers[n], 0, sizeof(pool.workers[n]));
        rc = spawn(&pool.workers[n]);
        /* Release: the slot's setup before a submitter's acquire load that counts it.
         * (litmus: as K.mp) */
        if (rc == 0)
            __atomic_store_n(&pool.started, n + 1, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&pool.start_mutex);
    return rc;
}

/* Whether another worker would help: none exists, or domains wait and every worker is busy. */
static int start_wanted(void)
{
    uint32_t n = started();

    if (n == 0)
        return 1;
    if (n >= S4J_READ_ONCE(pool.bound) || ready_empty())
        return 0;
    for (uint32_t i = 0; i < n; i++)
        if (S4J_READ_ONCE(pool.workers[i].state) != S4J_POOL_RUNNING)
            return 0;
    return 1;
}

/* On the deferral worker: the start a submit could not make itself. */
static void start_deferred(struct s4j_srcu_head *head)
{
    (void)head;
    /* Cleared first: a submit after this asks again rather than rely on this start. Release:
     * the deferral worker's reads of the head (before this call) come before the next
     * request's writes to it (its acquire below). (litmus: as T.handback) */
    __atomic_store_n(&pool.start_pending, 0, __ATOMIC_RELEASE);
    if (start_wanted())
        (void)start_worker(0);   /* a failure: the next submit or wait tries again */
}

/* Asks the deferral worker for a start, unless a request is in flight. Async-signal-safe. */
static void request_start(void)
{
    uint32_t none = 0;

    /* Acquire: pairs with start_deferred()'s release; the head is free to queue again.
     * (litmus: as T.handback) */
    if (S4J_READ_ONCE(pool.start_pending) ||
        !__atomic_compare_exchange_n(&pool.start_pending, &none, 1, 0, __ATOMIC_ACQUIRE,
                                     __ATOMIC_RELAXED))
        return;
    if (s4j_defer(&pool.start_head, start_deferred) != 0)
        __atomic_store_n(&pool.start_pending, 0, __ATOMIC_RELAXED);
}

void s4j_pool_submit(struct s4j_srcu *ssp, int may_start)
{
    s4j_wfq_push(&pool.tail, &ssp->ready_node);   /* [Q], then [W] (litmus: Q-R, W-P) */
    uint32_t n = started();
    if (n && wake_one(n))
        return;
    /* Every worker runs: one takes the domain before it sleeps ([W]/[P]); another may help. */
    if (n >= S4J_READ_ONCE(pool.bound))
        return;
    if (may_start)
        (void)start_worker(0);
    else
        request_start();
}

int s4j_pool_before_wait(void)
{
    struct pool_worker *w = self;

    if (!w)
        return started() ? 0 : start_worker(0);
    if (!w->handed_off) {
        /* Every held domain but the one whose callback runs goes back: another worker may
         * take it, as it took it from the queue ([Q]/[R]). The loop learns it from handed_off.
         * (litmus: Q-R) */
        for (uint32_t i = 0; i < w->nheld; i++)
            if (w->held[i] != w->current)
                s4j_wfq_push(&pool.tail, &w->held[i]->ready_node);
        w->nheld = 0;
        w->handed_off = 1;
    }
    /* Nothing waits for a worker: the domain waited for is held by another one (again and
     * again, for a callback that polls a close). */
    if (ready_empty())
        return 0;
    uint32_t n = started();
    if (wake_one(n))
        return 0;
    int rc = start_worker(1);
    /* Another worker exists even when none could be started: it will take them. */
    return n > 1 ? 0 : rc;
}

/* Takes domains from the ready queue, up to S4J_POOL_TAKE at a time and S4J_POOL_HOLD in all. */
static void take_ready(struct pool_worker *w)
{
    if (w->nheld == S4J_POOL_HOLD || ready_empty())
        return;
    pthread_mutex_lock(&pool.take_mutex);
    for (int taken = 0; taken < S4J_POOL_TAKE && w->nheld < S4J_POOL_HOLD; taken++) {
        /* [R] (litmus: Q-R) */
        struct s4j_srcu_head *node = s4j_wfq_take_one(&pool.tail, &pool.stub);
        if (!node)
            break;
        w->held[w->nheld++] =
            (struct s4j_srcu *)((char *)node - offsetof(struct s4j_srcu, ready_node));
    }
    pthread_mutex_unlock(&pool.take_mutex);
}

/* One step for each held domain. Returns 1 when one made progress (or its callback gave the
 * others away), 0 when all wait for readers or a batch to build up (paused says which), -1 when
 * this thread is no worker any more (a child of fork() inside a callback). */
static int serve_held(struct pool_worker *w)
{
    int progress = 0;

    w->paused = 0;
    for (uint32_t i = 0; i < w->nheld;) {
        struct s4j_srcu *ssp = w->held[i];

        w->current = ssp;
        enum s4j_step step = s4j_callbacks_step(ssp);
        if (s4j_unlikely(self != w))
            return -1;
        w->current = NULL;
        if (w->handed_off) {
            /* A callback of ssp waited for the pool and gave the other domains away. */
            w->handed_off = 0;
            w->nheld = 0;
            if (step != S4J_STEP_RELEASED)
                w->held[w->nheld++] = ssp;
            return 1;
        }
        if (step == S4J_STEP_RELEASED)
            w->held[i] = w->held[--w->nheld];
        else
            i++;
        progress |= step == S4J_STEP_PROGRESS || step == S4J_STEP_RELEASED;
        w->paused |= step == S4J_STEP_PAUSED;
    }
    return progress;
}

/* Called after progress: one more worker if domains wait and none is parked. */
static void grow_if_behind(void)
{
    uint32_t n = started();

    if (n >= S4J_READ_ONCE(pool.bound) || ready_empty())
        return;
    for (uint32_t i = 0; i < n; i++)
        if (S4J_READ_ONCE(pool.workers[i].state) == S4J_POOL_PARKED)
            return;
    (void)start_worker(0);
}

/* Sleeps in state `how` (PARKED: until woken; NAPPING: ns at most) unless the ready queue has a
 * domain this worker would take. */
static void sleep_as(struct pool_worker *w, uint32_t how, long ns)
{
    __atomic_store_n(&w->state, how, __ATOMIC_RELAXED);
    /* [P] the announcement before re-reading the ready queue; pairs with the submitters' [W].
     * (litmus: W-P) */
    s4j_smp_mb();
    if (w->nheld == S4J_POOL_HOLD || ready_empty()) {
        if (how == S4J_POOL_PARKED) {
            s4j_futex_wait(&w->state, how);
            s4j_wake_count(S4J_COUNT_CALLBACK_PARKS);
        } else {
            s4j_futex_wait_ns(&w->state, how, ns);
        }
    }
    __atomic_store_n(&w->state, S4J_POOL_RUNNING, __ATOMIC_RELAXED);
}

/* A full worker whose domains all wait puts them behind those waiting in the ready queue. */
static void rotate(struct pool_worker *w)
{
    /* [Q]: the next holder of each sees its state as this worker leaves it. (litmus: Q-R) */
    for (uint32_t i = 0; i < w->nheld; i++)
        s4j_wfq_push(&pool.tail, &w->held[i]->ready_node);
    w->nheld = 0;
}

static void *worker_main(void *arg)
{
    struct pool_worker *w = arg;
    long nap_ns = S4J_POOL_NAP_FIRST_NS;
    char name[16];

    /* Callbacks may run JVM code, which relies on synchronous signals: the loading thread's
     * mask, not a caller's that may block them. */
    pthread_sigmask(SIG_SETMASK, &pool.sigmask, NULL);
    snprintf(name, sizeof(name), "s4j-cb-%u", (unsigned)(w - pool.workers) + 1);
    pthread_setname_np(pthread_self(), name);
    self = w;
    for (;;) {
        take_ready(w);
        int progress = serve_held(w);
        if (progress < 0)
            return NULL;
        if (progress) {
            nap_ns = S4J_POOL_NAP_FIRST_NS;
            grow_if_behind();
            continue;
        }
        if (w->nheld == 0) {
            sleep_as(w, S4J_POOL_PARKED, 0);
            continue;
        }
        /* Every held domain waits for readers, or for a batch to build up. */
        sleep_as(w, S4J_POOL_NAPPING,
                 w->paused && nap_ns < S4J_POOL_PAUSE_NS ? S4J_POOL_PAUSE_NS : nap_ns);
        if (nap_ns < S4J_POOL_NAP_LAST_NS)
            nap_ns *= 2;
        if (w->nheld == S4J_POOL_HOLD && !ready_empty())
            rotate(w);
    }
}

/* The child of fork() has only the thread that forked: no worker. */
static void forked_child(void)
{
    pool.stub.next = NULL;
    pool.tail = &pool.stub;
    pool.started = 0;
    pool.start_pending = 0;
    /* A parent's thread may have held them at the fork. */
    pthread_mutex_init(&pool.take_mutex, NULL);
    pthread_mutex_init(&pool.start_mutex, NULL);
    self = NULL;
}

/* The CPUs the loading thread may run on (or those online), at most S4J_POOL_MAX_BOUND. */
static uint32_t cpu_bound(void)
{
    long bound = pool.have_affinity ? CPU_COUNT(&pool.affinity) : 0;

    if (bound < 1)
        bound = sysconf(_SC_NPROCESSORS_ONLN);
    if (bound < 1)
        bound = 1;
    return bound > S4J_POOL_MAX_BOUND ? S4J_POOL_MAX_BOUND : (uint32_t)bound;
}

/* SRCU4J_CALLBACK_WORKERS when it is a number from 1 to S4J_POOL_MAX_BOUND, else bound (saying
 * why on stderr when it is set to something else). */
static uint32_t bound_asked(uint32_t bound)
{
    const char *asked = getenv("SRCU4J_CALLBACK_WORKERS");
    char *end;

    if (!asked)
        return bound;
    long value = strtol(asked, &end, 10);
    if (*asked && !*end && value >= 1 && value <= S4J_POOL_MAX_BOUND)
        return (uint32_t)value;
    fprintf(stderr, "srcu4j: SRCU4J_CALLBACK_WORKERS=\"%s\" is not a number from 1 to %d; "
            "using %u callback workers\n", asked, S4J_POOL_MAX_BOUND, bound);
    return bound;
}

__attribute__((constructor)) static void pool_init(void)
{
    pool.have_affinity = sched_getaffinity(0, sizeof(pool.affinity), &pool.affinity) == 0;
    pthread_sigmask(SIG_SETMASK, NULL, &pool.sigmask);
    pool.bound = cpu_bound();
    /* Fails only for lack of memory; then a child of fork() inherits workers it does not have,
     * and its own domains' callbacks wait for a worker that never comes. */
    (void)pthread_atfork(NULL, NULL, forked_child);
}
