// SPDX-License-Identifier: Apache-2.0
/*
 * s4j_study: the C probes behind `make study`. Each probe measures one thing on CPUs the caller
 * names and prints what it measured as records on stdout, one line each; progress goes to stderr.
 * The Java side (io.srcu4j.bench.study) picks the CPUs from the topology, runs the probes, adds
 * its own Java rows and writes the report. The probes compute no summary beyond a repetition's
 * own figure: medians and spreads over repetitions are the report's.
 *
 * Record lines:
 *   info <key>=<value> ...                      facts about the run (arch, rseq mode, ...)
 *   fig study=<s> key=<k> unit=<u> reps=<v,v,...> others=<pct> placed=<0|1> [<k>=<v> ...] label=<text>
 * reps holds one figure per repetition (after a warm-up one that is dropped); others is the CPU
 * time other processes took meanwhile, in % of all CPUs; placed is 0 when a pinned thread was
 * found off its CPU. label is last and runs to the end of the line. A row that could not be
 * measured is a fig line with reps= empty and why=<reason> (underscores for spaces).
 */
#ifndef S4J_STUDY_H
#define S4J_STUDY_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

/* How long and how often: --full makes every probe run longer. */
struct study_opts {
    int full;
    int reps;             /* repetitions after the warm-up */
    double rep_ms;        /* target length of one repetition of a loop */
};

/* A CPU pair the caller chose: a measures (or reads), b is the partner (or updates). */
struct study_pair {
    int a, b;
};

/* ---- harness.c: time, placement, load, output */

int64_t study_now_ns(void);
/* The calling thread's CPU time in ns. */
int64_t study_thread_cpu_ns(void);

/* Pins the calling thread to cpu through libsrcu4j and checks it runs there; 0, or -errno. */
int study_pin(int cpu);
/* 1 when the calling thread runs on cpu now (libsrcu4j's s4j_current_cpu). */
int study_on_cpu(int cpu);

/* Machine-wide busy time against this process's CPU time, to tell what other processes took. */
struct study_load {
    double busy_s, total_s, self_s;
};
struct study_load study_load_now(void);
/* CPU time other processes used between a and b, in % of all CPUs (0 when unknown). */
double study_others_pct(const struct study_load *a, const struct study_load *b);

/*
 * A record being built: study_fig_begin() starts it; the probe adds reps and extra fields, then
 * study_fig_end() prints it with its label. placed starts at 1; study_fig_check() clears it when a
 * pinned thread is not on its CPU.
 */
#define STUDY_MAX_REPS 64
#define STUDY_MAX_EXTRA 512
struct study_fig {
    char study[32], key[96], unit[16];
    double reps[STUDY_MAX_REPS];
    int nreps;
    int placed;
    struct study_load load0;
    char extra[STUDY_MAX_EXTRA];
};
void study_fig_begin(struct study_fig *f, const char *study, const char *key, const char *unit);
void study_fig_rep(struct study_fig *f, double value);
void study_fig_check(struct study_fig *f, int cpu);
void study_fig_extra(struct study_fig *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void study_fig_end(struct study_fig *f, const char *label);
/* A row this run cannot measure, and why (spaces in why become underscores). */
void study_fig_missing(const char *study, const char *key, const char *unit, const char *why,
                       const char *label);
void study_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void study_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * A partner thread pinned to a CPU: it runs fn(p) once pinned, and fn loops until
 * study_partner_running() turns 0. study_partner_start() returns once the partner is pinned.
 */
struct study_partner {
    pthread_t thread;
    int cpu;
    void (*fn)(struct study_partner *p);
    void *arg;
    int placed;           /* 0: the pin failed, and fn was not run */
    int ready;            /* set by the partner once it is pinned (or has failed to be) */
    int started;
};
/* 0, or -errno when no thread could be started; p->placed says whether it runs on cpu. */
int study_partner_start(struct study_partner *p, int cpu, void (*fn)(struct study_partner *p),
                        void *arg);
void study_partner_stop(struct study_partner *p);
int study_partner_running(void);

/* ---- stats.c: pure helpers (tested by test_stats.c) */

/* The median of v[0..n-1], which it sorts; NaN for n == 0. */
double study_median(double *v, int n);
/* The mean of the middle of v[0..n-1] (which it sorts), trim of each end left out; NaN for n == 0. */
double study_trimmed_mean(double *v, int n, double trim);
/* Reads "a:b,c:d,..." into pairs (at most max); returns the count, or -1 naming the bad token. */
int study_parse_pairs(const char *text, struct study_pair *pairs, int max, char *bad, int badlen);
/* Reads "a,b,c" into cpus (at most max); returns the count, or -1. */
int study_parse_cpus(const char *text, int *cpus, int max);
/* Iterations for one repetition: target_ns / est_ns_per_iter, within [lo, hi]. */
uint64_t study_iters(double est_ns_per_iter, double target_ns, uint64_t lo, uint64_t hi);

/* ---- the probes; each returns 0, or 1 after printing why it could not run */

int study_c2c(const struct study_opts *o, const struct study_pair *pairs, int npairs);
int study_fences(const struct study_opts *o, int a, int b);
int study_percpu(const struct study_opts *o, int a, int b);
int study_rseq(const struct study_opts *o, int a, int b);
int study_membarrier(const struct study_opts *o, const int *cpus, int ncpus);
int study_placement(const struct study_opts *o, const struct study_pair *pairs, int npairs);

/* A loop that runs its operation iters times; for the timed loops of fences.c and percpu.c. */
typedef void (*study_loop_fn)(void *arg, uint64_t iters);
/* ns per iteration of fn over one warm-up and o->reps repetitions, into f (pinned to cpu). */
void study_time_loop(const struct study_opts *o, struct study_fig *f, study_loop_fn fn, void *arg,
                     int cpu);

#endif
