// SPDX-License-Identifier: Apache-2.0
/*
 * synchronize against synchronize_expedited with 0, 1 and 2 busy readers per CPU, classic and fast
 * domains. A busy reader is a thread pinned to a CPU that runs short read sections back to back
 * (about 20 additions inside). The measuring thread stays pinned to CPU 0 (bench_native.c pins
 * it), so it shares that CPU with the readers there, as an updater does on a machine with more threads than CPUs.
 *
 * The two calls alternate batch by batch (a batch: calls of one kind until 20 us have passed, so
 * one call when they wait for readers, a few hundred when they do not), for 2 s per case (0.6 s
 * with --quick) after a tenth of that as warm-up: both meet the same readers, scheduler and
 * neighbours. A figure is the mean time per call over the whole case, the calls that waited for a
 * preempted reader included: most calls find no reader to wait for, and a median would hide the
 * ones that do. The case runs in 20 consecutive parts, each with its own ratio, expedited /
 * normal; the figure held to the aim (below 1) is the median of these, as the report's other
 * side-by-side ratios are: a part in which the machine's other load stalled a call for tens of
 * milliseconds (it happens on a shared host, to either kind) moves one part, not the figure.
 * The range of the parts' ratios is printed beside it.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "srcu4j/srcu4j.h"
#include "bench.h"

#define MAX_PER_CPU 2
#define PARTS 20
#define BATCH_NS 20000

struct busy {
    struct s4j_srcu *ssp;
    int fast, cpu;
    int stop;
};

static void pin_self(int cpu)
{
    cpu_set_t set;

    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    sched_setaffinity(0, sizeof(set), &set);
}

static void *busy_main(void *arg)
{
    struct busy *b = arg;
    volatile int sink = 0;

    pin_self(b->cpu);
    while (!__atomic_load_n(&b->stop, __ATOMIC_RELAXED)) {
        int32_t idx = b->fast ? s4j_srcu_read_lock_fast(b->ssp) : s4j_srcu_read_lock(b->ssp);
        for (int i = 0; i < 20; i++)
            sink += i;
        if (b->fast)
            s4j_srcu_read_unlock_fast(b->ssp, idx);
        else
            s4j_srcu_read_unlock(b->ssp, idx);
    }
    return NULL;
}

/* Time and calls of each kind: [0] synchronize, [1] expedited. */
struct tally {
    int64_t ns[2];
    long calls[2];
};

/* One batch of calls of one kind; adds its time and calls to t. */
static void batch(struct s4j_srcu *ssp, int expedited, struct tally *t)
{
    int64_t start = now_ns(), end = start + BATCH_NS, at;
    long calls = 0;

    do {
        if (expedited)
            s4j_srcu_synchronize_expedited(ssp);
        else
            s4j_srcu_synchronize(ssp);
        calls++;
    } while ((at = now_ns()) < end);
    t->ns[expedited] += at - start;
    t->calls[expedited] += calls;
}

/* Alternating batches until `until`; the kind that goes first alternates from pair to pair. */
static void alternate(struct s4j_srcu *ssp, int64_t until, struct tally *t)
{
    for (int first = 0; now_ns() < until; first ^= 1) {
        batch(ssp, first, t);
        batch(ssp, first ^ 1, t);
    }
}

static double mean_ns(const struct tally *t, int e)
{
    return t->calls[e] ? (double)t->ns[e] / (double)t->calls[e] : 0;
}

struct result {
    const char *flavor;
    int per_cpu;
    double mean[2];             /* ns per call */
    long calls[2];
    double ratio;               /* the median of the parts' ratios */
    double lo, hi;              /* their lowest and highest */
};

static struct result results[2 * (MAX_PER_CPU + 1)];
static int nresults;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void measure(struct result *res, struct s4j_srcu *ssp, int64_t case_ns)
{
    struct tally warm = { { 0 }, { 0 } }, all = { { 0 }, { 0 } };
    double ratios[PARTS];

    alternate(ssp, now_ns() + case_ns / 10, &warm);
    for (int p = 0; p < PARTS; p++) {
        struct tally part = { { 0 }, { 0 } };
        alternate(ssp, now_ns() + case_ns / PARTS, &part);
        ratios[p] = mean_ns(&part, 1) / mean_ns(&part, 0);
        for (int e = 0; e < 2; e++) {
            all.ns[e] += part.ns[e];
            all.calls[e] += part.calls[e];
        }
    }
    for (int e = 0; e < 2; e++) {
        res->mean[e] = mean_ns(&all, e);
        res->calls[e] = all.calls[e];
    }
    qsort(ratios, PARTS, sizeof(double), cmp_double);
    res->ratio = (ratios[PARTS / 2 - 1] + ratios[PARTS / 2]) / 2;
    res->lo = ratios[0];
    res->hi = ratios[PARTS - 1];
}

void bench_expedited_run(struct s4j_srcu *classic, struct s4j_srcu *fast, int quick)
{
    long ncpus = sysconf(_SC_NPROCESSORS_ONLN);
    int64_t case_ns = quick ? 600000000 : 2000000000;
    struct s4j_srcu *domains[2] = { classic, fast };
    static const char *const names[2] = { "classic", "fast" };

    if (ncpus < 1)
        ncpus = 1;
    for (int f = 0; f < 2; f++) {
        if (!domains[f])
            continue;
        for (int per = 0; per <= MAX_PER_CPU; per++) {
            int n = per * (int)ncpus;
            struct busy *busy = calloc((size_t)(n ? n : 1), sizeof(*busy));
            pthread_t *threads = calloc((size_t)(n ? n : 1), sizeof(*threads));
            if (!busy || !threads) {
                perror("calloc");
                exit(1);
            }
            fprintf(stderr, "  measuring synchronize vs expedited, %s, %d busy reader%s per CPU\n",
                    names[f], per, per == 1 ? "" : "s");
            for (int i = 0; i < n; i++) {
                busy[i] = (struct busy){ .ssp = domains[f], .fast = f, .cpu = i % (int)ncpus };
                pthread_create(&threads[i], NULL, busy_main, &busy[i]);
            }
            struct result *res = &results[nresults++];
            res->flavor = names[f];
            res->per_cpu = per;
            measure(res, domains[f], case_ns);
            for (int i = 0; i < n; i++) {
                __atomic_store_n(&busy[i].stop, 1, __ATOMIC_RELAXED);
                pthread_join(threads[i], NULL);
            }
            free(busy);
            free(threads);
        }
    }

    printf("\nsynchronize vs synchronize_expedited, busy readers per CPU (%ld CPUs), measuring thread "
           "on CPU 0; mean us per call over %.1f s of alternating batches per case; exp/sync: the "
           "median of %d parts' ratios, [lowest-highest]\n", ncpus, (double)case_ns / 1e9, PARTS);
    printf("%-8s %7s %12s %12s %9s %9s  %-15s  %s\n", "domain", "readers", "synchronize", "expedited",
           "calls", "exp/sync", "parts", "aim");
    for (int i = 0; i < nresults; i++) {
        const struct result *r = &results[i];
        double q = r->ratio;
        char parts[32];
        snprintf(parts, sizeof(parts), "[%.2f-%.2f]", r->lo, r->hi);
        printf("%-8s %7d %12.3f %12.3f %9ld %8.2fx  %-15s  < 1x %s\n", r->flavor, r->per_cpu,
               r->mean[0] / 1e3, r->mean[1] / 1e3, r->calls[0] + r->calls[1], q, parts,
               q < 1.0 ? "ok" : "MISS");
    }
}

void bench_expedited_json(FILE *f, int *first)
{
    static const char *const kinds[2] = { "synchronize", "synchronize_expedited" };
    static const char *const calls[2] = { "s4j_srcu_synchronize", "s4j_srcu_synchronize_expedited" };

    for (int i = 0; i < nresults; i++) {
        const struct result *r = &results[i];
        for (int e = 0; e < 2; e++) {
            fprintf(f, "%s\n  {\"name\": \"%s_busy%d_%s\", \"impl\": \"srcu4j\", \"what\": \"%s, "
                    "%s domain, %d busy reader(s) per CPU, mean ns per call, alternating with the "
                    "other\", \"ns_per_op\": %.3f, \"calls\": %ld, \"parts_min\": %.3f, "
                    "\"parts_max\": %.3f, \"expedited_vs_synchronize\": %.3f}",
                    *first ? "" : ",", kinds[e], r->per_cpu, r->flavor, calls[e], r->flavor,
                    r->per_cpu, r->mean[e], r->calls[e], r->lo, r->hi, r->ratio);
            *first = 0;
        }
    }
}
