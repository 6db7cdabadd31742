// SPDX-License-Identifier: Apache-2.0
/*
 * synchronize against synchronize_expedited with 0, 1 and 2 busy readers per CPU, classic and fast
 * domains. A busy reader is a thread pinned to a CPU that runs short read sections back to back
 * (about 20 additions inside). The measuring thread stays pinned to CPU 0, so it shares that CPU
 * with the readers there, as an updater does on a machine with more threads than CPUs.
 *
 * A repetition counts the calls made in a fixed window (50 ms, 20 ms with --quick) and gives the
 * window's time per call: the mean latency over every call, the ones that waited for a preempted
 * reader included (a median per call would hide them: most calls find no reader to wait for).
 * The two calls alternate repetition by repetition, 1 warm-up + 9 each; the table gives the median
 * [min-max] and the ratio of the medians, expedited / normal, whose aim is below 1.
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

#define REPS 9
#define MAX_PER_CPU 2

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

/* ns per call of sync (or expedited) over a window of window_ns. */
static double window(struct s4j_srcu *ssp, int expedited, int64_t window_ns)
{
    int64_t start = now_ns(), end = start + window_ns, t;
    long calls = 0;

    do {
        if (expedited)
            s4j_srcu_synchronize_expedited(ssp);
        else
            s4j_srcu_synchronize(ssp);
        calls++;
    } while ((t = now_ns()) < end);
    return (double)(t - start) / (double)calls;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

struct result {
    const char *flavor;
    int per_cpu;
    double med[2], min[2], max[2];    /* [0] synchronize, [1] expedited */
};

static struct result results[2 * (MAX_PER_CPU + 1)];
static int nresults;

void bench_expedited_run(struct s4j_srcu *classic, struct s4j_srcu *fast, int quick)
{
    long ncpus = sysconf(_SC_NPROCESSORS_ONLN);
    int64_t window_ns = quick ? 20000000 : 50000000;
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
            double v[2][REPS];
            for (int r = -1; r < REPS; r++) {
                for (int e = 0; e < 2; e++) {
                    double ns = window(domains[f], e, window_ns);
                    if (r >= 0)
                        v[e][r] = ns;
                }
            }
            for (int i = 0; i < n; i++) {
                __atomic_store_n(&busy[i].stop, 1, __ATOMIC_RELAXED);
                pthread_join(threads[i], NULL);
            }
            free(busy);
            free(threads);
            struct result *res = &results[nresults++];
            res->flavor = names[f];
            res->per_cpu = per;
            for (int e = 0; e < 2; e++) {
                qsort(v[e], REPS, sizeof(double), cmp_double);
                res->med[e] = v[e][REPS / 2];
                res->min[e] = v[e][0];
                res->max[e] = v[e][REPS - 1];
            }
        }
    }

    printf("\nsynchronize vs synchronize_expedited, busy readers per CPU (%ld CPUs), measuring thread "
           "on CPU 0; us per call over %lld ms windows, median [min-max] of %d\n", ncpus,
           (long long)(window_ns / 1000000), REPS);
    printf("%-8s %9s %-26s %-26s %9s  %s\n", "domain", "readers", "synchronize", "expedited",
           "exp/sync", "aim (exp/sync)");
    for (int i = 0; i < nresults; i++) {
        const struct result *r = &results[i];
        char s[64], e[64];
        snprintf(s, sizeof(s), "%.2f [%.2f-%.2f]", r->med[0] / 1e3, r->min[0] / 1e3,
                 r->max[0] / 1e3);
        snprintf(e, sizeof(e), "%.2f [%.2f-%.2f]", r->med[1] / 1e3, r->min[1] / 1e3,
                 r->max[1] / 1e3);
        double q = r->med[1] / r->med[0];
        printf("%-8s %9d %-26s %-26s %8.2fx  < 1.0x  %s\n", r->flavor, r->per_cpu, s, e, q,
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
                    "%s domain, %d busy reader(s) per CPU, ns per call over a window\", "
                    "\"ns_per_op\": %.3f, \"min\": %.3f, \"max\": %.3f, \"reps\": %d, "
                    "\"expedited_vs_synchronize\": %.3f}",
                    *first ? "" : ",", kinds[e], r->per_cpu, r->flavor, calls[e], r->flavor,
                    r->per_cpu, r->med[e], r->min[e], r->max[e], REPS, r->med[1] / r->med[0]);
            *first = 0;
        }
    }
}
