// SPDX-License-Identifier: Apache-2.0
/*
 * The hazard lockless deferral exists for: a thread holding a lock is interrupted by a signal
 * whose handler defers work. A deferral path that takes that lock deadlocks the thread on itself.
 *
 * The harness (one child process per run, this program run again with --harness PATH, so a
 * deadlocked run can be reported and reaped, in a fresh process):
 *  - the interrupted thread takes the path's "held" lock and, while holding it, waits for the
 *    next signal (on the lockless path it also defers items of its own meanwhile, so signals
 *    also land in the middle of an s4j_defer() call);
 *  - a signaller thread sends it SIGUSR1, one at a time, until ITEMS signals found the lock
 *    held; the handler defers one item each time;
 *  - a watchdog thread exits the child with WATCHDOG_EXIT once neither deferrals nor runs have
 *    progressed for STALL_MS: that is a deadlock;
 *  - at the end every item must have run exactly once.
 *
 * Paths: s4j_defer (must complete), and a test-only deferral that takes a mutex, the lock the
 * interrupted thread holds (as a thread does while inside that deferral, or any code sharing
 * its lock): the watchdog must catch it, which shows the harness detects the hazard.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "srcu4j/srcu4j.h"
#include "tap.h"

enum { ITEMS = 100000, STALL_MS = 3000, WATCHDOG_EXIT = 42, RUN_TIMEOUT_S = 240 };

struct item {
    struct s4j_srcu_head head;
    int runs;
};

static struct item *signal_items, *own_items;
static int total_runs;

static void item_run(struct s4j_srcu_head *head)
{
    struct item *it = (struct item *)((char *)head - offsetof(struct item, head));
    __atomic_fetch_add(&it->runs, 1, __ATOMIC_RELAXED);
    /* Release: the item's run before the checker's acquire load of the total. */
    __atomic_fetch_add(&total_runs, 1, __ATOMIC_RELEASE);
}

/* ---------------------------------------------------------------- the paths */

struct path {
    const char *name;
    int32_t (*defer)(struct s4j_srcu_head *head, s4j_srcu_callback_fn func);
    pthread_mutex_t *held;      /* the lock the interrupted thread holds */
    int own_items;              /* whether the interrupted thread defers too, lock held */
};

/* An application lock: s4j_defer knows nothing of it. */
static pthread_mutex_t app_lock = PTHREAD_MUTEX_INITIALIZER;

/* Test only: a deferral queue behind a mutex and a condition variable, as a naive design. */
static struct {
    pthread_mutex_t lock;
    pthread_cond_t more;
    struct s4j_srcu_head *first, *last;
} locked = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, NULL };

static int32_t locked_defer(struct s4j_srcu_head *head, s4j_srcu_callback_fn func)
{
    head->func = func;
    head->next = NULL;
    pthread_mutex_lock(&locked.lock);
    if (locked.last)
        locked.last->next = head;
    else
        locked.first = head;
    locked.last = head;
    pthread_cond_signal(&locked.more);
    pthread_mutex_unlock(&locked.lock);
    return 0;
}

static void *locked_worker(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&locked.lock);
        while (!locked.first)
            pthread_cond_wait(&locked.more, &locked.lock);
        struct s4j_srcu_head *node = locked.first;
        locked.first = locked.last = NULL;
        pthread_mutex_unlock(&locked.lock);
        while (node) {
            struct s4j_srcu_head *next = node->next;
            node->func(node);
            node = next;
        }
    }
    return NULL;
}

static const struct path lockless_path = { "s4j_defer", s4j_defer, &app_lock, 1 };
static const struct path locking_path = { "lock-taking deferral (test only)", locked_defer,
                                          &locked.lock, 0 };

/* ---------------------------------------------------------------- the harness (in a child) */

static const struct path *path;
static pthread_t interrupted;
static volatile sig_atomic_t holding;     /* the interrupted thread holds path->held */
static int deferred_in_handler;           /* written by the handler only */
static int deferred_own;

static void on_signal(int sig)
{
    int saved = errno;

    (void)sig;
    if (holding) {
        int i = __atomic_load_n(&deferred_in_handler, __ATOMIC_RELAXED);
        path->defer(&signal_items[i].head, item_run);
        __atomic_store_n(&deferred_in_handler, i + 1, __ATOMIC_RELAXED);
    }
    errno = saved;
}

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Signals one at a time: the next goes once the last was handled (or after 2 ms, if it landed
 * while the lock was free), so none merges with another. */
static void *signaller(void *arg)
{
    (void)arg;
    while (__atomic_load_n(&deferred_in_handler, __ATOMIC_RELAXED) < ITEMS) {
        int seen = __atomic_load_n(&deferred_in_handler, __ATOMIC_RELAXED);
        pthread_kill(interrupted, SIGUSR1);
        int64_t give_up = now_ms() + 2;
        while (__atomic_load_n(&deferred_in_handler, __ATOMIC_RELAXED) == seen &&
               now_ms() < give_up)
            sched_yield();
    }
    return NULL;
}

static void *watchdog(void *arg)
{
    (void)arg;
    int64_t last_change = now_ms();
    long last = -1;

    for (;;) {
        sleep_ms(50);
        long progress = __atomic_load_n(&deferred_in_handler, __ATOMIC_RELAXED) +
                        (long)__atomic_load_n(&total_runs, __ATOMIC_RELAXED);
        if (progress != last) {
            last = progress;
            last_change = now_ms();
        } else if (now_ms() - last_change > STALL_MS) {
            printf("# watchdog: %s: no progress for %d ms after %d of %d deferrals from the "
                   "handler, %d runs: deadlocked\n", path->name, STALL_MS,
                   __atomic_load_n(&deferred_in_handler, __ATOMIC_RELAXED), ITEMS,
                   __atomic_load_n(&total_runs, __ATOMIC_RELAXED));
            fflush(stdout);
            _exit(WATCHDOG_EXIT);
        }
    }
    return NULL;
}

/* Exit status: 0 when every item ran exactly once, 1 when not, WATCHDOG_EXIT on a deadlock. */
static int run_harness(const struct path *p)
{
    pthread_t sig_thread, dog, worker;
    struct sigaction sa;

    path = p;
    signal_items = calloc(ITEMS, sizeof(*signal_items));
    own_items = calloc(ITEMS, sizeof(*own_items));
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    if (p->defer == locked_defer)
        pthread_create(&worker, NULL, locked_worker, NULL);
    interrupted = pthread_self();
    pthread_create(&dog, NULL, watchdog, NULL);
    pthread_create(&sig_thread, NULL, signaller, NULL);

    while (__atomic_load_n(&deferred_in_handler, __ATOMIC_RELAXED) < ITEMS) {
        pthread_mutex_lock(p->held);
        holding = 1;
        int seen = __atomic_load_n(&deferred_in_handler, __ATOMIC_RELAXED);
        int64_t give_up = now_ms() + 5;
        while (__atomic_load_n(&deferred_in_handler, __ATOMIC_RELAXED) == seen &&
               now_ms() < give_up) {
            if (p->own_items && deferred_own < ITEMS)
                p->defer(&own_items[deferred_own++].head, item_run);
            else
                sched_yield();   /* enters the kernel, as a lock holder does now and then */
        }
        holding = 0;
        pthread_mutex_unlock(p->held);
    }
    pthread_join(sig_thread, NULL);

    int want = ITEMS + deferred_own;
    while (__atomic_load_n(&total_runs, __ATOMIC_ACQUIRE) < want)
        sleep_ms(1);   /* the watchdog ends a run that stalls */
    sleep_ms(20);
    int bad = __atomic_load_n(&total_runs, __ATOMIC_ACQUIRE) != want;
    for (int i = 0; i < ITEMS; i++)
        bad |= signal_items[i].runs != 1 || (i < deferred_own && own_items[i].runs != 1);
    printf("# %s: %d deferrals from the handler with the lock held, %d by the interrupted "
           "thread, %d runs\n", p->name, ITEMS, deferred_own,
           __atomic_load_n(&total_runs, __ATOMIC_ACQUIRE));
    fflush(stdout);
    return bad;
}

static const struct path *const paths[] = { &lockless_path, &locking_path };

/* Runs the harness on paths[which] in a child; returns its exit status, or -1 if it had to be
 * killed. The child is a fresh exec of this program: nothing is inherited but the arguments. */
static int run_in_child(int which)
{
    char arg[16];

    snprintf(arg, sizeof(arg), "%d", which);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        execl("/proc/self/exe", "test_defer_hazard", "--harness", arg, (char *)NULL);
        _exit(127);
    }
    int status;
    int64_t give_up = now_ms() + RUN_TIMEOUT_S * 1000;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (now_ms() > give_up) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return -1;
        }
        sleep_ms(10);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "--harness")) {
        int which = atoi(argv[2]);
        return which >= 0 && which < 2 ? run_harness(paths[which]) : 2;
    }
    TAP_EQ(run_in_child(0), 0,
           "s4j_defer from a signal handler, lock held, %d times: every item ran exactly once",
           ITEMS);
    TAP_EQ(run_in_child(1), WATCHDOG_EXIT,
           "the same harness on a lock-taking deferral is caught deadlocked by the watchdog");
    return tap_done();
}
