// SPDX-License-Identifier: Apache-2.0
/*
 * synchronize against synchronize_expedited with 0, 1 and 2 busy readers per CPU, classic and fast
 * domains. A busy reader is a thread pinned to a CPU that runs short read sections back to back
 * (about 20 additions inside). The measuring thread stays pinned to CPU 0 (bench_native.c pins
 * it), so it shares that CPU with the readers there, as an updater does on a machine with more
 * threads than CPUs.
 *
 * The two calls alternate batch by batch (a batch: calls of one kind until 20 us have passed, so
 * one call when they wait for readers, a few hundred when they do not), for 2 s per case (0.6 s
 * with --quick) after a tenth of that as warm-up: both meet the same readers, scheduler and
 * neighbours. A figure is the mean time per call over the case, the calls that waited for a
 * preempted reader included (most calls find no reader to wait for, and a median would hide the
 * ones that do), with the longest 1 per mille of each kind's batches left out: on a shared host a
 * neighbour's load stalls a call for tens or hundreds of milliseconds now and then, whichever
 * kind is running, and a few such stalls outweigh the rest of the case. (Leaving out more, 1 %,
 * also drops the waits for a preempted reader where they are rare, which are what the pace
 * changes.) The ratio is expedited / normal, whose aim is below 1; beside it the same over the
 * case's first and second halves, and with nothing left out, to show how much the machine moved
 * it.
 *
 * Every case runs ROUNDS times (QUICK_ROUNDS with --quick), the rounds taking turns with the
 * other cases' (round 1 of each case, then round 2 of each, ...), with new reader threads each
 * time: with busy readers, a call waits for whichever reader the schedulers left preempted inside
 * a section, and one 2 s case swung from 0.71 to 1.05 between runs on this 2-CPU host while the
 * others stayed put. The case's figures are those of its median round by ratio, as the Java
 * cases take their median JVM's, and every round's ratio is printed beside them.
 *
 * Beside them, what bounds the fast cases: the membarrier calls ([X]) each kind made per call
 * (s4j_membarrier_count() around each batch, every batch), and what one [X] costs with the case's
 * readers running (the mean of MEMBARRIER_SAMPLES calls made right after the case, here: the same
 * system call the scans make); and the measuring thread's own CPU time per call of each kind, every
 * batch (an [X] is spent on the caller's CPU, waiting for the other CPUs' interrupts, where a sleep
 * is not): when both kinds spend the same CPU, only the waits for readers can set them apart.
 */
#define _GNU_SOURCE
#include <linux/membarrier.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "srcu4j/srcu4j.h"
#include "bench.h"

#define MAX_PER_CPU 2
#define TRIM_PER_MILLE 1
#define BATCH_NS 20000
#define MEMBARRIER_SAMPLES 200
#define ROUNDS 5
#define QUICK_ROUNDS 3

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

/* The batches of one kind, in the order they ran: each one's time and calls. */
struct kind {
    int64_t *ns;
    long *calls;
    size_t n, cap;
    uint64_t barriers;          /* membarrier calls made during its batches */
    int64_t cpu_ns;             /* the measuring thread's CPU time during its batches */
};

static void record(struct kind *k, int64_t ns, long calls)
{
    if (k->n == k->cap) {
        k->cap = k->cap ? 2 * k->cap : 4096;
        k->ns = realloc(k->ns, k->cap * sizeof(*k->ns));
        k->calls = realloc(k->calls, k->cap * sizeof(*k->calls));
        if (!k->ns || !k->calls) {
            perror("realloc");
            exit(1);
        }
    }
    k->ns[k->n] = ns;
    k->calls[k->n] = calls;
    k->n++;
}

/* One batch of calls of one kind, recorded in k. */
static void batch(struct s4j_srcu *ssp, int expedited, struct kind *k)
{
    uint64_t barriers = s4j_membarrier_count();
    int64_t cpu = clock_ns(CLOCK_THREAD_CPUTIME_ID);
    int64_t start = now_ns(), end = start + BATCH_NS, at;
    long calls = 0;

    do {
        if (expedited)
            s4j_srcu_synchronize_expedited(ssp);
        else
            s4j_srcu_synchronize(ssp);
        calls++;
    } while ((at = now_ns()) < end);
    k->barriers += s4j_membarrier_count() - barriers;
    k->cpu_ns += clock_ns(CLOCK_THREAD_CPUTIME_ID) - cpu;
    record(k, at - start, calls);
}

/* Alternating batches until `until`; the kind that goes first alternates from pair to pair. */
static void alternate(struct s4j_srcu *ssp, int64_t until, struct kind k[2])
{
    for (int first = 0; now_ns() < until; first ^= 1) {
        batch(ssp, first, &k[first]);
        batch(ssp, first ^ 1, &k[first ^ 1]);
    }
}

static const struct kind *sorting;

/* Longest first. */
static int cmp_longer(const void *a, const void *b)
{
    int64_t x = sorting->ns[*(const size_t *)a], y = sorting->ns[*(const size_t *)b];
    return (x < y) - (x > y);
}

/*
 * Mean ns per call of batches [from, to) of k; with trim, the longest TRIM_PER_MILLE per mille
 * of them (at least one) left out.
 */
static double mean_ns(const struct kind *k, size_t from, size_t to, int trim)
{
    size_t n = to - from, drop = trim ? (n * TRIM_PER_MILLE + 999) / 1000 : 0;
    size_t *order = malloc((n ? n : 1) * sizeof(*order));
    double ns = 0, calls = 0;

    if (!order) {
        perror("malloc");
        exit(1);
    }
    for (size_t i = 0; i < n; i++)
        order[i] = from + i;
    sorting = k;
    qsort(order, n, sizeof(*order), cmp_longer);
    for (size_t i = drop; i < n; i++) {
        ns += (double)k->ns[order[i]];
        calls += (double)k->calls[order[i]];
    }
    free(order);
    return calls > 0 ? ns / calls : 0;
}

/* One round of one case. */
struct result {
    double mean[2];             /* ns per call, the longest batches left out */
    double untrimmed[2];        /* ns per call, every batch */
    long calls[2];
    double ratio;               /* expedited / normal of mean */
    double halves[2];           /* the same over the first and the second half of the case */
    double barriers[2];         /* membarrier calls per call */
    double cpu[2];              /* the measuring thread's CPU ns per call, every batch */
    double barrier_ns;          /* one membarrier beside the readers; 0 where none was made */
};

/* One case: its rounds, in the order they ran, and the median one by ratio. */
struct bench_case {
    const char *flavor;
    int fast;                       /* 1: the fast domain and its readers */
    int per_cpu;
    int rounds;
    struct result round[ROUNDS];
    double sorted_ratios[ROUNDS];   /* the rounds' ratios, lowest first */
    const struct result *median;
};

static struct bench_case cases[2 * (MAX_PER_CPU + 1)];
static int ncases;

/* Mean ns of one membarrier(PRIVATE_EXPEDITED), the fast scans' [X], made from here now. */
static double membarrier_ns(void)
{
    int64_t start = now_ns();

    for (int i = 0; i < MEMBARRIER_SAMPLES; i++)
        syscall(__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0);
    return (double)(now_ns() - start) / MEMBARRIER_SAMPLES;
}

static void measure(struct result *res, struct s4j_srcu *ssp, int64_t case_ns)
{
    struct kind warm[2] = { { 0 } }, k[2] = { { 0 } };

    alternate(ssp, now_ns() + case_ns / 10, warm);
    alternate(ssp, now_ns() + case_ns, k);
    for (int e = 0; e < 2; e++) {
        res->mean[e] = mean_ns(&k[e], 0, k[e].n, 1);
        res->untrimmed[e] = mean_ns(&k[e], 0, k[e].n, 0);
        res->calls[e] = 0;
        for (size_t i = 0; i < k[e].n; i++)
            res->calls[e] += k[e].calls[i];
        res->barriers[e] = res->calls[e] ? (double)k[e].barriers / (double)res->calls[e] : 0;
        res->cpu[e] = res->calls[e] ? (double)k[e].cpu_ns / (double)res->calls[e] : 0;
    }
    /* Registered for (s4j_srcu_create) only when the process has a fast domain. */
    res->barrier_ns = s4j_srcu_flavor(ssp) == S4J_FLAVOR_FAST ? membarrier_ns() : 0;
    res->ratio = res->mean[1] / res->mean[0];
    /* Both kinds ran the same number of batches, give or take the last pair's. */
    size_t half = (k[0].n < k[1].n ? k[0].n : k[1].n) / 2;
    res->halves[0] = mean_ns(&k[1], 0, half, 1) / mean_ns(&k[0], 0, half, 1);
    res->halves[1] = mean_ns(&k[1], half, k[1].n, 1) / mean_ns(&k[0], half, k[0].n, 1);
    for (int e = 0; e < 2; e++) {
        free(warm[e].ns);
        free(warm[e].calls);
        free(k[e].ns);
        free(k[e].calls);
    }
}

/* Starts n busy readers on domain ssp, spread over the CPUs. */
static struct busy *start_readers(struct s4j_srcu *ssp, int fast, int n, int ncpus, pthread_t **threads)
{
    struct busy *busy = calloc((size_t)(n ? n : 1), sizeof(*busy));

    *threads = calloc((size_t)(n ? n : 1), sizeof(**threads));
    if (!busy || !*threads) {
        perror("calloc");
        exit(1);
    }
    for (int i = 0; i < n; i++) {
        busy[i] = (struct busy){ .ssp = ssp, .fast = fast, .cpu = i % ncpus };
        pthread_create(&(*threads)[i], NULL, busy_main, &busy[i]);
    }
    return busy;
}

static void stop_readers(struct busy *busy, pthread_t *threads, int n)
{
    for (int i = 0; i < n; i++)
        __atomic_store_n(&busy[i].stop, 1, __ATOMIC_RELAXED);
    for (int i = 0; i < n; i++)
        pthread_join(threads[i], NULL);
    free(busy);
    free(threads);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts the case's round ratios and picks its median round. */
static void pick_median(struct bench_case *c)
{
    for (int r = 0; r < c->rounds; r++)
        c->sorted_ratios[r] = c->round[r].ratio;
    qsort(c->sorted_ratios, (size_t)c->rounds, sizeof(double), cmp_double);
    double median = c->sorted_ratios[c->rounds / 2];
    for (int r = 0; r < c->rounds; r++)
        if (c->round[r].ratio == median)
            c->median = &c->round[r];
}

void bench_expedited_run(struct s4j_srcu *classic, struct s4j_srcu *fast, int quick)
{
    long ncpus = sysconf(_SC_NPROCESSORS_ONLN);
    int64_t case_ns = quick ? 600000000 : 2000000000;
    int rounds = quick ? QUICK_ROUNDS : ROUNDS;
    struct s4j_srcu *domains[2] = { classic, fast };
    static const char *const names[2] = { "classic", "fast" };

    if (ncpus < 1)
        ncpus = 1;
    for (int f = 0; f < 2; f++)
        for (int per = 0; per <= MAX_PER_CPU && domains[f]; per++)
            cases[ncases++] = (struct bench_case){ .flavor = names[f], .fast = f, .per_cpu = per, .rounds = rounds };
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < ncases; i++) {
            struct bench_case *c = &cases[i];
            int n = c->per_cpu * (int)ncpus;
            pthread_t *threads;
            fprintf(stderr, "  measuring synchronize vs expedited, %s, %d busy reader%s per CPU, round %d of %d\n",
                    c->flavor, c->per_cpu, c->per_cpu == 1 ? "" : "s", r + 1, rounds);
            struct busy *busy = start_readers(domains[c->fast], c->fast, n, (int)ncpus, &threads);
            measure(&c->round[r], domains[c->fast], case_ns);
            stop_readers(busy, threads, n);
        }
    }
    for (int i = 0; i < ncases; i++)
        pick_median(&cases[i]);

    printf("\nsynchronize vs synchronize_expedited, busy readers per CPU (%ld CPUs), measuring thread "
           "on CPU 0; each case %d rounds of %.1f s of alternating batches, taking turns with the other "
           "cases'; the figures of the median round by ratio: mean us per call, the longest %d per mille "
           "of each kind's batches left out; rounds: every round's ratio, lowest first; halves: the ratio "
           "over each half of the median round; all: with no batch left out; CPU: the measuring "
           "thread's CPU time per call, expedited / synchronize; [X]/call: membarrier calls per "
           "synchronize, per expedited call; us/[X]: one membarrier beside the case's readers\n",
           ncpus, rounds, (double)case_ns / 1e9, TRIM_PER_MILLE);
    printf("%-8s %7s %12s %12s %9s %9s  %-29s %-13s %6s %6s  %-10s %6s  %s\n", "domain", "readers",
           "synchronize", "expedited", "calls", "exp/sync", "rounds", "halves", "all", "CPU", "[X]/call",
           "us/[X]", "aim");
    for (int i = 0; i < ncases; i++) {
        const struct bench_case *c = &cases[i];
        const struct result *m = c->median;
        char ratios[64] = "", halves[32], barriers[32];
        for (int r = 0, at = 0; r < c->rounds; r++)
            at += snprintf(ratios + at, sizeof(ratios) - (size_t)at, "%s%.2f", r ? " " : "", c->sorted_ratios[r]);
        snprintf(halves, sizeof(halves), "%.2f, %.2f", m->halves[0], m->halves[1]);
        snprintf(barriers, sizeof(barriers), "%.2f, %.2f", m->barriers[0], m->barriers[1]);
        printf("%-8s %7d %12.3f %12.3f %9ld %8.2fx  %-29s %-13s %5.2fx %5.2fx  %-10s %6.1f  < 1x %s\n",
               c->flavor, c->per_cpu, m->mean[0] / 1e3, m->mean[1] / 1e3, m->calls[0] + m->calls[1], m->ratio,
               ratios, halves, m->untrimmed[1] / m->untrimmed[0], m->cpu[0] > 0 ? m->cpu[1] / m->cpu[0] : 0,
               barriers, m->barrier_ns / 1e3, m->ratio < 1.0 ? "ok" : "MISS");
    }
}

void bench_expedited_json(FILE *f, int *first)
{
    static const char *const kinds[2] = { "synchronize", "synchronize_expedited" };
    static const char *const calls[2] = { "s4j_srcu_synchronize", "s4j_srcu_synchronize_expedited" };

    for (int i = 0; i < ncases; i++) {
        const struct bench_case *c = &cases[i];
        const struct result *r = c->median;
        for (int e = 0; e < 2; e++) {
            fprintf(f, "%s\n  {\"name\": \"%s_busy%d_%s\", \"impl\": \"srcu4j\", \"what\": \"%s, "
                    "%s domain, %d busy reader(s) per CPU, mean ns per call alternating with the "
                    "other, the longest %d per mille of batches left out, the median of %d rounds\", "
                    "\"ns_per_op\": %.3f, \"untrimmed_ns_per_op\": %.3f, \"calls\": %ld, "
                    "\"expedited_vs_synchronize\": %.4f, \"first_half\": %.4f, \"second_half\": %.4f, "
                    "\"untrimmed_ratio\": %.4f, \"membarriers_per_call\": %.4f, \"membarrier_ns\": %.1f, "
                    "\"cpu_ns_per_op\": %.1f, \"rounds\": %d",
                    *first ? "" : ",", kinds[e], c->per_cpu, c->flavor, calls[e], c->flavor,
                    c->per_cpu, TRIM_PER_MILLE, c->rounds, r->mean[e], r->untrimmed[e], r->calls[e], r->ratio,
                    r->halves[0], r->halves[1], r->untrimmed[1] / r->untrimmed[0], r->barriers[e],
                    r->barrier_ns, r->cpu[e], c->rounds);
            /* Every round's ratio, lowest first: round_ratio_1 .. round_ratio_<rounds>. */
            for (int k = 0; k < c->rounds; k++)
                fprintf(f, ", \"round_ratio_%d\": %.4f", k + 1, c->sorted_ratios[k]);
            fputc('}', f);
            *first = 0;
        }
    }
}
