// SPDX-License-Identifier: Apache-2.0
/*
 * bench_native: libsrcu4j.so side by side with liburcu, in one process.
 *
 * Method (the same as the project's physical-limits measurements):
 *  - the measuring thread is pinned to one CPU with sched_setaffinity (callback workers take the
 *    affinity of the thread that loaded the library, the deferral worker starts at load: they may
 *    run on the other CPUs);
 *  - every operation runs once as a warm-up, then 9 repetitions; the table gives the median, min
 *    and max over those repetitions;
 *  - ns-scale operations are timed as loops of 10^7..10^8 iterations (nothing subtracted; the
 *    empty loop's cost is printed as a row of its own); the fast inline pairs built as liburcu's
 *    benchmarks are (-fPIE) and as a shared object's code is (-fPIC), bench_readpair.c, in CPU
 *    time of the pinned thread (CLOCK_THREAD_CPUTIME_ID), srcu4j's and urcu-memb's repetitions
 *    alternating, so that other load on the machine neither counts nor favours one of them;
 *  - µs-scale operations (synchronize) are timed call by call with clock_gettime; a repetition
 *    reports the median of its calls (the timer's own cost is printed as a row as well);
 *  - callback throughput: one thread queues N preallocated heads (callback: one atomic
 *    increment), then waits with the barrier; ns per callback = elapsed / N;
 *  - callback latency: one call at a time, from s4j_call_srcu to the callback's start (its
 *    clock_gettime), back to back and after a 2 ms sleep; a repetition is the median of its calls;
 *  - an idle fast domain's update: synchronize when no fast reader entered since the last grace
 *    period, against urcu-memb's synchronize_rcu with no registered reader thread; and the same
 *    after a fast read section each time, against urcu-memb's with a registered idle reader;
 *  - synchronize against synchronize_expedited with busy readers (bench_expedited.c).
 *
 * Usage: bench_native [--json PATH] [--quick]
 *   --quick  shorter loops and fewer calls, for a smoke run (numbers are less stable).
 * Built by `make bench-native` (native/mk/bench.mk), with -DBENCH_URCU when liburcu is there and
 * -DBENCH_INLINE=1 when srcu4j/inline.h provides the inline read side.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "srcu4j/srcu4j.h"
#include "bench.h"

#ifndef BENCH_INLINE
# if defined(__has_include)
#  if __has_include("srcu4j/inline.h")
#   define BENCH_INLINE 1
#  endif
# endif
#endif
#ifndef BENCH_INLINE
# define BENCH_INLINE 0
#endif
#if BENCH_INLINE
# include "srcu4j/inline.h"
#endif

#ifndef BENCH_URCU_VERSION
# define BENCH_URCU_VERSION "unknown version"
#endif

#define REPS 9
#define MEASURE_CPU 0

static int quick;

/* ---------------------------------------------------------------- timing harness */

struct stats {
    int have;
    double med, min, max;   /* ns per operation */
    double others;          /* CPU time other processes used meanwhile, % of all CPUs */
};

/*
 * Interference: the CPU time the whole machine spent busy (/proc/stat) minus this process's own
 * (getrusage), over a measurement, as a share of all CPUs. Other processes on these few CPUs
 * slow every row down; the table flags the rows where they were busy.
 */
struct cpu_snap {
    double busy_s, total_s, self_s;
};

static struct cpu_snap cpu_snap(void)
{
    struct cpu_snap c = { 0, 0, 0 };
    unsigned long long v[10] = { 0 };
    FILE *f = fopen("/proc/stat", "r");
    double hz = (double)sysconf(_SC_CLK_TCK);
    struct rusage ru;

    if (f) {
        if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
                   &v[4], &v[5], &v[6], &v[7]) == 8) {
            /* user nice system idle iowait irq softirq steal: steal counts as taken. */
            c.busy_s = (double)(v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / hz;
            c.total_s = c.busy_s + (double)(v[3] + v[4]) / hz;
        }
        fclose(f);
    }
    getrusage(RUSAGE_SELF, &ru);
    c.self_s = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
               (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    return c;
}

static double others_pct(const struct cpu_snap *a, const struct cpu_snap *b)
{
    double total = b->total_s - a->total_s;
    double others = (b->busy_s - a->busy_s) - (b->self_s - a->self_s);

    if (total <= 0)
        return 0;
    others = 100 * others / total;
    return others < 0 ? 0 : others;
}

int64_t clock_ns(clockid_t clock)
{
    struct timespec ts;

    clock_gettime(clock, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t now_ns(void)
{
    return clock_ns(CLOCK_MONOTONIC);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static struct stats summarize(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    return (struct stats){ .have = 1, .med = v[n / 2], .min = v[0], .max = v[n - 1] };
}

static double run_loop(bench_loop_fn fn, void *arg, uint64_t iters)
{
    int64_t t0 = now_ns();
    fn(arg, iters);
    return (double)(now_ns() - t0) / (double)iters;
}

static double run_loop_cpu(bench_loop_fn fn, void *arg, uint64_t iters)
{
    int64_t t0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
    fn(arg, iters);
    return (double)(clock_ns(CLOCK_THREAD_CPUTIME_ID) - t0) / (double)iters;
}

/*
 * Two loops measured in the calling thread's CPU time, their repetitions alternating (a, b, a,
 * b...), each sized as time_loop() sizes its repetitions. b may be NULL.
 */
static void time_loops_cpu(bench_loop_fn a, void *a_arg, bench_loop_fn b, void *b_arg,
                           struct stats *sa, struct stats *sb)
{
    uint64_t lo = quick ? 1000000 : 10000000, hi = quick ? 10000000 : 100000000;
    bench_loop_fn fns[2] = { a, b };
    void *args[2] = { a_arg, b_arg };
    uint64_t iters[2];
    double v[2][REPS];

    for (int k = 0; k < 2 && fns[k]; k++) {
        double est = run_loop_cpu(fns[k], args[k], lo);
        double want = (quick ? 10e6 : 40e6) / (est > 0.01 ? est : 0.01);
        iters[k] = want < (double)lo ? lo : want > (double)hi ? hi : (uint64_t)want;
    }
    struct cpu_snap c0 = cpu_snap();
    for (int r = 0; r < REPS; r++)
        for (int k = 0; k < 2 && fns[k]; k++)
            v[k][r] = run_loop_cpu(fns[k], args[k], iters[k]);
    struct cpu_snap c1 = cpu_snap();
    *sa = summarize(v[0], REPS);
    sa->others = others_pct(&c0, &c1);
    if (b) {
        *sb = summarize(v[1], REPS);
        sb->others = sa->others;
    }
}

/*
 * A loop per repetition. The warm-up (10^7 iterations) also sizes the repetitions: about 40 ms
 * each, within 10^7..10^8 iterations (10^6 minimum in quick mode).
 */
static struct stats time_loop(bench_loop_fn fn, void *arg)
{
    uint64_t lo = quick ? 1000000 : 10000000, hi = quick ? 10000000 : 100000000;
    double est = run_loop(fn, arg, lo);
    double want = (quick ? 10e6 : 40e6) / (est > 0.01 ? est : 0.01);
    uint64_t iters = want < (double)lo ? lo : want > (double)hi ? hi : (uint64_t)want;
    double v[REPS];
    struct cpu_snap c0 = cpu_snap();

    for (int r = 0; r < REPS; r++)
        v[r] = run_loop(fn, arg, iters);
    struct cpu_snap c1 = cpu_snap();
    struct stats st = summarize(v, REPS);
    st.others = others_pct(&c0, &c1);
    return st;
}

/* One measured call: its time in ns, as the callee measures it. */
typedef double (*sample_fn)(void *arg);

/* Per-call timing: each repetition takes up to max_calls samples within budget_ms (at least 50),
 * and contributes their median. */
static struct stats time_samples(sample_fn sample, void *arg, int max_calls, double budget_ms)
{
    double *calls = malloc(sizeof(double) * (size_t)max_calls);
    double v[REPS];
    struct cpu_snap c0 = cpu_snap();

    if (!calls) {
        perror("malloc");
        exit(1);
    }
    for (int r = -1; r < REPS; r++) {
        int64_t start = now_ns(), budget = (int64_t)(budget_ms * 1e6);
        int n = 0;
        while (n < max_calls && (n < 50 || now_ns() - start < budget))
            calls[n++] = sample(arg);
        if (r >= 0)
            v[r] = summarize(calls, n).med;
    }
    free(calls);
    struct cpu_snap c1 = cpu_snap();
    struct stats st = summarize(v, REPS);
    st.others = others_pct(&c0, &c1);
    return st;
}

struct timed_call {
    bench_call_fn fn;
    void *arg;
};

static double sample_call(void *arg)
{
    struct timed_call *c = arg;
    int64_t t0 = now_ns();

    c->fn(c->arg);
    return (double)(now_ns() - t0);
}

/* Per-call timing of fn(arg), as time_samples(). */
static struct stats time_calls(bench_call_fn fn, void *arg, int max_calls, double budget_ms)
{
    struct timed_call c = { fn, arg };

    return time_samples(sample_call, &c, max_calls, budget_ms);
}

/*
 * Throughput: fn queues n operations, then waits until they have completed, and returns how many
 * completed; it stores when the last one was queued (now_ns() clock) in *queued_at. The result is
 * the whole time per operation; *enqueue gets the queueing part alone (same repetitions).
 */
static struct stats time_batch(bench_batch_fn fn, void *arg, uint64_t n, const char *what,
                               struct stats *enqueue)
{
    double v[REPS], q[REPS];
    struct cpu_snap c0 = cpu_snap();

    for (int r = -1; r < REPS; r++) {
        int64_t queued_at = 0, t0 = now_ns();
        uint64_t done = fn(arg, n, &queued_at);
        double ns = (double)(now_ns() - t0) / (double)n;
        if (done != n) {
            fprintf(stderr, "bench_native: %s: %llu of %llu callbacks ran before the barrier "
                    "returned\n", what, (unsigned long long)done, (unsigned long long)n);
            exit(1);
        }
        if (r >= 0) {
            v[r] = ns;
            q[r] = (double)(queued_at - t0) / (double)n;
        }
    }
    struct cpu_snap c1 = cpu_snap();
    struct stats st = summarize(v, REPS);
    st.others = others_pct(&c0, &c1);
    *enqueue = summarize(q, REPS);
    enqueue->others = st.others;
    return st;
}

static void pin_to(int cpu)
{
    cpu_set_t set;

    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof(set), &set) != 0) {
        perror("sched_setaffinity");
        exit(1);
    }
}

static void unpin(void)
{
    cpu_set_t set;
    long n = sysconf(_SC_NPROCESSORS_CONF);

    CPU_ZERO(&set);
    for (long i = 0; i < n && i < CPU_SETSIZE; i++)
        CPU_SET((int)i, &set);
    sched_setaffinity(0, sizeof(set), &set);
}

/* ---------------------------------------------------------------- operations measured */

static __attribute__((noinline)) void empty_loop(void *arg, uint64_t iters)
{
    (void)arg;
    for (uint64_t i = 0; i < iters; i++)
        __asm__ __volatile__("" ::: "memory");
}

/* The full barrier srcu4j's x86 build uses (a locked add to a stack slot), for reference. */
static __attribute__((noinline)) void fence_loop(void *arg, uint64_t iters)
{
    (void)arg;
    for (uint64_t i = 0; i < iters; i++)
        __asm__ __volatile__("lock; addl $0,-132(%%rsp)" ::: "memory", "cc");
}

static __attribute__((noinline)) void empty_call(void *arg)
{
    __asm__ __volatile__("" : : "r"(arg) : "memory");
}

static __attribute__((noinline)) void pair_classic(void *arg, uint64_t iters)
{
    struct s4j_srcu *ssp = arg;
    for (uint64_t i = 0; i < iters; i++) {
        int32_t idx = s4j_srcu_read_lock(ssp);
        s4j_srcu_read_unlock(ssp, idx);
    }
}

static __attribute__((noinline)) void pair_fast(void *arg, uint64_t iters)
{
    struct s4j_srcu *ssp = arg;
    for (uint64_t i = 0; i < iters; i++) {
        int32_t idx = s4j_srcu_read_lock_fast(ssp);
        s4j_srcu_read_unlock_fast(ssp, idx);
    }
}

static __attribute__((noinline)) void pair_signal_safe(void *arg, uint64_t iters)
{
    struct s4j_srcu *ssp = arg;
    for (uint64_t i = 0; i < iters; i++) {
        int32_t idx = s4j_srcu_read_lock_signal_safe(ssp);
        s4j_srcu_read_unlock_signal_safe(ssp, idx);
    }
}

#if BENCH_INLINE
static __attribute__((noinline)) void pair_inline_classic(void *arg, uint64_t iters)
{
    struct s4j_srcu *ssp = arg;
    for (uint64_t i = 0; i < iters; i++) {
        int32_t idx = s4j_inline_read_lock(ssp);
        s4j_inline_read_unlock(ssp, idx);
    }
}

static __attribute__((noinline)) void pair_inline_fast(void *arg, uint64_t iters)
{
    struct s4j_srcu *ssp = arg;
    for (uint64_t i = 0; i < iters; i++) {
        int32_t idx = s4j_inline_read_lock_fast(ssp);
        s4j_inline_read_unlock_fast(ssp, idx);
    }
}
#endif

static void sync_normal(void *arg)
{
    s4j_srcu_synchronize(arg);
}

static void sync_expedited(void *arg)
{
    s4j_srcu_synchronize_expedited(arg);
}

/* A fast read section, then synchronize: the section marks the domain ([V] in src/srcu.c), so
 * the grace period issues membarrier. */
static void sync_after_fast_section(void *arg)
{
    int32_t idx = s4j_srcu_read_lock_fast(arg);
    s4j_srcu_read_unlock_fast(arg, idx);
    s4j_srcu_synchronize(arg);
}

/* call_srcu throughput: preallocated heads, a callback that counts. */
static struct {
    uint64_t count __attribute__((aligned(128)));
} s4j_cb_done;
static struct s4j_srcu_head *s4j_heads;

static void s4j_count_cb(struct s4j_srcu_head *head)
{
    (void)head;
    __atomic_fetch_add(&s4j_cb_done.count, 1, __ATOMIC_RELAXED);
}

static uint64_t s4j_call_batch(void *arg, uint64_t n, int64_t *queued_at)
{
    struct s4j_srcu *ssp = arg;
    uint64_t before = __atomic_load_n(&s4j_cb_done.count, __ATOMIC_RELAXED);
    int32_t bad = 0;

    for (uint64_t i = 0; i < n; i++)
        bad |= s4j_call_srcu(ssp, &s4j_heads[i], s4j_count_cb);
    if (bad) {
        fprintf(stderr, "bench_native: s4j_call_srcu failed (%d)\n", bad);
        exit(1);
    }
    *queued_at = now_ns();
    s4j_srcu_barrier(ssp);
    return __atomic_load_n(&s4j_cb_done.count, __ATOMIC_RELAXED) - before;
}

/*
 * Callback latency: from s4j_call_srcu to the start of its callback, one callback at a time on a
 * domain with no reader. idle_us > 0: the caller sleeps that long before each call, so the
 * callback's worker has parked and the latency includes waking it.
 */
static struct {
    int64_t ran_at __attribute__((aligned(128)));
} latency;
static struct s4j_srcu_head latency_head;

static void latency_cb(struct s4j_srcu_head *head)
{
    (void)head;
    /* Release: pairs with the measuring thread's acquire load. */
    __atomic_store_n(&latency.ran_at, now_ns(), __ATOMIC_RELEASE);
}

struct latency_arg {
    struct s4j_srcu *ssp;
    long idle_us;
};

static double sample_latency(void *arg)
{
    struct latency_arg *l = arg;
    int64_t t0, at;

    if (l->idle_us) {
        struct timespec ts = { 0, l->idle_us * 1000 };
        nanosleep(&ts, NULL);
    }
    __atomic_store_n(&latency.ran_at, 0, __ATOMIC_RELAXED);
    t0 = now_ns();
    if (s4j_call_srcu(l->ssp, &latency_head, latency_cb) != 0) {
        fprintf(stderr, "bench_native: s4j_call_srcu failed\n");
        exit(1);
    }
    while (!(at = __atomic_load_n(&latency.ran_at, __ATOMIC_ACQUIRE)))
        sched_yield();
    return (double)(at - t0);
}

#ifdef BENCH_URCU
static uint64_t urcu_call_batch(void *arg, uint64_t n, int64_t *queued_at)
{
    (void)arg;
    return urcu_memb_bench_call_rcu(n, queued_at);
}
#endif

/* ---------------------------------------------------------------- domains, idle reader */

static const char *const flavor_names[3] = { "classic", "fast", "signal-safe" };
static struct s4j_srcu *domains[3];
static int flavor_ok[3];            /* the domain runs the flavor asked for */

static void read_pair_any(int flavor, struct s4j_srcu *ssp)
{
    static const bench_loop_fn pairs[3] = { pair_classic, pair_fast, pair_signal_safe };
    pairs[flavor](ssp, 1);
}

/* One other thread that has been a reader of every domain (and, for liburcu, is a registered
 * reader of both flavors) and now sleeps outside any read section. */
static pthread_mutex_t idle_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t idle_cv = PTHREAD_COND_INITIALIZER;
static int idle_state;              /* 0 starting, 1 parked, 2 asked to leave */
static int use_urcu;

static void *idle_reader(void *arg)
{
    (void)arg;
    for (int f = 0; f < 3; f++)
        if (flavor_ok[f])
            read_pair_any(f, domains[f]);
#ifdef BENCH_URCU
    if (use_urcu) {
        urcu_memb_bench_register();
        urcu_mb_bench_register();
        urcu_memb_bench_read_pair(NULL, 1);
        urcu_mb_bench_read_pair(NULL, 1);
    }
#endif
    pthread_mutex_lock(&idle_mu);
    idle_state = 1;
    pthread_cond_broadcast(&idle_cv);
    while (idle_state != 2)
        pthread_cond_wait(&idle_cv, &idle_mu);
    pthread_mutex_unlock(&idle_mu);
#ifdef BENCH_URCU
    if (use_urcu) {
        urcu_mb_bench_unregister();
        urcu_memb_bench_unregister();
    }
#endif
    return NULL;
}

/* ---------------------------------------------------------------- rows, table, JSON */

struct row {
    const char *name;        /* JSON name */
    const char *label;       /* table label */
    const char *s4j_what;    /* what the srcu4j column ran */
    const char *urcu_what;   /* what the urcu column ran */
    struct stats s4j, urcu;
    double aim;              /* the aim: ratio s4j/urcu at most this; 0 for none */
    const char *aim_text;
};

#define MAX_ROWS 40
static struct row rows[MAX_ROWS];
static int nrows;

static struct row *add_row(const char *name, const char *label)
{
    if (nrows == MAX_ROWS) {
        fprintf(stderr, "bench_native: too many rows\n");
        exit(1);
    }
    struct row *r = &rows[nrows++];
    memset(r, 0, sizeof(*r));
    r->name = name;
    r->label = label;
    return r;
}

static void progress(const char *what)
{
    fprintf(stderr, "  measuring %s\n", what);
}

static void fmt_ns(char *buf, size_t len, double v)
{
    if (v >= 1000)
        snprintf(buf, len, "%.0f", v);
    else if (v >= 100)
        snprintf(buf, len, "%.1f", v);
    else
        snprintf(buf, len, "%.2f", v);
}

static void fmt_stats(char *buf, size_t len, const struct stats *s)
{
    char med[32], lo[32], hi[32];

    if (!s->have) {
        snprintf(buf, len, "-");
        return;
    }
    fmt_ns(med, sizeof(med), s->med);
    fmt_ns(lo, sizeof(lo), s->min);
    fmt_ns(hi, sizeof(hi), s->max);
    snprintf(buf, len, "%s [%s-%s]", med, lo, hi);
}

static void print_table(void)
{
    double worst_others = 0;

    printf("\n%-40s %-24s %-24s %7s %6s  %s\n", "row (ns/op: median [min-max] of 9 reps)",
           "srcu4j", "urcu", "ratio", "others", "aim (srcu4j/urcu)");
    for (int i = 0; i < nrows; i++) {
        const struct row *r = &rows[i];
        char s[128], u[128], ratio[16] = "", aim[64] = "";

        fmt_stats(s, sizeof(s), &r->s4j);
        fmt_stats(u, sizeof(u), &r->urcu);
        if (r->s4j.have && r->urcu.have) {
            double q = r->s4j.med / r->urcu.med;
            snprintf(ratio, sizeof(ratio), "%.2fx", q);
            if (r->aim > 0)
                snprintf(aim, sizeof(aim), "%s  %s", r->aim_text, q <= r->aim ? "ok" : "MISS");
        } else if (r->aim > 0) {
            snprintf(aim, sizeof(aim), "%s  n/a", r->aim_text);
        }
        double others = r->s4j.have ? r->s4j.others : 0;
        if (r->urcu.have && r->urcu.others > others)
            others = r->urcu.others;
        worst_others = others > worst_others ? others : worst_others;
        printf("%-40s %-24s %-24s %7s %5.0f%%%s %s\n", r->label, s, u, ratio, others,
               others > 10 ? "!" : " ", aim);
    }
    printf("\nothers: CPU time other processes took during the row's measurements, in %% of all "
           "CPUs%s\n", worst_others > 10 ? " (!: over 10%, that row's figures are inflated; "
           "rerun on a quiet machine)" : "");
    printf("\nwhat ran:\n");
    for (int i = 0; i < nrows; i++) {
        const struct row *r = &rows[i];
        int seen_s = 0, seen_u = 0;
        for (int j = 0; j < i; j++) {
            seen_s |= rows[j].s4j_what && r->s4j_what && !strcmp(rows[j].s4j_what, r->s4j_what);
            seen_u |= rows[j].urcu_what && r->urcu_what &&
                      !strcmp(rows[j].urcu_what, r->urcu_what);
        }
        if (r->s4j.have && r->s4j_what && !seen_s)
            printf("  srcu4j  %s\n", r->s4j_what);
        if (r->urcu.have && r->urcu_what && !seen_u)
            printf("  urcu    %s\n", r->urcu_what);
    }
}

static void json_entry(FILE *f, int *first, const struct row *r, const char *impl,
                       const char *what, const struct stats *s)
{
    if (!s->have)
        return;
    fprintf(f, "%s\n  {\"name\": \"%s\", \"impl\": \"%s\", \"what\": \"%s\", "
            "\"ns_per_op\": %.3f, \"min\": %.3f, \"max\": %.3f, \"reps\": %d, "
            "\"others_cpu_pct\": %.1f}",
            *first ? "" : ",", r->name, impl, what ? what : "", s->med, s->min, s->max, REPS,
            s->others);
    *first = 0;
}

static int write_json(const char *path)
{
    FILE *f = fopen(path, "w");
    int first = 1;

    if (!f) {
        fprintf(stderr, "bench_native: %s: %s\n", path, strerror(errno));
        return -1;
    }
    fprintf(f, "[");
    for (int i = 0; i < nrows; i++) {
        const struct row *r = &rows[i];
        /* Reference rows (loop and timer cost) are neither implementation's. */
        int baseline = r->s4j.have && r->urcu_what == NULL && r->s4j_what == NULL;
        json_entry(f, &first, r, baseline ? "baseline" : "srcu4j", r->s4j_what, &r->s4j);
        json_entry(f, &first, r, "urcu", r->urcu_what, &r->urcu);
    }
    bench_defer_json(f, &first);
    bench_expedited_json(f, &first);
    fprintf(f, "\n]\n");
    if (fclose(f) != 0) {
        fprintf(stderr, "bench_native: %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- main */

int main(int argc, char **argv)
{
    const char *json = NULL;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json") && i + 1 < argc)
            json = argv[++i];
        else if (!strcmp(argv[i], "--quick"))
            quick = 1;
        else {
            fprintf(stderr, "usage: %s [--json PATH] [--quick]\n", argv[0]);
            return 2;
        }
    }
#ifdef BENCH_URCU
    use_urcu = 1;
#endif
    setvbuf(stdout, NULL, _IOLBF, 0);

    struct s4j_capabilities caps;
    s4j_capabilities_get(&caps);
    static const char *const rseq_modes[] = { "unavailable", "glibc", "own" };
    printf("bench_native: srcu4j vs %s; %d online / %d possible CPUs; rseq %s; membarrier %s\n",
           use_urcu ? "liburcu " BENCH_URCU_VERSION : "(liburcu unavailable: srcu4j rows only)",
           caps.online_cpus, caps.possible_cpus,
           caps.rseq_mode >= 0 && caps.rseq_mode <= 2 ? rseq_modes[caps.rseq_mode] : "?",
           caps.membarrier ? "yes" : "no");
    printf("srcu4j/inline.h: %s\n", BENCH_INLINE ? "used (inline rows present)"
                                                 : "not available (no inline rows)");

    /* Domains first, then the pin (workers do not inherit it: see the top of this file). */
    for (int f = 0; f < 3; f++) {
        int rc = s4j_srcu_create(f, &domains[f]);
        if (rc < 0) {
            fprintf(stderr, "bench_native: s4j_srcu_create(%s): %d\n", flavor_names[f], rc);
            return 1;
        }
        flavor_ok[f] = s4j_srcu_flavor(domains[f]) == f;
        if (!flavor_ok[f])
            printf("note: the %s domain was created as classic (rc %d): no %s rows\n",
                   flavor_names[f], rc, flavor_names[f]);
    }
    for (int f = 0; f < 3; f++) {
        if (!flavor_ok[f])
            continue;
        static int32_t (*const locks[3])(struct s4j_srcu *) = {
            s4j_srcu_read_lock, s4j_srcu_read_lock_fast, s4j_srcu_read_lock_signal_safe
        };
        int32_t idx = locks[f](domains[f]);
        if (idx < 0) {
            printf("note: %s read lock refused (%d): no %s rows\n", flavor_names[f], idx,
                   flavor_names[f]);
            flavor_ok[f] = 0;
            continue;
        }
        static void (*const unlocks[3])(struct s4j_srcu *, int32_t) = {
            s4j_srcu_read_unlock, s4j_srcu_read_unlock_fast, s4j_srcu_read_unlock_signal_safe
        };
        unlocks[f](domains[f], idx);
    }
#ifdef BENCH_URCU
    urcu_memb_bench_register();
    urcu_mb_bench_register();
#endif

    pthread_t idle;
    if (pthread_create(&idle, NULL, idle_reader, NULL) != 0) {
        fprintf(stderr, "bench_native: pthread_create failed\n");
        return 1;
    }
    pthread_mutex_lock(&idle_mu);
    while (idle_state != 1)
        pthread_cond_wait(&idle_cv, &idle_mu);
    pthread_mutex_unlock(&idle_mu);

    pin_to(MEASURE_CPU);
    printf("measuring thread pinned to CPU %d; 1 warm-up + %d reps per row%s\n", MEASURE_CPU,
           REPS, quick ? " (quick mode: short runs)" : "");
    int64_t t_start = now_ns();

    /* Reference costs. */
    struct row *r = add_row("empty_loop", "empty loop iteration (reference)");
    progress(r->label);
    r->s4j = time_loop(empty_loop, NULL);
    r = add_row("full_fence", "lock addl fence, srcu4j's smp_mb (ref.)");
    progress(r->label);
    r->s4j = time_loop(fence_loop, NULL);
    r = add_row("timer_per_call", "clock_gettime per timed call (ref.)");
    progress(r->label);
    r->s4j = time_calls(empty_call, NULL, quick ? 2000 : 20000, quick ? 20 : 100);

    /* Read pairs, empty section. */
    struct stats memb_pair = { 0 }, memb_calls_pair = { 0 }, mb_pair = { 0 };
#ifdef BENCH_URCU
    progress("urcu-memb read pair");
    memb_pair = time_loop(urcu_memb_bench_read_pair, NULL);
    progress("urcu-memb read pair, exported calls");
    memb_calls_pair = time_loop(urcu_memb_calls_bench_read_pair, NULL);
    progress("urcu-mb read pair");
    mb_pair = time_loop(urcu_mb_bench_read_pair, NULL);
#endif
    static const char *const pair_names[3] = { "read_pair_classic", "read_pair_fast",
                                               "read_pair_signal_safe" };
    static const char *const pair_labels[3] = { "read pair classic (exported)",
                                                "read pair fast (exported)",
                                                "read pair signal-safe (exported)" };
    static const char *const pair_what[3] = {
        "s4j_srcu_read_lock + s4j_srcu_read_unlock",
        "s4j_srcu_read_lock_fast + s4j_srcu_read_unlock_fast",
        "s4j_srcu_read_lock_signal_safe + s4j_srcu_read_unlock_signal_safe"
    };
    static const bench_loop_fn pair_fns[3] = { pair_classic, pair_fast, pair_signal_safe };
    /* Like against like: exported calls against liburcu's exported calls, inline.h against
     * liburcu's _LGPL_SOURCE inline read side. */
    const char *memb_pair_what = "urcu_memb_read_lock + urcu_memb_read_unlock (inline)";
    const char *memb_calls_pair_what = "urcu_memb_read_lock + urcu_memb_read_unlock (calls)";
    for (int f = 0; f < 3; f++) {
        r = add_row(pair_names[f], pair_labels[f]);
        r->s4j_what = pair_what[f];
        r->urcu_what = memb_calls_pair_what;
        r->urcu = memb_calls_pair;
        if (f == S4J_FLAVOR_FAST) {
            r->aim = 1.2;
            r->aim_text = "<= 1.2x";
        }
        if (flavor_ok[f]) {
            progress(r->label);
            r->s4j = time_loop(pair_fns[f], domains[f]);
        }
    }
#if BENCH_INLINE
    r = add_row("read_pair_classic_inline", "read pair classic (inline.h)");
    r->s4j_what = "s4j_inline_read_lock + s4j_inline_read_unlock";
    r->urcu_what = memb_pair_what;
    r->urcu = memb_pair;
    if (flavor_ok[S4J_FLAVOR_CLASSIC]) {
        progress(r->label);
        r->s4j = time_loop(pair_inline_classic, domains[S4J_FLAVOR_CLASSIC]);
    }
    r = add_row("read_pair_fast_inline", "read pair fast (inline.h)");
    r->s4j_what = "s4j_inline_read_lock_fast + s4j_inline_read_unlock_fast";
    r->urcu_what = memb_pair_what;
    r->urcu = memb_pair;
    r->aim = 1.2;
    r->aim_text = "<= 1.2x";
    if (flavor_ok[S4J_FLAVOR_FAST]) {
        progress(r->label);
        r->s4j = time_loop(pair_inline_fast, domains[S4J_FLAVOR_FAST]);
    }
#endif
#if BENCH_INLINE
    /* The fast inline pairs once more, built -fPIE (as liburcu's benchmarks are) and -fPIC, in
     * the pinned thread's CPU time. */
    static const char *const build_names[2] = { "read_pair_fast_inline_pie",
                                                 "read_pair_fast_inline_pic" };
    static const char *const build_labels[2] = { "read pair fast (inline.h), -fPIE, CPU",
                                                  "read pair fast (inline.h), -fPIC, CPU" };
    static const char *const build_s4j_what[2] = {
        "s4j_inline_read_lock_fast + s4j_inline_read_unlock_fast, built -fPIE, CPU time",
        "s4j_inline_read_lock_fast + s4j_inline_read_unlock_fast, built -fPIC, CPU time"
    };
    static const char *const build_urcu_what[2] = {
        "urcu_memb_read_lock + urcu_memb_read_unlock (inline), built -fPIE, CPU time",
        "urcu_memb_read_lock + urcu_memb_read_unlock (inline), built -fPIC, CPU time"
    };
    static const bench_loop_fn build_s4j[2] = { readpair_pie_s4j_fast, readpair_pic_s4j_fast };
# ifdef BENCH_URCU
    static const bench_loop_fn build_urcu[2] = { readpair_pie_urcu_memb, readpair_pic_urcu_memb };
# else
    static const bench_loop_fn build_urcu[2] = { NULL, NULL };
# endif
    for (int b = 0; b < 2; b++) {
        r = add_row(build_names[b], build_labels[b]);
        r->s4j_what = build_s4j_what[b];
        r->urcu_what = build_urcu_what[b];
        if (b == 0) {
            r->aim = 1.2;
            r->aim_text = "<= 1.2x";
        }
        if (flavor_ok[S4J_FLAVOR_FAST]) {
            progress(r->label);
            time_loops_cpu(build_s4j[b], domains[S4J_FLAVOR_FAST], use_urcu ? build_urcu[b] : NULL,
                           NULL, &r->s4j, &r->urcu);
        }
    }
#endif
    if (use_urcu) {
        r = add_row("read_pair_urcu_mb", "read pair urcu-mb (fenced reader, ref.)");
        r->urcu_what = "urcu_mb_read_lock + urcu_mb_read_unlock (inline)";
        r->urcu = mb_pair;
    }

    /* Synchronize with one idle reader (another thread, outside any section). */
    int sync_calls = quick ? 2000 : 20000;
    double sync_budget = quick ? 40 : 150;
    struct stats memb_sync = { 0 }, mb_sync = { 0 };
#ifdef BENCH_URCU
    progress("urcu_memb_synchronize_rcu");
    memb_sync = time_calls(urcu_memb_bench_synchronize, NULL, sync_calls, sync_budget);
    progress("urcu_mb_synchronize_rcu");
    mb_sync = time_calls(urcu_mb_bench_synchronize, NULL, sync_calls, sync_budget);
#endif
    static const char *const sync_names[3][2] = {
        { "synchronize_idle_classic", "synchronize_expedited_idle_classic" },
        { "synchronize_idle_fast", "synchronize_expedited_idle_fast" },
        { "synchronize_idle_signal_safe", "synchronize_expedited_idle_signal_safe" }
    };
    static const char *const sync_labels[3][2] = {
        { "synchronize, idle reader: classic", "synchronize_expedited: classic" },
        { "synchronize, idle reader: fast", "synchronize_expedited: fast" },
        { "synchronize, idle reader: signal-safe", "synchronize_expedited: signal-safe" }
    };
    for (int f = 0; f < 3; f++) {
        for (int e = 0; e < 2; e++) {
            r = add_row(sync_names[f][e], sync_labels[f][e]);
            r->s4j_what = e ? "s4j_srcu_synchronize_expedited" : "s4j_srcu_synchronize";
            r->urcu_what = "urcu_memb_synchronize_rcu";
            r->urcu = memb_sync;
            r->aim = 1.5;
            r->aim_text = "<= 1.5x";
            if (flavor_ok[f]) {
                progress(r->label);
                r->s4j = time_calls(e ? sync_expedited : sync_normal, domains[f], sync_calls,
                                    sync_budget);
            }
        }
    }
    if (use_urcu) {
        r = add_row("synchronize_idle_urcu_mb", "synchronize, idle: urcu-mb (ref.)");
        r->urcu_what = "urcu_mb_synchronize_rcu";
        r->urcu = mb_sync;
    }

    /* The idle reader leaves before the throughput rows. */
    pthread_mutex_lock(&idle_mu);
    idle_state = 2;
    pthread_cond_broadcast(&idle_cv);
    pthread_mutex_unlock(&idle_mu);
    pthread_join(idle, NULL);

    /* An idle fast domain's update: no fast reader since the last grace period, so no
     * membarrier; against urcu-memb with no registered reader (its synchronize_rcu then scans
     * nothing either). Then each update after a fast section (membarrier again), against
     * urcu-memb with the idle reader registered (the synchronize row above). */
    struct stats memb_sync_none = { 0 };
#ifdef BENCH_URCU
    urcu_memb_bench_unregister();
    progress("urcu_memb_synchronize_rcu, no registered reader");
    memb_sync_none = time_calls(urcu_memb_bench_synchronize, NULL, sync_calls, sync_budget);
    urcu_memb_bench_register();
#endif
    r = add_row("synchronize_quiet_fast", "update, quiet fast domain");
    r->s4j_what = "s4j_srcu_synchronize, fast domain, no fast reader since the last grace period";
    r->urcu_what = "urcu_memb_synchronize_rcu, no registered reader thread";
    r->urcu = memb_sync_none;
    r->aim = 1.5;
    r->aim_text = "<= 1.5x";
    if (flavor_ok[S4J_FLAVOR_FAST]) {
        progress(r->label);
        r->s4j = time_calls(sync_normal, domains[S4J_FLAVOR_FAST], sync_calls, sync_budget);
    }
    r = add_row("synchronize_marked_fast", "update after a fast section (membarrier)");
    r->s4j_what = "s4j_srcu_read_lock_fast + unlock, then s4j_srcu_synchronize (fast domain)";
    r->urcu_what = "urcu_memb_synchronize_rcu";
    r->urcu = memb_sync;
    if (flavor_ok[S4J_FLAVOR_FAST]) {
        progress(r->label);
        r->s4j = time_calls(sync_after_fast_section, domains[S4J_FLAVOR_FAST], sync_calls,
                            sync_budget);
    }

    /* synchronize against synchronize_expedited with busy readers (bench_expedited.c). */
    bench_expedited_run(flavor_ok[S4J_FLAVOR_CLASSIC] ? domains[S4J_FLAVOR_CLASSIC] : NULL,
                        flavor_ok[S4J_FLAVOR_FAST] ? domains[S4J_FLAVOR_FAST] : NULL, quick);

    /* Callback throughput. */
    uint64_t ncb = quick ? 200000 : 2000000;
    s4j_heads = calloc(ncb, sizeof(*s4j_heads));
    if (!s4j_heads) {
        perror("calloc");
        return 1;
    }
    struct stats memb_call = { 0 }, memb_enq = { 0 };
#ifdef BENCH_URCU
    /* liburcu starts its call_rcu worker at the first call: start it unpinned, as srcu4j's. */
    unpin();
    int64_t ignored;
    urcu_memb_bench_call_rcu(1, &ignored);
    pin_to(MEASURE_CPU);
    progress("urcu_memb call_rcu + rcu_barrier");
    memb_call = time_batch(urcu_call_batch, NULL, ncb, "call_rcu", &memb_enq);
    urcu_memb_bench_call_rcu_free();
#endif
    static const char *const call_names[3] = { "call_srcu_classic", "call_srcu_fast",
                                               "call_srcu_signal_safe" };
    static const char *const call_labels[3] = { "call_srcu per callback: classic",
                                                "call_srcu per callback: fast",
                                                "call_srcu per callback: signal-safe" };
    static char call_what[128], urcu_call_what[128];
    snprintf(call_what, sizeof(call_what),
             "%llu x s4j_call_srcu (preallocated heads) + s4j_srcu_barrier, / N",
             (unsigned long long)ncb);
    snprintf(urcu_call_what, sizeof(urcu_call_what),
             "%llu x urcu_memb_call_rcu (preallocated heads) + urcu_memb_barrier, / N",
             (unsigned long long)ncb);
    static const char *const enq_names[3] = { "call_srcu_enqueue_classic",
                                              "call_srcu_enqueue_fast",
                                              "call_srcu_enqueue_signal_safe" };
    static const char *const enq_labels[3] = { "  of which enqueue: classic",
                                               "  of which enqueue: fast",
                                               "  of which enqueue: signal-safe" };
    for (int f = 0; f < 3; f++) {
        r = add_row(call_names[f], call_labels[f]);
        r->s4j_what = call_what;
        r->urcu_what = urcu_call_what;
        r->urcu = memb_call;
        r->aim = 1.0 / 1.5;
        r->aim_text = "<= 0.67x (1.5x cb/s)";
        struct row *q = add_row(enq_names[f], enq_labels[f]);
        q->s4j_what = "the same runs: time until the last s4j_call_srcu returned, / N";
        q->urcu_what = "the same runs: time until the last urcu_memb_call_rcu returned, / N";
        q->urcu = memb_enq;
        if (flavor_ok[f]) {
            progress(r->label);
            r->s4j = time_batch(s4j_call_batch, domains[f], ncb, "call_srcu", &q->s4j);
        }
    }
    free(s4j_heads);

    /* Callback latency, worker awake and worker parked. */
    r = add_row("call_srcu_latency_hot", "call_srcu latency: back to back");
    r->s4j_what = "s4j_call_srcu to the callback's start, one at a time (median of the calls)";
    progress(r->label);
    struct latency_arg hot = { domains[S4J_FLAVOR_CLASSIC], 0 };
    r->s4j = time_samples(sample_latency, &hot, 200, quick ? 5 : 20);
    r = add_row("call_srcu_latency_idle", "call_srcu latency: after 2 ms idle");
    r->s4j_what = "the same, each after a 2 ms sleep (the worker parked: its wake-up counts)";
    progress(r->label);
    struct latency_arg after_idle = { domains[S4J_FLAVOR_CLASSIC], 2000 };
    r->s4j = time_samples(sample_latency, &after_idle, 50, 0);

    /* s4j_defer, call_srcu and call_rcu from 1 and 2 threads, with wake-ups (bench_defer.c). */
    bench_defer_run(domains[S4J_FLAVOR_CLASSIC], quick, use_urcu);

    double secs = (double)(now_ns() - t_start) / 1e9;
    print_table();
    printf("\nempty-loop and timer rows are included in every figure above (nothing "
           "subtracted); measured in %.1f s\n", secs);

#ifdef BENCH_URCU
    urcu_mb_bench_unregister();
    urcu_memb_bench_unregister();
#endif
    unpin();
    for (int f = 0; f < 3; f++) {
        if (s4j_srcu_close(domains[f]) == 0)
            s4j_srcu_free(domains[f]);
    }
    if (json) {
        if (write_json(json) != 0)
            return 1;
        printf("wrote %s\n", json);
    }
    return 0;
}
