// SPDX-License-Identifier: Apache-2.0
/*
 * membarrier(PRIVATE_EXPEDITED), the call a fast domain's grace period makes (libsrcu4j's
 * s4j_membarrier, compiled in from src/membarrier.c): its cost per call, timed one by one from a
 * thread pinned to the first CPU given, while other threads of the process
 *  - run (spin) on any of the CPUs given, 0 to twice their number: against running threads;
 *  - sleep (blocked), as many: the kernel interrupts only CPUs running a thread of the process;
 *  - run one per CPU on 1 to all of the CPUs given (the caller's own CPU last): against CPUs.
 * A repetition is the median of its calls; the counts are sampled (powers of two and the
 * largest) when there are many CPUs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srcu4j/srcu4j.h"
#include "membarrier.h"
#include "study.h"

#define MAX_CROWD 4096

struct crowd_member {
    pthread_t thread;
    int cpu;              /* -1: any CPU of the set */
    int busy;
};

static struct {
    struct crowd_member m[MAX_CROWD];
    int n;
    const int *cpus;
    int ncpus;
    int ready;            /* members pinned so far */
    int stop;
    pthread_mutex_t mu;
    pthread_cond_t cv;
} crowd = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

static int pin_to_set(const int *cpus, int n)
{
    uint64_t words[MAX_CROWD / 64] = { 0 };

    for (int i = 0; i < n; i++) {
        if (cpus[i] >= MAX_CROWD)
            return -EINVAL;
        words[cpus[i] / 64] |= UINT64_C(1) << (cpus[i] % 64);
    }
    return s4j_pin_current_thread_to_set(words, MAX_CROWD / 64);
}

static void *member_main(void *arg)
{
    struct crowd_member *m = arg;

    if (m->cpu >= 0)
        study_pin(m->cpu);
    else
        pin_to_set(crowd.cpus, crowd.ncpus);
    pthread_mutex_lock(&crowd.mu);
    crowd.ready++;
    pthread_cond_broadcast(&crowd.cv);
    if (!m->busy) {
        while (!crowd.stop)
            pthread_cond_wait(&crowd.cv, &crowd.mu);
        pthread_mutex_unlock(&crowd.mu);
        return NULL;
    }
    pthread_mutex_unlock(&crowd.mu);
    /* Relaxed: a stop flag polled while spinning; the mutex orders the rest. */
    while (!__atomic_load_n(&crowd.stop, __ATOMIC_RELAXED))
        __asm__ __volatile__("" ::: "memory");
    return NULL;
}

/* Starts n members; cpu_of[i] pins member i to one CPU (NULL: any CPU of the set). */
static int crowd_start(int n, int busy, const int *cpu_of)
{
    crowd.n = 0;
    crowd.ready = 0;
    crowd.stop = 0;
    for (int i = 0; i < n; i++) {
        struct crowd_member *m = &crowd.m[i];
        m->cpu = cpu_of ? cpu_of[i] : -1;
        m->busy = busy;
        if (pthread_create(&m->thread, NULL, member_main, m) != 0)
            return -1;
        crowd.n++;
    }
    pthread_mutex_lock(&crowd.mu);
    while (crowd.ready < crowd.n)
        pthread_cond_wait(&crowd.cv, &crowd.mu);
    pthread_mutex_unlock(&crowd.mu);
    return 0;
}

static void crowd_stop(void)
{
    pthread_mutex_lock(&crowd.mu);
    __atomic_store_n(&crowd.stop, 1, __ATOMIC_RELAXED);
    pthread_cond_broadcast(&crowd.cv);
    pthread_mutex_unlock(&crowd.mu);
    for (int i = 0; i < crowd.n; i++)
        pthread_join(crowd.m[i].thread, NULL);
    crowd.n = 0;
}

/* One point: reps of (a median over calls), the caller on cpu. */
static void point(const struct study_opts *o, const char *series, int x, int busy,
                  const int *cpu_of, int cpu)
{
    char key[64], label[96];
    int max_calls = o->full ? 5000 : 1000;
    double *calls = malloc(sizeof(double) * (size_t)max_calls);
    struct study_fig f;

    snprintf(key, sizeof(key), "%s/%d", series, x);
    snprintf(label, sizeof(label), "%s, %d", series, x);
    if (!calls)
        return;
    study_fig_begin(&f, "membarrier", key, "ns");
    if (crowd_start(x, busy, cpu_of) != 0) {
        crowd_stop();
        free(calls);
        study_fig_missing("membarrier", key, "ns", "could not start the threads", label);
        return;
    }
    for (int r = -1; r < o->reps; r++) {
        int64_t start = study_now_ns(), budget = (int64_t)(o->rep_ms * 2e6);
        int n = 0;
        while (n < max_calls && (n < 50 || study_now_ns() - start < budget)) {
            int64_t t0 = study_now_ns();
            s4j_membarrier();
            calls[n++] = (double)(study_now_ns() - t0);
        }
        if (r >= 0)
            study_fig_rep(&f, study_median(calls, n));
    }
    study_fig_check(&f, cpu);
    crowd_stop();
    study_fig_extra(&f, "series=%s x=%d", series, x);
    study_fig_end(&f, label);
    free(calls);
}

/* 0, 1, 2, 4, ... below limit, then limit itself. */
static int counts(int limit, int from_zero, int *out)
{
    int n = 0;

    if (from_zero)
        out[n++] = 0;
    for (int c = 1; c < limit; c *= 2)
        out[n++] = c;
    if (limit > 0)
        out[n++] = limit;
    return n;
}

int study_membarrier(const struct study_opts *o, const int *cpus, int ncpus)
{
    int rc = s4j_membarrier_register();
    int xs[40], nx, cpu = cpus[0];

    if (rc != 0) {
        char why[96];
        snprintf(why, sizeof(why), "membarrier PRIVATE_EXPEDITED registration refused (errno %d)", -rc);
        study_fig_missing("membarrier", "running/0", "ns", why, "membarrier");
        return 0;
    }
    if (ncpus * 2 > MAX_CROWD)
        ncpus = MAX_CROWD / 2;
    crowd.cpus = cpus;
    crowd.ncpus = ncpus;
    if (study_pin(cpu) != 0) {
        fprintf(stderr, "s4j_study: membarrier: cannot pin to CPU %d\n", cpu);
        return 1;
    }
    study_info("membarrier_caller_cpu=%d membarrier_cpus=%d", cpu, ncpus);

    nx = counts(2 * ncpus, 1, xs);
    for (int i = 0; i < nx; i++) {
        study_progress("membarrier (C): %d running threads", xs[i]);
        point(o, "running", xs[i], 1, NULL, cpu);
    }
    nx = counts(2 * ncpus, 0, xs);
    for (int i = 0; i < nx; i++) {
        study_progress("membarrier (C): %d sleeping threads", xs[i]);
        point(o, "sleeping", xs[i], 0, NULL, cpu);
    }
    /* One running thread per CPU, the caller's own CPU taken last. */
    int *order = malloc(sizeof(int) * (size_t)ncpus);
    if (!order)
        return 1;
    for (int i = 0; i < ncpus; i++)
        order[i] = cpus[(i + 1) % ncpus];
    nx = counts(ncpus, 0, xs);
    for (int i = 0; i < nx; i++) {
        study_progress("membarrier (C): running threads on %d CPUs", xs[i]);
        point(o, "cpus", xs[i], 1, order, cpu);
    }
    free(order);
    return 0;
}
