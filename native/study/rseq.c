// SPDX-License-Identifier: Apache-2.0
/*
 * rseq aborts: how often the kernel restarts libsrcu4j's per-CPU increment (the rseq sequence of
 * srcu4j/static/arch/, called here directly so each restart can be counted), and what one costs.
 *
 * Rates: a worker thread runs sections (one increment each) back to back for a while, in four
 * scenarios: quiet (pinned to a, alone); migration (another thread moves it between a and b every
 * MIGRATE_US); preemption (pinned to a, sharing it with a spinning thread); signals (another
 * thread on b sends it SIGUSR1 every SIGNAL_US). Each repetition reports aborts per million
 * sections, with the events that caused them, and checks that the counters add up to the
 * sections run (rseq's promise: no increment lost or doubled).
 *
 * Cost: under the signal storm, the worker times chunks of COST_CHUNK sections with the clock
 * around each. A chunk one signal came into took the signal's whole delivery either way; those
 * where a section was restarted took the restart too. The cost of an abort is the difference
 * between the two kinds' median times, per repetition;
 * the signal's own cost is that of the chunks it came into without a restart over the quiet ones.
 * Blocks of chunks during which the worker was preempted are left out.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "srcu4j/srcu4j.h"
#include "srcu4j/static/percpu.h"
#include "study.h"

#define MIGRATE_US 200
#define SIGNAL_US 20
#define CHUNK 1024
#define STR_(x) #x
#define STR(x) STR_(x)

static struct {
    char *base;
    uint32_t ncpus;
    pthread_t worker;
    pid_t worker_tid;
    int a, b;
} rq;

/* Signals the worker took; written by its handler, read by the worker (same thread). */
static volatile sig_atomic_t signals_seen;
/* Migrations the controller made; relaxed: a count read after the partner is joined. */
static uint64_t migrations;

static void on_signal(int sig)
{
    (void)sig;
    signals_seen++;
}

static uint64_t slot_sum(void)
{
    uint64_t sum = 0;

    for (uint32_t c = 0; c <= rq.ncpus; c++)
        sum += *s4j_percpu_slot(rq.base, c);
    return sum;
}

static void spin_ns(int64_t ns)
{
    int64_t end = study_now_ns() + ns;

    while (study_now_ns() < end && study_partner_running())
        ;
}

/* Moves the worker between a and b. The library pins only the calling thread, so this sets
 * another thread's affinity with the system call itself. */
static void migrator(struct study_partner *p)
{
    struct timespec pause = { 0, MIGRATE_US * 1000L };
    int to = rq.b;

    while (study_partner_running()) {
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(to, &one);
        if (sched_setaffinity(rq.worker_tid, sizeof(one), &one) == 0)
            __atomic_fetch_add(&migrations, 1, __ATOMIC_RELAXED);
        to = to == rq.a ? rq.b : rq.a;
        nanosleep(&pause, NULL);
    }
}

static void hog(struct study_partner *p)
{
    while (study_partner_running())
        __asm__ __volatile__("" ::: "memory");
}

static void signaller(struct study_partner *p)
{
    while (study_partner_running()) {
        pthread_kill(rq.worker, SIGUSR1);
        spin_ns(SIGNAL_US * 1000L);
    }
}

/* Involuntary context switches of the calling thread: its preemptions. */
static long preemptions(void)
{
    struct rusage ru;

    return getrusage(RUSAGE_THREAD, &ru) == 0 ? ru.ru_nivcsw : 0;
}

/* One sequence until it commits; *aborts counts the restarts. */
static inline void section(struct rseq *rs, uint64_t *aborts)
{
    int rc;

    /* Retried only after the kernel aborted it (preemption, migration, signal); each try is a
     * few instructions, so it commits once the thread runs undisturbed that long. */
    while ((rc = s4j_rseq_percpu_inc(rs, rq.base, rq.ncpus)) < 0)
        (*aborts)++;
    if (rc)
        srcu4j_static_percpu_inc_slow(rq.base, rq.ncpus);
}

struct run {
    uint64_t sections, aborts, cpu_changes;
    long preempted;
    int signals;
};

static struct run run_sections(int64_t ns)
{
    struct rseq *rs = s4j_rseq_area();
    struct run r = { 0, 0, 0, 0, 0 };
    int64_t end = study_now_ns() + ns;
    long p0 = preemptions();
    int s0 = signals_seen;
    int32_t cpu = (int32_t)rs->cpu_id;

    do {
        for (int i = 0; i < CHUNK; i++)
            section(rs, &r.aborts);
        r.sections += CHUNK;
        int32_t now = (int32_t)S4J_READ_ONCE(rs->cpu_id);
        if (now != cpu) {
            r.cpu_changes++;
            cpu = now;
        }
    } while (study_now_ns() < end);
    r.preempted = preemptions() - p0;
    r.signals = signals_seen - s0;
    return r;
}

static const struct {
    const char *key, *label, *event;
    void (*partner)(struct study_partner *);
    int on_a;             /* the partner shares CPU a with the worker */
    int needs_b;
} scenarios[] = {
    { "quiet", "quiet: pinned, alone", "preemptions", NULL, 0, 0 },
    { "migration", "forced migration every " STR(MIGRATE_US) " us", "migrations", migrator, 0, 1 },
    { "preemption", "preemption: a spinning thread on the same CPU", "preemptions", hog, 1, 0 },
    { "signals", "a signal every " STR(SIGNAL_US) " us", "signals", signaller, 0, 1 },
};

static void rates(const struct study_opts *o, int reps, int64_t rep_ns)
{
    for (size_t s = 0; s < sizeof(scenarios) / sizeof(scenarios[0]); s++) {
        char key[64];
        snprintf(key, sizeof(key), "aborts/%s", scenarios[s].key);
        if (scenarios[s].needs_b && rq.b < 0) {
            study_fig_missing("rseq", key, "per_million", "one CPU allowed: needs a second",
                              scenarios[s].label);
            continue;
        }
        study_progress("rseq aborts (C): %s", scenarios[s].label);
        struct study_fig f;
        struct study_partner partner = { 0 };
        uint64_t sections = 0, aborts = 0, events = 0;
        int exact = 1;
        study_fig_begin(&f, "rseq", key, "per_million");
        if (study_pin(rq.a) != 0) {
            study_fig_missing("rseq", key, "per_million", "the worker could not be pinned",
                              scenarios[s].label);
            continue;
        }
        __atomic_store_n(&migrations, 0, __ATOMIC_RELAXED);
        if (scenarios[s].partner &&
            (study_partner_start(&partner, scenarios[s].on_a ? rq.a : rq.b, scenarios[s].partner,
                                 NULL) != 0 || !partner.placed)) {
            study_partner_stop(&partner);
            study_fig_missing("rseq", key, "per_million", "the partner could not be pinned",
                              scenarios[s].label);
            continue;
        }
        run_sections(rep_ns / 4);      /* warm-up */
        for (int r = 0; r < reps; r++) {
            memset(rq.base, 0, ((size_t)rq.ncpus + 1) * S4J_CACHE_LINE);
            struct run run = run_sections(rep_ns);
            exact &= slot_sum() == run.sections;
            sections += run.sections;
            aborts += run.aborts;
            events += !strcmp(scenarios[s].event, "signals") ? (uint64_t)run.signals
                      : !strcmp(scenarios[s].event, "preemptions") ? (uint64_t)run.preempted : 0;
            study_fig_rep(&f, 1e6 * (double)run.aborts / (double)run.sections);
        }
        study_partner_stop(&partner);
        if (!strcmp(scenarios[s].event, "migrations"))
            events = __atomic_load_n(&migrations, __ATOMIC_RELAXED);
        /* The migration scenario moved the worker on purpose: it is placed as asked. */
        if (strcmp(scenarios[s].key, "migration") != 0)
            study_fig_check(&f, rq.a);
        study_fig_extra(&f, "sections=%llu aborts=%llu events=%llu event=%s exact=%d a=%d b=%d",
                        (unsigned long long)sections, (unsigned long long)aborts,
                        (unsigned long long)events, scenarios[s].event, exact, rq.a, rq.b);
        study_fig_end(&f, scenarios[s].label);
    }
}

/* ---- the cost of one abort */

/* Sections per timed chunk: the chunk is mostly sections, so most signals land inside one. */
#define COST_CHUNK 64
/* Chunks per block: the preemption count is read around a block, about 40 us. */
#define COST_BLOCK 256

struct samples {
    double *v;
    int n, max;
};

static void add(struct samples *s, double v)
{
    if (s->n < s->max)
        s->v[s->n++] = v;
}

static void cost(const struct study_opts *o, int reps, int64_t rep_ns)
{
    const char *label = "extra time of a signalled chunk whose section was restarted";
    struct samples hit = { NULL, 0, 100000 }, clean = { NULL, 0, 100000 }, quiet = { NULL, 0, 100000 };
    struct study_fig f, sig;
    struct study_partner partner = { 0 };
    struct rseq *rs = s4j_rseq_area();
    int total_hit = 0, total_clean = 0;
    double trimmed_diff = NAN;

    if (rq.b < 0) {
        study_fig_missing("rseq", "abort_cost", "ns", "one CPU allowed: needs a second", label);
        return;
    }
    hit.v = malloc(sizeof(double) * (size_t)hit.max);
    clean.v = malloc(sizeof(double) * (size_t)clean.max);
    quiet.v = malloc(sizeof(double) * (size_t)quiet.max);
    if (!hit.v || !clean.v || !quiet.v || study_pin(rq.a) != 0 ||
        study_partner_start(&partner, rq.b, signaller, NULL) != 0 || !partner.placed) {
        study_partner_stop(&partner);
        free(hit.v);
        free(clean.v);
        free(quiet.v);
        study_fig_missing("rseq", "abort_cost", "ns", "could not set up the worker and sender", label);
        return;
    }
    study_progress("rseq abort cost (C): chunks of %d sections timed under a signal every %d us",
                   COST_CHUNK, SIGNAL_US);
    study_fig_begin(&f, "rseq", "abort_cost", "ns");
    study_fig_begin(&sig, "rseq", "signal_cost", "ns");
    for (int r = -1; r < reps; r++) {
        hit.n = clean.n = quiet.n = 0;
        int64_t end = study_now_ns() + rep_ns;
        while (study_now_ns() < end) {
            /* A block of chunks, kept only if the worker was not preempted during it: a
             * preempted chunk took the time it waited for its CPU, and a preemption restarts a
             * section as a signal does. The counter is a system call, read once per block. */
            struct { double ns; int kind; } block[COST_BLOCK];
            int n = 0;
            long p0 = preemptions();
            for (int c = 0; c < COST_BLOCK; c++) {
                uint64_t aborts = 0;
                int s0 = signals_seen;
                int64_t t0 = study_now_ns();
                for (int i = 0; i < COST_CHUNK; i++)
                    section(rs, &aborts);
                int64_t t1 = study_now_ns();
                int got = signals_seen - s0;
                /* Chunks one signal came into (its delivery lies inside [t0, t1] but for the few
                 * instructions around the clock reads), by whether a section restarted; and
                 * chunks no signal came into, for the base. */
                if (got <= 1)
                    block[n++] = (typeof(block[0])){ (double)(t1 - t0), got == 0 ? 0 : aborts ? 1 : 2 };
            }
            if (preemptions() != p0)
                continue;
            for (int i = 0; i < n; i++)
                add(block[i].kind == 0 ? &quiet : block[i].kind == 1 ? &hit : &clean, block[i].ns);
        }
        if (r < 0 || hit.n < 10 || clean.n < 10 || quiet.n < 10)
            continue;
        total_hit += hit.n;
        total_clean += clean.n;
        double mh = study_median(hit.v, hit.n);
        double mc = study_median(clean.v, clean.n);
        double mq = study_median(quiet.v, quiet.n);
        study_fig_rep(&f, mh - mc);
        study_fig_rep(&sig, mc - mq);
        /* For the record: the means of the middle 80 %, which the tails (time the hypervisor
         * took the CPU away, which no count here shows) move much more than the medians. */
        trimmed_diff = study_trimmed_mean(hit.v, hit.n, 0.1) - study_trimmed_mean(clean.v, clean.n, 0.1);
    }
    study_partner_stop(&partner);
    study_fig_check(&f, rq.a);
    study_fig_extra(&f, "restarted_chunks=%d clean_chunks=%d chunk=%d last_trimmed_mean_diff=%.0f a=%d b=%d",
                    total_hit, total_clean, COST_CHUNK, trimmed_diff, rq.a, rq.b);
    if (f.nreps == 0)
        study_fig_extra(&f, "why=fewer_than_10_signalled_chunks_of_each_kind_in_every_repetition");
    study_fig_end(&f, label);
    study_fig_extra(&sig, "clean_chunks=%d chunk=%d", total_clean, COST_CHUNK);
    if (sig.nreps == 0)
        study_fig_extra(&sig, "why=fewer_than_10_signalled_chunks_in_every_repetition");
    study_fig_end(&sig, "signal delivery: a signalled chunk no section of which restarted, over a quiet one");
    free(hit.v);
    free(clean.v);
    free(quiet.v);
}

int study_rseq(const struct study_opts *o, int a, int b)
{
    struct s4j_capabilities caps;
    struct sigaction sa;

    s4j_capabilities_get(&caps);
    if (caps.rseq_mode == S4J_RSEQ_UNAVAILABLE) {
        study_fig_missing("rseq", "aborts/quiet", "per_million", "rseq is unavailable here",
                          "rseq aborts");
        return 0;
    }
    rq.ncpus = (uint32_t)caps.possible_cpus;
    rq.base = aligned_alloc(S4J_CACHE_LINE, ((size_t)rq.ncpus + 1) * S4J_CACHE_LINE);
    if (!rq.base) {
        fprintf(stderr, "s4j_study: rseq: out of memory\n");
        return 1;
    }
    rq.worker = pthread_self();
    rq.worker_tid = (pid_t)syscall(SYS_gettid);
    rq.a = a;
    rq.b = b;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    /* Own registration (glibc made none): the library's slow path registers this thread. */
    srcu4j_static_percpu_inc_slow(rq.base, rq.ncpus);
    study_info("rseq_mode=%s migrate_us=%d signal_us=%d",
               caps.rseq_mode == S4J_RSEQ_GLIBC ? "glibc" : "own", MIGRATE_US, SIGNAL_US);

    int reps = o->full ? 5 : 3;
    int64_t rep_ns = o->full ? 2000000000LL : 400000000LL;
    rates(o, reps, rep_ns);
    cost(o, reps, rep_ns);
    signal(SIGUSR1, SIG_IGN);
    free(rq.base);
    return 0;
}
