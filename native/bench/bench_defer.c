// SPDX-License-Identifier: Apache-2.0
/*
 * Deferral and callback costs, from 1 and 2 enqueuing threads, with wake-ups counted:
 *
 *   s4j_defer            the general lockless deferral (no grace period)
 *   s4j_call_srcu        queue a callback behind a grace period (classic domain)
 *   call_srcu via defer  s4j_defer of a function that calls s4j_call_srcu: the "separate
 *                        lockless variant" design (a lockless hop first), for the decision in
 *                        native/README.md
 *   urcu call_rcu        liburcu memb's call_rcu, the reference
 *
 * One run: N preallocated heads queued (by one thread, or split between two pinned to CPUs 0
 * and 1), then a wait until every one ran. Per item = whole run / N; enqueue = until the last
 * enqueuer returned / N; enqueue CPU = each enqueuer's own CPU time (CLOCK_THREAD_CPUTIME_ID)
 * over its calls, per call, averaged over the enqueuers: what a call costs its caller, which
 * neither the workers nor other processes sharing the CPUs add to. Workers' CPU = the process's
 * CPU time from the first call until the last enqueuer returned, less the enqueuers' own, per
 * call: what the callback workers (and the waiting main thread's yields) took of the CPUs the
 * enqueuers needed while they queued. 1 warm-up + 9 runs; median
 * [min-max]. Wake-ups: s4j_wake_stats_get() deltas (futex wakes issued to parked workers) and
 * the process's voluntary context switches (getrusage), per run. The enqueuers wait for each
 * other with sched_yield(), so a waiting one leaves its CPU to the workers.
 *
 * Per thread and call, 2 enqueuers against 1: wall = 2 x enqueue(2) / enqueue(1) (each of the
 * two made N/2 calls in that time), CPU = enqueue CPU(2) / enqueue CPU(1); the aim for
 * s4j_call_srcu is at most 1.2x.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "srcu4j/srcu4j.h"
#include "bench.h"

#define RUNS 9

static struct s4j_srcu *domain;
static struct s4j_srcu_head *heads;

/* Written by the worker that runs the items; on a line of its own. */
static struct {
    uint64_t ran __attribute__((aligned(128)));
    uint64_t hopped __attribute__((aligned(128)));
} done;

static void count_cb(struct s4j_srcu_head *head)
{
    (void)head;
    __atomic_fetch_add(&done.ran, 1, __ATOMIC_RELAXED);
}

static void hop_cb(struct s4j_srcu_head *head)
{
    __atomic_fetch_add(&done.hopped, 1, __ATOMIC_RELAXED);
    s4j_call_srcu(domain, head, count_cb);
}

/* Spins (yielding) until *counter reaches target. */
static void await_count(uint64_t *counter, uint64_t target)
{
    while (__atomic_load_n(counter, __ATOMIC_RELAXED) < target)
        sched_yield();
}

static uint64_t target;   /* done.ran once the current run completed */

static void defer_range(uint64_t from, uint64_t to)
{
    for (uint64_t i = from; i < to; i++)
        s4j_defer(&heads[i], count_cb);
}

static void defer_drain(void)
{
    await_count(&done.ran, target);
}

static void call_range(uint64_t from, uint64_t to)
{
    for (uint64_t i = from; i < to; i++)
        s4j_call_srcu(domain, &heads[i], count_cb);
}

static void call_drain(void)
{
    s4j_srcu_barrier(domain);
}

static uint64_t hop_target;

static void hop_range(uint64_t from, uint64_t to)
{
    for (uint64_t i = from; i < to; i++)
        s4j_defer(&heads[i], hop_cb);
}

static void hop_drain(void)
{
    /* Every hop has queued its callback before the barrier's marker goes in behind them. */
    await_count(&done.hopped, hop_target);
    s4j_srcu_barrier(domain);
}

#ifdef BENCH_URCU
static void urcu_drain(void)
{
    urcu_memb_bench_call_rcu_barrier();
}
#endif

struct impl {
    const char *name;                                 /* JSON name stem */
    const char *label;
    void (*range)(uint64_t from, uint64_t to);        /* queue heads [from, to) */
    void (*drain)(void);                              /* wait until every queued one ran */
    int urcu;                                         /* enqueuers must register with liburcu */
};

static const struct impl impls[] = {
    { "defer", "s4j_defer", defer_range, defer_drain, 0 },
    { "call_srcu", "s4j_call_srcu (classic)", call_range, call_drain, 0 },
    { "call_srcu_via_defer", "call_srcu via s4j_defer hop", hop_range, hop_drain, 0 },
#ifdef BENCH_URCU
    { "urcu_call_rcu", "urcu_memb_call_rcu", urcu_memb_bench_call_rcu_range, urcu_drain, 1 },
#endif
};
#define NIMPLS (sizeof(impls) / sizeof(impls[0]))

struct result {
    const struct impl *impl;
    int threads;
    uint64_t n;
    double med, min, max;          /* ns per item, whole run */
    double enq_med, enq_min, enq_max;
    double cpu_med;                /* enqueuers' own CPU time per call */
    double others_med;             /* the rest of the process's CPU time per call, while queuing */
    double defer_wakes, callback_wakes, nvcsw;   /* per run */
};

static struct result results[2 * NIMPLS];
static int nresults;

/* The second enqueuer: waits for go, queues its half, stores when it finished. */
static struct {
    const struct impl *impl;
    uint64_t from, to;
    int go, quit;
    int64_t finished, cpu;
} helper;

static void pin(int cpu)
{
    cpu_set_t set;

    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    sched_setaffinity(0, sizeof(set), &set);
}

static void *helper_main(void *arg)
{
    (void)arg;
    pin(1);
#ifdef BENCH_URCU
    if (helper.impl->urcu)
        urcu_memb_bench_register();
#endif
    for (;;) {
        int go;
        /* Acquire: pairs with the release store of go; the run's range is set before. */
        while (!(go = __atomic_load_n(&helper.go, __ATOMIC_ACQUIRE)) &&
               !__atomic_load_n(&helper.quit, __ATOMIC_RELAXED))
            sched_yield();
        if (!go)
            break;
        int64_t cpu0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
        helper.impl->range(helper.from, helper.to);
        helper.finished = now_ns();
        helper.cpu = clock_ns(CLOCK_THREAD_CPUTIME_ID) - cpu0;
        /* Release: finished before the main thread's acquire load of go == 0. */
        __atomic_store_n(&helper.go, 0, __ATOMIC_RELEASE);
    }
#ifdef BENCH_URCU
    if (helper.impl->urcu)
        urcu_memb_bench_unregister();
#endif
    return NULL;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void measure(const struct impl *im, int threads, uint64_t n)
{
    double whole[RUNS], enq[RUNS], cpu[RUNS], others[RUNS];
    struct s4j_wake_stats w0, w1;
    struct rusage r0, r1;
    pthread_t h;

    if (threads == 2) {
        memset(&helper, 0, sizeof(helper));
        helper.impl = im;
        pthread_create(&h, NULL, helper_main, NULL);
    }
    s4j_wake_stats_get(&w0);
    getrusage(RUSAGE_SELF, &r0);
    for (int r = -1; r < RUNS; r++) {
        uint64_t split = threads == 2 ? n / 2 : n;
        target = __atomic_load_n(&done.ran, __ATOMIC_RELAXED) + n;
        hop_target = __atomic_load_n(&done.hopped, __ATOMIC_RELAXED) + n;
        int64_t t0 = now_ns();
        int64_t process0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
        if (threads == 2) {
            helper.from = split;
            helper.to = n;
            /* Release: the range before the helper's acquire load of go. */
            __atomic_store_n(&helper.go, 1, __ATOMIC_RELEASE);
        }
        int64_t cpu0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
        im->range(0, split);
        int64_t queued = now_ns();
        int64_t callers_cpu = clock_ns(CLOCK_THREAD_CPUTIME_ID) - cpu0;
        double cpu_per_call = (double)callers_cpu / (double)split;
        if (threads == 2) {
            /* Acquire: pairs with the helper's release of go; its finished time is visible. */
            while (__atomic_load_n(&helper.go, __ATOMIC_ACQUIRE))
                sched_yield();
            if (helper.finished > queued)
                queued = helper.finished;
            cpu_per_call = (cpu_per_call + (double)helper.cpu / (double)(n - split)) / 2;
            callers_cpu += helper.cpu;
        }
        int64_t others_cpu = clock_ns(CLOCK_PROCESS_CPUTIME_ID) - process0 - callers_cpu;
        double others_per_call = (double)others_cpu / (double)n;
        im->drain();
        int64_t t1 = now_ns();
        if (r >= 0) {
            whole[r] = (double)(t1 - t0) / (double)n;
            enq[r] = (double)(queued - t0) / (double)n;
            cpu[r] = cpu_per_call;
            others[r] = others_per_call;
        }
    }
    getrusage(RUSAGE_SELF, &r1);
    s4j_wake_stats_get(&w1);
    if (threads == 2) {
        __atomic_store_n(&helper.quit, 1, __ATOMIC_RELAXED);
        pthread_join(h, NULL);
    }
    struct result *res = &results[nresults++];
    qsort(whole, RUNS, sizeof(double), cmp_double);
    qsort(enq, RUNS, sizeof(double), cmp_double);
    qsort(cpu, RUNS, sizeof(double), cmp_double);
    qsort(others, RUNS, sizeof(double), cmp_double);
    *res = (struct result){
        .impl = im, .threads = threads, .n = n,
        .med = whole[RUNS / 2], .min = whole[0], .max = whole[RUNS - 1],
        .enq_med = enq[RUNS / 2], .enq_min = enq[0], .enq_max = enq[RUNS - 1],
        .cpu_med = cpu[RUNS / 2],
        .others_med = others[RUNS / 2],
        .defer_wakes = (double)(w1.defer_wakeups - w0.defer_wakeups) / (RUNS + 1),
        .callback_wakes = (double)(w1.callback_wakeups - w0.callback_wakeups) / (RUNS + 1),
        .nvcsw = (double)(r1.ru_nvcsw - r0.ru_nvcsw) / (RUNS + 1),
    };
}

void bench_defer_run(struct s4j_srcu *classic, int quick, int use_urcu)
{
    uint64_t n = quick ? 100000 : 1000000;

    domain = classic;
    heads = calloc(n, sizeof(*heads));
    if (!heads) {
        perror("calloc");
        exit(1);
    }
#ifdef BENCH_URCU
    if (use_urcu)
        urcu_memb_bench_call_rcu_prepare(n);
#endif
    for (int threads = 1; threads <= 2; threads++) {
        for (size_t i = 0; i < NIMPLS; i++) {
            if (impls[i].urcu && !use_urcu)
                continue;
            fprintf(stderr, "  measuring %s, %d enqueuing thread%s\n", impls[i].label, threads,
                    threads == 1 ? "" : "s");
            measure(&impls[i], threads, n);
        }
    }
    free(heads);

    const struct result *base1 = NULL, *base2 = NULL;
    for (int i = 0; i < nresults; i++)
        if (!strcmp(results[i].impl->name, "urcu_call_rcu"))
            *(results[i].threads == 1 ? &base1 : &base2) = &results[i];
    printf("\ndeferral and callbacks: %llu items per run, ns per item, median [min-max] of %d "
           "runs; wake-ups per run\n", (unsigned long long)n, RUNS);
    printf("%-30s %3s %-22s %-22s %8s %8s %7s %9s %9s %9s\n", "what", "thr", "per item (all ran)",
           "of which enqueue", "enq. CPU", "wkr. CPU", "vs urcu", "defer wk", "cb wk", "vol. cs");
    for (int i = 0; i < nresults; i++) {
        const struct result *r = &results[i];
        const struct result *base = r->threads == 1 ? base1 : base2;
        char a[48], b[48], ratio[16] = "-";
        snprintf(a, sizeof(a), "%.1f [%.1f-%.1f]", r->med, r->min, r->max);
        snprintf(b, sizeof(b), "%.1f [%.1f-%.1f]", r->enq_med, r->enq_min, r->enq_max);
        if (base)
            snprintf(ratio, sizeof(ratio), "%.2fx", r->med / base->med);
        printf("%-30s %3d %-22s %-22s %8.1f %8.1f %7s %9.1f %9.1f %9.1f\n", r->impl->label,
               r->threads, a, b, r->cpu_med, r->others_med, ratio, r->defer_wakes,
               r->callback_wakes, r->nvcsw);
    }
    printf("per thread and call, 2 enqueuing threads against 1 (wall: 2 x enqueue(2) / "
           "enqueue(1); CPU: enqueue CPU(2) / enqueue CPU(1)):\n");
    for (int i = 0; i < nresults; i++) {
        const struct result *one = &results[i], *two = NULL;
        if (one->threads != 1)
            continue;
        for (int j = 0; j < nresults; j++)
            if (results[j].threads == 2 && results[j].impl == one->impl)
                two = &results[j];
        if (!two)
            continue;
        double wall = 2 * two->enq_med / one->enq_med, cpu = two->cpu_med / one->cpu_med;
        int aimed = !strcmp(one->impl->name, "call_srcu");
        printf("  %-30s wall %.2fx  CPU %.2fx%s\n", one->impl->label, wall, cpu,
               !aimed ? "" : wall <= 1.2 ? "  aim (wall) <= 1.2x  ok" : "  aim (wall) <= 1.2x  MISS");
    }
    for (int i = 0; i < nresults; i++) {
        const struct result *r = &results[i];
        if (r->threads == 1 && !strcmp(r->impl->name, "defer"))
            printf("aim: s4j_defer enqueue <= 25 ns median, 1 thread: %.1f ns  %s\n", r->enq_med,
                   r->enq_med <= 25 ? "ok" : "MISS");
    }
}

void bench_defer_json(FILE *f, int *first)
{
    for (int i = 0; i < nresults; i++) {
        const struct result *r = &results[i];
        fprintf(f, "%s\n  {\"name\": \"%s_%dt\", \"impl\": \"%s\", \"what\": \"%s, %d enqueuing "
                "thread(s), %llu items per run\", \"ns_per_op\": %.3f, \"min\": %.3f, "
                "\"max\": %.3f, \"enqueue_ns_per_op\": %.3f, \"enqueue_cpu_ns_per_call\": %.3f, "
                "\"workers_cpu_ns_per_call\": %.3f, \"reps\": %d, "
                "\"defer_wakeups_per_run\": %.1f, \"callback_wakeups_per_run\": %.1f, "
                "\"voluntary_ctx_switches_per_run\": %.1f}",
                *first ? "" : ",", r->impl->name, r->threads,
                r->impl->urcu ? "urcu" : "srcu4j", r->impl->label, r->threads,
                (unsigned long long)r->n, r->med, r->min, r->max, r->enq_med, r->cpu_med,
                r->others_med, RUNS,
                r->defer_wakes, r->callback_wakes, r->nvcsw);
        *first = 0;
    }
}
