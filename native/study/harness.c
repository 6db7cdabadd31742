// SPDX-License-Identifier: Apache-2.0
/*
 * What every probe shares: clocks, pinning through libsrcu4j with a check that the thread runs
 * where it was put, the CPU share other processes took during a figure, record output, partner
 * threads, and the timed loop.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "srcu4j/srcu4j.h"
#include "study.h"

static int64_t clock_ns(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t study_now_ns(void)
{
    return clock_ns(CLOCK_MONOTONIC);
}

int64_t study_thread_cpu_ns(void)
{
    return clock_ns(CLOCK_THREAD_CPUTIME_ID);
}

int study_on_cpu(int cpu)
{
    return s4j_current_cpu() == cpu;
}

int study_pin(int cpu)
{
    int rc = s4j_pin_current_thread(cpu);

    if (rc < 0)
        return rc;
    /* sched_setaffinity moves a running thread before it returns; a thread found elsewhere
     * right after has been moved back out by someone else (a cpuset change). */
    for (int tries = 0; tries < 100; tries++) {
        if (study_on_cpu(cpu))
            return 0;
        sched_yield();
    }
    return -EAGAIN;
}

/*
 * /proc/stat's first line: user nice system idle iowait irq softirq steal. Busy is everything
 * but idle and iowait (steal is time the hypervisor gave to others: taken from us). Our own
 * share is the process's CPU time; the rest of busy is other processes'.
 */
struct study_load study_load_now(void)
{
    struct study_load l = { 0, 0, 0 };
    unsigned long long t[8] = { 0 };
    FILE *f = fopen("/proc/stat", "re");

    if (f) {
        if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &t[0], &t[1], &t[2], &t[3],
                   &t[4], &t[5], &t[6], &t[7]) == 8) {
            double tick = 1.0 / (double)sysconf(_SC_CLK_TCK);
            double idle = (double)(t[3] + t[4]) * tick;
            l.busy_s = (double)(t[0] + t[1] + t[2] + t[5] + t[6] + t[7]) * tick;
            l.total_s = l.busy_s + idle;
        }
        fclose(f);
    }
    l.self_s = (double)clock_ns(CLOCK_PROCESS_CPUTIME_ID) / 1e9;
    return l;
}

double study_others_pct(const struct study_load *a, const struct study_load *b)
{
    double total = b->total_s - a->total_s;
    double others = (b->busy_s - a->busy_s) - (b->self_s - a->self_s);

    if (total <= 0 || others <= 0)
        return 0;
    return others >= total ? 100 : 100 * others / total;
}

/* ---- records */

static void vprint_line(FILE *out, const char *head, const char *fmt, va_list ap)
{
    fputs(head, out);
    vfprintf(out, fmt, ap);
    fputc('\n', out);
    fflush(out);
}

void study_info(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprint_line(stdout, "info ", fmt, ap);
    va_end(ap);
}

void study_progress(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprint_line(stderr, "  ", fmt, ap);
    va_end(ap);
}

void study_fig_begin(struct study_fig *f, const char *study, const char *key, const char *unit)
{
    memset(f, 0, sizeof(*f));
    snprintf(f->study, sizeof(f->study), "%s", study);
    snprintf(f->key, sizeof(f->key), "%s", key);
    snprintf(f->unit, sizeof(f->unit), "%s", unit);
    f->placed = 1;
    f->load0 = study_load_now();
}

void study_fig_rep(struct study_fig *f, double value)
{
    if (f->nreps < STUDY_MAX_REPS)
        f->reps[f->nreps++] = value;
}

void study_fig_check(struct study_fig *f, int cpu)
{
    if (!study_on_cpu(cpu))
        f->placed = 0;
}

void study_fig_extra(struct study_fig *f, const char *fmt, ...)
{
    size_t used = strlen(f->extra);
    va_list ap;

    if (used + 2 >= sizeof(f->extra))
        return;
    f->extra[used++] = ' ';
    va_start(ap, fmt);
    vsnprintf(f->extra + used, sizeof(f->extra) - used, fmt, ap);
    va_end(ap);
}

void study_fig_end(struct study_fig *f, const char *label)
{
    struct study_load l1 = study_load_now();

    printf("fig study=%s key=%s unit=%s reps=", f->study, f->key, f->unit);
    for (int i = 0; i < f->nreps; i++)
        printf(i ? ",%.4g" : "%.4g", f->reps[i]);
    printf(" others=%.1f placed=%d%s label=%s\n", study_others_pct(&f->load0, &l1), f->placed,
           f->extra, label);
    fflush(stdout);
}

void study_fig_missing(const char *study, const char *key, const char *unit, const char *why,
                       const char *label)
{
    char word[256];
    size_t i = 0;

    for (; why[i] && i + 1 < sizeof(word); i++)
        word[i] = why[i] == ' ' ? '_' : why[i];
    word[i] = 0;
    printf("fig study=%s key=%s unit=%s reps= others=0 placed=1 why=%s label=%s\n", study, key,
           unit, word, label);
    fflush(stdout);
}

/* ---- partner threads */

/* Cleared to stop every partner; relaxed: partners only poll it, nothing else is handed over
 * through it (pthread_join orders what they did before the caller goes on). */
static int partners_run;

int study_partner_running(void)
{
    return __atomic_load_n(&partners_run, __ATOMIC_RELAXED);
}

static void *partner_main(void *arg)
{
    struct study_partner *p = arg;

    p->placed = study_pin(p->cpu) == 0;
    /* Release: the placed flag above before ready; pairs with the acquire in start. */
    __atomic_store_n(&p->ready, 1, __ATOMIC_RELEASE);
    if (p->placed)
        p->fn(p);
    return NULL;
}

int study_partner_start(struct study_partner *p, int cpu, void (*fn)(struct study_partner *p),
                        void *arg)
{
    int rc;

    p->cpu = cpu;
    p->fn = fn;
    p->arg = arg;
    p->placed = 0;
    p->ready = 0;
    __atomic_store_n(&partners_run, 1, __ATOMIC_RELAXED);
    rc = pthread_create(&p->thread, NULL, partner_main, p);
    p->started = rc == 0;
    if (rc)
        return -rc;
    /* Acquire: pairs with the partner's release of ready, so placed is its final value. */
    while (!__atomic_load_n(&p->ready, __ATOMIC_ACQUIRE))
        sched_yield();
    return 0;
}

void study_partner_stop(struct study_partner *p)
{
    __atomic_store_n(&partners_run, 0, __ATOMIC_RELAXED);
    if (p->started)
        pthread_join(p->thread, NULL);
    p->started = 0;
}

/* ---- timed loops */

void study_time_loop(const struct study_opts *o, struct study_fig *f, study_loop_fn fn, void *arg,
                     int cpu)
{
    uint64_t warm = o->full ? 2000000 : 500000;
    int64_t t0 = study_now_ns();

    /* The warm-up sizes the repetitions: about rep_ms each, within 10^5..10^9 iterations. */
    fn(arg, warm);
    double est = (double)(study_now_ns() - t0) / (double)warm;
    uint64_t iters = study_iters(est, o->rep_ms * 1e6, 100000, 1000000000);

    for (int r = 0; r < o->reps; r++) {
        int64_t s = study_now_ns();
        fn(arg, iters);
        study_fig_rep(f, (double)(study_now_ns() - s) / (double)iters);
    }
    study_fig_check(f, cpu);
    study_fig_extra(f, "iters=%llu", (unsigned long long)iters);
}
