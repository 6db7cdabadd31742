// SPDX-License-Identifier: Apache-2.0
/*
 * How the per-CPU increments really went: rseq commits, kernel aborts, increments of the slow
 * path. Built with the sources and -DS4J_TEST_RSEQ_STATS, so every rseq sequence of the read
 * path reports its outcome to s4j_test_rseq_event() below, and so does the slow path for each
 * increment it takes; the library that ships has the hook compiled out (srcu4j/static/compiler.h)
 * and pays nothing for it.
 *
 * Readers (two per online CPU, at least four) run lock/unlock pairs on a classic and then on a
 * fast domain while a migrator moves them between CPUs and a signaller sends them signals, so
 * the kernel has migrations, preemptions and signal deliveries to abort sequences for. Then, with n increments made through the rseq path:
 *   rseq mode glibc or srcu4j: commits == n (every increment committed inside a sequence; a
 *     thread srcu4j registers itself takes the slow path once first, which commits it)
 *   no rseq (SRCU4J_RSEQ=off, or a kernel or emulator without it): commits == 0, slow == n
 * and the domain ends with no reader counted. A fast domain's sections count on their threads'
 * words instead: commits == 0 and slow == 0 there, in every mode. Prints one "# rseq-count:" line per flavor with
 * the counts; make test-arm64 prints them for aarch64.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "srcu4j/srcu4j.h"
#include "srcu4j/static/compiler.h"
#include "tap.h"

static uint64_t events[3];     /* indexed by enum s4j_rseq_event */

void s4j_test_rseq_event(enum s4j_rseq_event event)
{
    __atomic_fetch_add(&events[event], 1, __ATOMIC_RELAXED);
}

enum { MAX_READERS = 64 };

static struct s4j_srcu *domain;
static int flavor;
static long iterations = 20000;
static int readers, stop, done;
static pthread_t reader_threads[MAX_READERS];

static void *reader_main(void *arg)
{
    void *ret = NULL;

    for (long i = 0; i < iterations; i++) {
        int32_t idx = flavor == S4J_FLAVOR_FAST ? s4j_srcu_read_lock_fast(domain)
                                                : s4j_srcu_read_lock(domain);
        if (idx < 0) {
            ret = (void *)1;
            break;
        }
        if ((i & 255) == 0)
            sched_yield();
        if (flavor == S4J_FLAVOR_FAST)
            s4j_srcu_read_unlock_fast(domain, idx);
        else
            s4j_srcu_read_unlock(domain, idx);
    }
    __atomic_fetch_add(&done, 1, __ATOMIC_RELEASE);
    return ret;
}

static void on_signal(int sig)
{
    (void)sig;
}

/* Signals a reader now and then: a delivery inside a sequence aborts it. */
static void *signaller_main(void *arg)
{
    unsigned x = 54321;

    while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
        x = x * 1103515245u + 12345u;
        pthread_kill(reader_threads[(x >> 16) % (unsigned)readers], SIGUSR1);
        struct timespec ts = { 0, 200 * 1000 };
        nanosleep(&ts, NULL);
    }
    return NULL;
}

/* Moves the readers round the allowed CPUs until they are done: each move is a migration the
 * kernel must abort a sequence for when it lands inside one. */
static void *migrator_main(void *arg)
{
    cpu_set_t allowed;
    int cpus[CPU_SETSIZE], ncpus = 0;
    unsigned x = 12345;

    sched_getaffinity(0, sizeof(allowed), &allowed);
    for (int c = 0; c < CPU_SETSIZE; c++)
        if (CPU_ISSET(c, &allowed))
            cpus[ncpus++] = c;
    while (!__atomic_load_n(&stop, __ATOMIC_RELAXED) && ncpus > 1) {
        x = x * 1103515245u + 12345u;
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(cpus[(x >> 8) % (unsigned)ncpus], &one);
        pthread_setaffinity_np(reader_threads[(x >> 16) % (unsigned)readers], sizeof(one), &one);
        sleep_ms(1);
    }
    return NULL;
}

static const char *const modes[] = { "unavailable", "glibc", "srcu4j" };
static const char *const flavor_names[] = { "classic", "fast", "signal-safe" };

static void run(int32_t rseq_mode, int asked)
{
    uint64_t before[3];
    int rc = s4j_srcu_create(asked, &domain);

    if (rc == S4J_CREATED_AS_CLASSIC)
        asked = S4J_FLAVOR_CLASSIC;
    else
        TAP_EQ(rc, S4J_CREATED, "%s domain created", flavor_names[asked]);
    flavor = asked;
    memcpy(before, events, sizeof(before));
    stop = 0;
    done = 0;
    int started = 1;
    for (int i = 0; i < readers; i++)
        if (pthread_create(&reader_threads[i], NULL, reader_main, NULL) != 0) {
            TAP_OK(0, "reader %d started", i);
            exit(tap_done());
        }
    pthread_t migrator, signaller;
    started &= pthread_create(&migrator, NULL, migrator_main, NULL) == 0;
    started &= pthread_create(&signaller, NULL, signaller_main, NULL) == 0;
    /* The helpers stop before any reader is joined: they name readers by their pthread_t. */
    while (__atomic_load_n(&done, __ATOMIC_ACQUIRE) < readers)
        sleep_ms(1);
    __atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
    pthread_join(migrator, NULL);
    pthread_join(signaller, NULL);
    int ok = 1;
    for (int i = 0; i < readers; i++) {
        void *ret;
        pthread_join(reader_threads[i], &ret);
        ok &= ret == NULL;
    }
    TAP_OK(started && ok, "%d readers made %ld lock/unlock pairs each", readers, iterations);

    uint64_t n = 2 * (uint64_t)readers * (uint64_t)iterations;
    uint64_t commits = events[S4J_RSEQ_COMMIT] - before[S4J_RSEQ_COMMIT];
    uint64_t aborts = events[S4J_RSEQ_ABORT] - before[S4J_RSEQ_ABORT];
    uint64_t slow = events[S4J_RSEQ_SLOW] - before[S4J_RSEQ_SLOW];
    printf("# rseq-count: rseq=%s flavor=%s increments=%llu commits=%llu aborts=%llu"
           " slow=%llu\n", modes[rseq_mode], flavor_names[flavor], (unsigned long long)n,
           (unsigned long long)commits, (unsigned long long)aborts, (unsigned long long)slow);
    if (s4j_srcu_flavor(domain) == S4J_FLAVOR_FAST) {
        /* Fast sections count on their thread's words (srcu4j/static/track.h). */
        TAP_EQ(commits, 0, "a fast domain's sections make no rseq increment");
        TAP_EQ(slow, 0, "nor a slow-path one");
    } else if (rseq_mode == S4J_RSEQ_UNAVAILABLE) {
        TAP_EQ(commits, 0, "without rseq no increment commits in a sequence");
        TAP_EQ(slow, n, "without rseq every increment takes the slow, atomic path");
    } else {
        TAP_EQ(commits, n, "every increment committed in an rseq sequence (%s registration)",
               modes[rseq_mode]);
        TAP_OK(slow <= (uint64_t)readers, "at most one slow-path increment per reader, its"
               " registration (%llu)", (unsigned long long)slow);
    }
    TAP_EQ(s4j_srcu_readers_active(domain), 0, "no reader left counted");
    TAP_EQ(s4j_srcu_synchronize(domain), 0, "a grace period ends after the readers");
    TAP_EQ(s4j_srcu_close(domain), 0, "close");
    TAP_EQ(s4j_srcu_free(domain), 0, "free");
}

int main(int argc, char **argv)
{
    struct s4j_capabilities caps;

    if (argc > 1)
        iterations = atol(argv[1]);
    if (iterations <= 0) {
        fprintf(stderr, "usage: rseq_count [iterations per reader, > 0]\n");
        return 2;
    }
    tap_watchdog(600, "rseq_count");
    struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESTART };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    TAP_EQ(s4j_capabilities_get(&caps), 0, "capabilities");
    readers = 2 * caps.online_cpus;
    if (readers < 4)
        readers = 4;
    if (readers > MAX_READERS)
        readers = MAX_READERS;
    printf("# rseq-count: rseq=%s membarrier=%d online=%d readers=%d\n", modes[caps.rseq_mode],
           caps.membarrier, caps.online_cpus, readers);
    run(caps.rseq_mode, S4J_FLAVOR_CLASSIC);
    run(caps.rseq_mode, S4J_FLAVOR_FAST);
    return tap_done();
}
