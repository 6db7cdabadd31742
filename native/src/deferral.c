// SPDX-License-Identifier: Apache-2.0
/*
 * s4j_defer: run func(head) later, on the process's deferral worker, a normal thread. The
 * lockless hop for code that may not do the work where it stands: a signal handler, a thread
 * holding a lock the work needs, a read section, a callback.
 *
 * One process-wide queue (wfqueue.h) and one worker. s4j_defer() is the queue's push plus a wake
 * only when the worker announced it is parking: no lock, no allocation (the caller owns the
 * node), no system call on the fast path, async-signal-safe, re-entrant.
 *
 * When the worker starts: at library load (a constructor), which is never a signal handler and
 * always comes before any call into the library, so s4j_defer() itself never has to start a
 * thread (pthread_create is not async-signal-safe). A forked child gets a worker of its own from
 * the atfork child handler, and an empty queue: what the parent queued runs in the parent. The worker
 * is never stopped: items queued before exit() may not run, and unloading the library (dlclose)
 * is unsupported (native/README.md, Lifecycle).
 *
 * Synchronization: [Q] [R] [W] [P] of wfqueue.h, nothing else. start_rc is written before any
 * caller can exist (constructor, or the single-threaded child after fork).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <time.h>

#include "srcu4j/srcu4j.h"
#include "srcu4j/static/arch.h"
#include "srcu4j/static/compiler.h"
#include "wake_stats.h"
#include "wfqueue.h"
#include "glibc_versions.h"

/*
 * Layout: producers write `tail` and read `worker_state` (both on one line, as every push touches
 * both); the worker alone writes `stub` (its own line); the rest is written at start only.
 */
static struct deferral {
    struct s4j_srcu_head *tail __attribute__((aligned(S4J_CACHE_LINE))); /* last queued, or &stub */
    uint32_t worker_state;               /* S4J_WORKER_*, futex word */

    struct s4j_srcu_head stub __attribute__((aligned(S4J_CACHE_LINE))); /* stub.next: first */

    pthread_t worker __attribute__((aligned(S4J_CACHE_LINE)));
    int32_t start_rc;                    /* 0, or -errno of the worker's pthread_create */
} deferral = { .tail = &deferral.stub };

/*
 * Before parking, the worker keeps looking for new items this long: a producer that defers again
 * within it finds the worker awake and makes no system call. Short, as it spends a CPU.
 */
#define S4J_DEFER_LINGER_NS 20000

/*
 * Under a steady stream the worker would take the items one at a time as they come, and pull
 * the producers' line (tail) away from them at every item: a push then costs a line transfer.
 * So when more is queued as a batch ends, it naps this long before the next take, and the next
 * batch builds up meanwhile (the callback workers do the same, S4J_POOL_PAUSE_NS). Never after
 * an idle spell: the first item is taken as soon as it is seen.
 */
#define S4J_DEFER_PAUSE_NS 20000

/* A spin-wait hint: lets the other hardware thread of the core run while this one waits. */
static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __asm__ __volatile__("pause" ::: "memory");
#elif defined(__aarch64__)
    __asm__ __volatile__("yield" ::: "memory");
#else
    s4j_barrier();
#endif
}

static int64_t monotonic_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int queue_empty(void)
{
    return s4j_wfq_empty(&deferral.tail, &deferral.stub);
}

static int has_work(void *arg)
{
    (void)arg;
    return !queue_empty();
}

/*
 * While it lingers, the worker reads the queue's tail (the producers' line) once per this long,
 * not back to back: read continuously, it takes the line from a producer at every push, and the
 * two settle into a hand-over per item, each push paying a line transfer (over 100 ns a push
 * instead of 8 in one producer's stream, measured). An item that comes while the worker lingers
 * waits this much longer at most.
 */
#define S4J_DEFER_POLL_NS 250

/* Waits for an item: lingers, then parks. Spurious returns are fine, the caller loops. */
static void await_items(void)
{
    int64_t now = monotonic_ns();
    int64_t until = now + S4J_DEFER_LINGER_NS;

    while (now < until) {
        if (!queue_empty())
            return;
        int64_t next = now + S4J_DEFER_POLL_NS;
        do
            cpu_relax();
        while ((now = monotonic_ns()) < next);
    }
    /* [P] inside: PARKED announced before has_work() re-reads the queue; pairs with [W].
     * (litmus: W-P) */
    if (s4j_wfq_park(&deferral.worker_state, has_work, NULL))
        s4j_wake_count(S4J_COUNT_DEFER_PARKS);
}

static void *deferral_main(void *arg)
{
    (void)arg;
    /* A name of its own rather than its creator's, in ps, top and thread dumps. */
    pthread_setname_np(pthread_self(), "s4j-defer");
    for (;;) {
        struct s4j_srcu_head *last;
        struct s4j_srcu_head *node = s4j_wfq_take_all(&deferral.tail, &deferral.stub, &last);

        if (!node) {
            await_items();
            continue;
        }
        s4j_wfq_run_batch(node, last);
        if (!queue_empty()) {
            struct timespec pause = { 0, S4J_DEFER_PAUSE_NS };

            /* A signal may cut it short: the next take is only earlier. */
            (void)nanosleep(&pause, NULL);
        }
    }
    return NULL;
}

static void start_worker(void)
{
    /* Default attributes, signal mask inherited: deferred functions may run JVM code, which
     * relies on synchronous signals (a blocked SIGSEGV from a fault would kill the process). */
    deferral.start_rc = -pthread_create(&deferral.worker, NULL, deferral_main, NULL);
}

/* The child of fork() has only the thread that forked: it gets an empty queue (what is queued
 * is the parent's work, which the parent's worker runs) and a worker of its own. */
static void restart_in_child(void)
{
    deferral.stub.next = NULL;
    deferral.tail = &deferral.stub;
    deferral.worker_state = S4J_WORKER_RUNNING;
    start_worker();
}

__attribute__((constructor)) static void deferral_init(void)
{
    start_worker();
    /* Fails only for lack of memory; then a forked child's s4j_defer() queues items nobody
     * runs, which is no worse than a child that may not use threads at all. */
    (void)pthread_atfork(NULL, NULL, restart_in_child);
}

S4J_EXPORT int32_t s4j_defer(struct s4j_srcu_head *head, s4j_srcu_callback_fn func)
{
    if (!head || !func)
        return -EINVAL;
    /* Written before any caller existed (see the file comment): a plain read. */
    int32_t rc = S4J_READ_ONCE(deferral.start_rc);
    if (s4j_unlikely(rc))
        return rc;
    head->func = func;
    s4j_wfq_push(&deferral.tail, head);   /* [Q], then [W] (litmus: Q-R, W-P) */
    if (s4j_wfq_wake_parked(&deferral.worker_state))
        s4j_wake_count(S4J_COUNT_DEFER_WAKEUPS);
    return 0;
}
