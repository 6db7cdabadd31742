// SPDX-License-Identifier: Apache-2.0
/*
 * The grace-period state machine: s4j_srcu_advance() drives grace periods step by step without
 * waiting, and a fast domain's scans issue membarrier only once the readers look gone.
 *
 * membarrier calls are counted by defining syscall() here: the library's calls of it (through
 * the PLT, or directly in the sanitizer build, which compiles the sources in) land in this
 * counting wrapper, which forwards to the C library's. nanosleep() is wrapped the same way, to
 * record the sleeps of a wait and the timer slack each ran with.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <linux/membarrier.h>
#include <pthread.h>
#include <stdarg.h>
#include <sched.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "srcu4j/srcu4j.h"
#include "tap.h"

static long membarrier_calls;

/* Reads six arguments whatever the caller passed, as the kernel does: those past the caller's
 * are words of its stack frame, which ASan would report as an underflow of that frame. */
__attribute__((no_sanitize_address)) long syscall(long number, ...)
{
    static long (*next)(long, ...);
    long a[6];
    va_list ap;

    /* The kernel ABI passes six argument registers; unused ones are ignored by the kernel. */
    va_start(ap, number);
    for (int i = 0; i < 6; i++)
        a[i] = va_arg(ap, long);
    va_end(ap);
    if (!next)
        next = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
    if (number == __NR_membarrier && a[0] == MEMBARRIER_CMD_PRIVATE_EXPEDITED)
        __atomic_fetch_add(&membarrier_calls, 1, __ATOMIC_RELAXED);
    return next(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* The sleeps of the thread that set sleeps_of: how long each asked for, and the timer slack it
 * ran with. */
enum { MAX_SLEEPS = 4096 };
static pthread_t sleeps_of;
static int recording;
static long sleep_ns[MAX_SLEEPS], sleep_slack[MAX_SLEEPS];
/* When each sleep began, in ns after the recording did (the wait began after that). */
static long sleep_at[MAX_SLEEPS];
static struct timespec recording_since;
static int nsleeps;

int nanosleep(const struct timespec *req, struct timespec *rem)
{
    static int (*next)(const struct timespec *, struct timespec *);

    if (!next)
        next = (int (*)(const struct timespec *, struct timespec *))dlsym(RTLD_NEXT, "nanosleep");
    if (__atomic_load_n(&recording, __ATOMIC_RELAXED) && pthread_equal(pthread_self(), sleeps_of) &&
        nsleeps < MAX_SLEEPS) {
        sleep_ns[nsleeps] = req->tv_sec * 1000000000L + req->tv_nsec;
        sleep_slack[nsleeps] = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        sleep_at[nsleeps] = (now.tv_sec - recording_since.tv_sec) * 1000000000L +
                            (now.tv_nsec - recording_since.tv_nsec);
        nsleeps++;
    }
    return next(req, rem);
}

static void record_sleeps(int on)
{
    sleeps_of = pthread_self();
    if (on) {
        nsleeps = 0;
        clock_gettime(CLOCK_MONOTONIC, &recording_since);
    }
    __atomic_store_n(&recording, on, __ATOMIC_RELAXED);
}

/* A reader in another thread that stays inside until told to leave. */
struct holder {
    struct s4j_srcu *ssp;
    int fast;
    long hold_ms;            /* 0: until leave is set */
    int entered, leave, left;
};

static void *hold(void *arg)
{
    struct holder *h = arg;
    int32_t idx = h->fast ? s4j_srcu_read_lock_fast(h->ssp) : s4j_srcu_read_lock(h->ssp);

    __atomic_store_n(&h->entered, 1, __ATOMIC_RELEASE);
    if (h->hold_ms)
        sleep_ms(h->hold_ms);
    else
        while (!__atomic_load_n(&h->leave, __ATOMIC_ACQUIRE))
            sleep_ms(1);
    __atomic_store_n(&h->left, 1, __ATOMIC_RELAXED);
    if (h->fast)
        s4j_srcu_read_unlock_fast(h->ssp, idx);
    else
        s4j_srcu_read_unlock(h->ssp, idx);
    return NULL;
}

static void start_holder(struct holder *h, pthread_t *t)
{
    pthread_create(t, NULL, hold, h);
    while (!__atomic_load_n(&h->entered, __ATOMIC_ACQUIRE))
        sched_yield();
}

static void test_advance(void)
{
    struct s4j_srcu *ssp;

    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &ssp);
    uint64_t cookie = s4j_srcu_get_state(ssp);
    TAP_EQ(s4j_srcu_poll_state(ssp, cookie), 0, "a fresh cookie has not ended");
    TAP_EQ(s4j_srcu_advance(ssp, cookie), 1, "advance with no reader runs the whole grace period");
    TAP_EQ(s4j_srcu_poll_state(ssp, cookie), 1, "poll_state agrees");
    TAP_EQ(s4j_srcu_advance(ssp, cookie), 1, "an ended cookie stays ended");

    /* A reader on the set new readers use holds the second scan: advance starts the grace
     * period, passes the first scan and the flip, and stops there. */
    struct holder h = { .ssp = ssp };
    pthread_t t;
    start_holder(&h, &t);
    uint64_t first = s4j_srcu_get_state(ssp);
    int held = 0;
    for (int i = 0; i < 50; i++)
        held += s4j_srcu_advance(ssp, first) == 0;
    TAP_EQ(held, 50, "advance returns 0, without waiting, while a reader holds the grace period");
    /* A cookie taken while that grace period runs needs the next one. */
    uint64_t second = s4j_srcu_get_state(ssp);
    TAP_EQ(second, first + 2, "a cookie taken during a grace period names the one after it");
    TAP_EQ(s4j_srcu_advance(ssp, second), 0, "which is held as well");
    __atomic_store_n(&h.leave, 1, __ATOMIC_RELEASE);
    pthread_join(t, NULL);
    TAP_EQ(s4j_srcu_advance(ssp, second), 1,
           "once the reader left, one advance ends the held grace period and runs the next");
    TAP_OK(s4j_srcu_poll_state(ssp, first) && s4j_srcu_poll_state(ssp, second),
           "both cookies have ended");

    /* Inside one's own section, advance is not refused: the section holds it at 0. */
    int32_t idx = s4j_srcu_read_lock(ssp);
    uint64_t own = s4j_srcu_get_state(ssp);
    TAP_OK(s4j_srcu_advance(ssp, own) == 0 && s4j_srcu_advance(ssp, own) == 0,
           "advance inside the caller's own section returns 0 instead of waiting for itself");
    s4j_srcu_read_unlock(ssp, idx);
    TAP_EQ(s4j_srcu_advance(ssp, own), 1, "and 1 once the section ended");
    TAP_EQ(s4j_srcu_synchronize(ssp), 0, "synchronize goes on from where advance left off");
    s4j_srcu_close(ssp);
    s4j_srcu_free(ssp);
}

static void test_start_advance(void)
{
    struct s4j_srcu *ssp;

    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &ssp);
    uint64_t before = s4j_srcu_get_state(ssp);
    uint64_t started = s4j_srcu_start_advance(ssp);
    TAP_OK(started & 1, "with no reader, start_advance's one step ends the grace period (odd result)");
    TAP_EQ(started & ~(uint64_t)1, before, "its cookie is the one get_state gave just before");
    TAP_EQ(s4j_srcu_poll_state(ssp, started & ~(uint64_t)1), 1, "poll_state agrees");

    struct holder h = { .ssp = ssp };
    pthread_t t;
    start_holder(&h, &t);
    started = s4j_srcu_start_advance(ssp);
    TAP_EQ(started & 1, 0, "with a reader inside, the result is the even cookie, grace period running");
    TAP_EQ(s4j_srcu_advance(ssp, started), 0, "advance on it keeps returning 0 while the reader stays");
    __atomic_store_n(&h.leave, 1, __ATOMIC_RELEASE);
    pthread_join(t, NULL);
    TAP_EQ(s4j_srcu_advance(ssp, started), 1, "and ends it once the reader left");
    s4j_srcu_close(ssp);
    s4j_srcu_free(ssp);
}

/* A fast domain to count membarrier calls on; NULL, with the test skipped, where there is none. */
static struct s4j_srcu *fast_domain(void)
{
    struct s4j_capabilities caps;
    struct s4j_srcu *ssp;

    s4j_capabilities_get(&caps);
    if (!caps.membarrier || s4j_srcu_create(S4J_FLAVOR_FAST, &ssp) != S4J_CREATED) {
        TAP_SKIP("no membarrier here: no fast domain to count its calls on");
        return NULL;
    }
    return ssp;
}

/*
 * A fast reader stays inside for 1 ms while an expedited synchronize spins on it: the scans look
 * at the sums first and issue membarrier ([X]) only once they look balanced. That is one per scan
 * (2), instead of one per try (hundreds within a millisecond of back-to-back tries and yields):
 * the first scan's finds the reader, and the scan after the flip, expecting it still inside,
 * looks first without one (3 when it did not).
 */
static void test_fast_scans_spare_membarrier(void)
{
    enum { RUNS = 10 };
    struct s4j_srcu *ssp = fast_domain();

    if (!ssp)
        return;
    long most = 0, total = 0;
    int waited = 1;
    for (int i = 0; i < RUNS; i++) {
        struct holder h = { .ssp = ssp, .fast = 1, .hold_ms = 1 };
        pthread_t t;
        start_holder(&h, &t);
        long before = __atomic_load_n(&membarrier_calls, __ATOMIC_RELAXED);
        s4j_srcu_synchronize_expedited(ssp);
        long calls = __atomic_load_n(&membarrier_calls, __ATOMIC_RELAXED) - before;
        waited &= __atomic_load_n(&h.left, __ATOMIC_RELAXED);
        pthread_join(t, NULL);
        total += calls;
        if (calls > most)
            most = calls;
    }
    printf("# membarrier calls per expedited synchronize, a fast reader inside for 1 ms: "
           "%.1f on average, %ld at most\n", (double)total / RUNS, most);
    TAP_OK(waited, "each synchronize waited for the reader");
    TAP_OK(most <= 2, "at most 2 membarrier calls per expedited synchronize (%ld)", most);

    s4j_srcu_close(ssp);
    s4j_srcu_free(ssp);
}

static long membarriers_of(int32_t (*sync)(struct s4j_srcu *), struct s4j_srcu *ssp)
{
    long before = __atomic_load_n(&membarrier_calls, __ATOMIC_RELAXED);

    sync(ssp);
    return __atomic_load_n(&membarrier_calls, __ATOMIC_RELAXED) - before;
}

/*
 * [V]: a fast domain's grace period issues membarrier ([X]) only when a fast reader entered since
 * the last one, or the last one found a reader inside; an idle domain's grace periods issue none.
 * A reader that enters while the domain is quiet marks it and is waited for.
 * (litmus: V)
 */
static void test_idle_fast_skips_membarrier(void)
{
    struct s4j_srcu *ssp = fast_domain();

    if (!ssp)
        return;
    TAP_EQ(membarriers_of(s4j_srcu_synchronize, ssp), 0,
           "a grace period of a fast domain no reader ever entered issues no membarrier");
    int32_t idx = s4j_srcu_read_lock_fast(ssp);
    s4j_srcu_read_unlock_fast(ssp, idx);
    TAP_EQ(membarriers_of(s4j_srcu_synchronize, ssp), 1,
           "after a fast section: one, in the scan of the set it used, which finds no reader inside");
    TAP_EQ(membarriers_of(s4j_srcu_synchronize, ssp), 0, "the next grace period none");
    TAP_EQ(membarriers_of(s4j_srcu_synchronize_expedited, ssp), 0, "nor an expedited one");
    idx = s4j_srcu_down_read(ssp);
    s4j_srcu_up_read(ssp, idx);
    TAP_EQ(membarriers_of(s4j_srcu_synchronize, ssp), 1, "a down_read section marks it too");

    /* A reader that enters while the domain is quiet, and stays 50 ms. */
    TAP_EQ(membarriers_of(s4j_srcu_synchronize, ssp), 0, "quiet again");
    struct holder h = { .ssp = ssp, .fast = 1, .hold_ms = 50 };
    pthread_t t;
    start_holder(&h, &t);
    long calls = membarriers_of(s4j_srcu_synchronize_expedited, ssp);
    TAP_OK(__atomic_load_n(&h.left, __ATOMIC_RELAXED),
           "a grace period started while a reader that entered a quiet domain is inside waits for it");
    TAP_OK(calls >= 1, "and issues membarrier for it (%ld)", calls);
    pthread_join(t, NULL);
    TAP_EQ(membarriers_of(s4j_srcu_synchronize, ssp), 0,
           "the next one none: the scan that saw the reader leave found the domain quiet");
    s4j_srcu_close(ssp);
    s4j_srcu_free(ssp);
}

/* s4j_membarrier_count() counts the library's membarrier calls, no more and no fewer than reach
 * syscall(). */
static void test_membarrier_count(void)
{
    struct s4j_srcu *ssp = fast_domain();

    if (!ssp)
        return;
    long seen = 0;
    uint64_t counted = s4j_membarrier_count();
    for (int i = 0; i < 3; i++) {
        int32_t idx = s4j_srcu_read_lock_fast(ssp);
        s4j_srcu_read_unlock_fast(ssp, idx);
        seen += membarriers_of(i == 1 ? s4j_srcu_synchronize_expedited : s4j_srcu_synchronize, ssp);
    }
    counted = s4j_membarrier_count() - counted;
    TAP_OK(seen >= 3 && counted == (uint64_t)seen,
           "s4j_membarrier_count() rose by the membarrier calls made (%llu of %ld)",
           (unsigned long long)counted, seen);
    s4j_srcu_close(ssp);
    s4j_srcu_free(ssp);
}

static void pin_self(int cpu)
{
    cpu_set_t set;

    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    sched_setaffinity(0, sizeof(set), &set);
}

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/*
 * A CPU-bound reader pinned to cpu: back-to-back sections (fast or classic) of `work` additions
 * each, until stop is set; sections counts them. start_busy_reader() returns once one ended.
 */
struct busy_reader {
    struct s4j_srcu *ssp;
    int fast, cpu, work;
    long sections;
    int stop;
    pthread_t t;
};

static void *busy_read(void *arg)
{
    struct busy_reader *b = arg;
    volatile unsigned sink = 0;   /* wraps: the reader may run for millions of sections */

    pin_self(b->cpu);
    while (!__atomic_load_n(&b->stop, __ATOMIC_RELAXED)) {
        int32_t idx = b->fast ? s4j_srcu_read_lock_fast(b->ssp) : s4j_srcu_read_lock(b->ssp);
        for (int i = 0; i < b->work; i++)
            sink += i;
        if (b->fast)
            s4j_srcu_read_unlock_fast(b->ssp, idx);
        else
            s4j_srcu_read_unlock(b->ssp, idx);
        /* A progress count only: nothing is handed over through it. */
        __atomic_store_n(&b->sections, b->sections + 1, __ATOMIC_RELAXED);
    }
    return NULL;
}

static void start_busy_reader(struct busy_reader *b)
{
    pthread_create(&b->t, NULL, busy_read, b);
    while (!__atomic_load_n(&b->sections, __ATOMIC_RELAXED))
        sched_yield();
}

static void stop_busy_reader(struct busy_reader *b)
{
    __atomic_store_n(&b->stop, 1, __ATOMIC_RELAXED);
    pthread_join(b->t, NULL);
}

/*
 * [V], one mark per counter set: beside a fast reader that runs sections back to back on the
 * other CPU, a grace period issues one membarrier ([X]), in the scan after the flip. The scan
 * before it looks at the set the reader left at the last flip, whose mark no reader set since
 * the [X] that found it empty. With one mark for both sets the reader kept it set, and both scans issued one: 2 per
 * grace period. (litmus: V)
 */
static void test_busy_fast_one_membarrier_per_grace_period(void)
{
    enum { CALLS = 100, MIN_SECTIONS = 1000 };
    static const char *const kinds[2] = { "synchronize", "synchronize_expedited" };
    cpu_set_t affinity;

    if (sched_getaffinity(0, sizeof(affinity), &affinity) != 0 || !CPU_ISSET(0, &affinity) || !CPU_ISSET(1, &affinity)) {
        TAP_SKIP("CPUs 0 and 1 are not both usable here");
        return;
    }
    struct s4j_srcu *ssp = fast_domain();
    if (!ssp)
        return;
    pin_self(0);
    struct busy_reader s = { .ssp = ssp, .fast = 1, .cpu = 1, .work = 20 };
    start_busy_reader(&s);
    for (int e = 0; e < 2; e++) {
        long sections = __atomic_load_n(&s.sections, __ATOMIC_RELAXED), ran = 0, n = 0;
        long before = __atomic_load_n(&membarrier_calls, __ATOMIC_RELAXED);
        /* At least CALLS, and on until the reader ran MIN_SECTIONS beside them (2 s at most): an
         * idle domain's calls take 0.1 us, and the reader's CPU may be busy for a moment. */
        for (double until = now_ms() + 2000; n < CALLS || (ran < MIN_SECTIONS && now_ms() < until); n++) {
            (e ? s4j_srcu_synchronize_expedited : s4j_srcu_synchronize)(ssp);
            ran = __atomic_load_n(&s.sections, __ATOMIC_RELAXED) - sections;
        }
        long calls = __atomic_load_n(&membarrier_calls, __ATOMIC_RELAXED) - before;
        printf("# %s beside a busy fast reader: %.2f membarrier calls per call over %ld calls, %ld sections "
               "meanwhile\n", kinds[e], (double)calls / n, n, ran);
        TAP_OK(ran >= MIN_SECTIONS, "%s: the reader ran sections meanwhile (%ld)", kinds[e], ran);
        TAP_OK(calls > 0 && calls * 2 <= n * 3,
               "%s: beside a busy fast reader, one membarrier per grace period, not two (%.2f per call)",
               kinds[e], (double)calls / n);
    }
    sched_setaffinity(0, sizeof(affinity), &affinity);
    stop_busy_reader(&s);
    s4j_srcu_close(ssp);
    s4j_srcu_free(ssp);
}

/*
 * An expedited synchronize that shares its CPU with a CPU-bound reader: when it preempted the
 * reader inside a section, only giving the CPU back lets the grace period end. Yielding gave the
 * reader a whole time slice first (milliseconds per call); a short sleep hands the CPU over and
 * ends on time.
 */
static void test_expedited_shares_its_cpu(void)
{
    enum { CALLS = 200 };
    struct s4j_srcu *ssp;
    cpu_set_t before;

    if (sched_getaffinity(0, sizeof(before), &before) != 0 || !CPU_ISSET(0, &before)) {
        TAP_SKIP("CPU 0 is not usable here");
        return;
    }
    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &ssp);
    /* Sections of about a microsecond each, on the CPU the caller then pins itself to. */
    struct busy_reader b = { .ssp = ssp, .cpu = 0, .work = 200 };
    start_busy_reader(&b);
    pin_self(0);
    double start = now_ms();
    for (int i = 0; i < CALLS; i++)
        s4j_srcu_synchronize_expedited(ssp);
    double ms = now_ms() - start;
    sched_setaffinity(0, sizeof(before), &before);
    stop_busy_reader(&b);
    printf("# %d expedited synchronize calls beside a CPU-bound reader on CPU 0: %.1f ms\n",
           CALLS, ms);
    TAP_OK(ms < CALLS * 1.0, "on average under 1 ms each (%.3f ms)", ms / CALLS);
    s4j_srcu_close(ssp);
    s4j_srcu_free(ssp);
}

/*
 * The pace of the two waits, beside a reader that stays inside for 20 ms: the sleeps each asks
 * for, and the timer slack they run with. A normal wait sleeps from 1 us doubling, with the
 * thread's own slack. An expedited one sleeps a sixteenth of the wait so far, never less than
 * 20 us (shorter sleeps, beside a reader this thread preempted on its CPU, wake before the
 * scheduler lets the thread take the CPU back, and lose it for milliseconds) nor more than 1 ms,
 * with the slack lowered to 1 us and given back after. The wait so far is at most the time since
 * the recording began, so a sleep over a sixteenth of that (an eighth, as before) is one too long.
 */
static void test_wait_pace(void)
{
    struct s4j_srcu *ssp;
    long slack = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);

    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &ssp);
    for (int expedited = 0; expedited < 2; expedited++) {
        struct holder h = { .ssp = ssp, .hold_ms = 20 };
        pthread_t t;
        start_holder(&h, &t);
        record_sleeps(1);
        if (expedited)
            s4j_srcu_synchronize_expedited(ssp);
        else
            s4j_srcu_synchronize(ssp);
        record_sleeps(0);
        pthread_join(t, NULL);
        const char *name = expedited ? "expedited" : "normal";
        TAP_OK(__atomic_load_n(&h.left, __ATOMIC_RELAXED) && nsleeps > 0,
               "%s: waited for the reader, sleeping %d times", name, nsleeps);
        int slack_ok = 1, grows = 1, share_ok = 1;
        long shortest = nsleeps ? sleep_ns[0] : 0, longest = 0;
        for (int i = 0; i < nsleeps; i++) {
            slack_ok &= sleep_slack[i] == (expedited ? 1000 : slack);
            long share = sleep_at[i] / 16 < 1000000 ? sleep_at[i] / 16 : 1000000;
            if (expedited && share_ok && sleep_ns[i] > 20000 && sleep_ns[i] > share) {
                share_ok = 0;
                printf("# %s: sleep %d asked for %ld ns after at most %ld ns of waiting\n", name, i,
                       sleep_ns[i], sleep_at[i]);
            }
            grows &= i == 0 || sleep_ns[i] >= sleep_ns[i - 1];
            shortest = sleep_ns[i] < shortest ? sleep_ns[i] : shortest;
            longest = sleep_ns[i] > longest ? sleep_ns[i] : longest;
        }
        printf("# %s: %d sleeps of %ld to %ld ns\n", name, nsleeps, shortest, longest);
        TAP_OK(slack_ok, "%s: every sleep ran with the timer slack at %ld ns", name,
               expedited ? 1000 : slack);
        TAP_OK(grows, "%s: no sleep shorter than the one before", name);
        TAP_EQ(prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0), slack, "%s: the thread's slack is its own again", name);
        if (expedited) {
            TAP_OK(shortest >= 20000, "expedited: no sleep under 20 us (%ld ns)", shortest);
            TAP_OK(longest <= 1000000, "expedited: none over 1 ms (%ld ns)", longest);
            TAP_OK(share_ok, "expedited: none over a sixteenth of the wait so far, or 20 us");
        } else {
            TAP_EQ(sleep_ns[0], 1000, "normal: the first sleep asks for 1 us");
            TAP_OK(longest <= 1000000, "normal: none over 1 ms (%ld ns)", longest);
        }
    }
    s4j_srcu_close(ssp);
    s4j_srcu_free(ssp);
}

/* Bit 0 of the index new sections would use, read without a section (which would mark a set). */
static int32_t idx_now(struct s4j_srcu *ssp)
{
    return (int32_t)(__atomic_load_n(s4j_srcu_idx_word(ssp), __ATOMIC_RELAXED) & 1);
}

/*
 * An expedited grace period whose first scan finds neither counter set holding a reader ends
 * there, without the flip: readers keep the index they had. A normal one flips. With a reader
 * inside, an expedited one flips and waits for it. Both flavors that scan per CPU. On a fast
 * domain "finds" means without an [X] for the set in use alone ([V]): after a section since the
 * last grace period, that set's mark is set, and the expedited grace period flips and issues its
 * one [X] in the scan after the flip instead.
 */
static void test_expedited_one_scan(void)
{
    static const int32_t flavors[] = { S4J_FLAVOR_CLASSIC, S4J_FLAVOR_FAST };
    static const char *const names[] = { "classic", "fast" };

    for (int f = 0; f < 2; f++) {
        struct s4j_srcu *ssp;
        if (s4j_srcu_create(flavors[f], &ssp) < 0 || s4j_srcu_flavor(ssp) != flavors[f]) {
            TAP_SKIP("no %s domain here", names[f]);
            continue;
        }
        int fast = flavors[f] == S4J_FLAVOR_FAST;
        int32_t (*lock)(struct s4j_srcu *) = fast ? s4j_srcu_read_lock_fast : s4j_srcu_read_lock;
        void (*unlock)(struct s4j_srcu *, int32_t) = fast ? s4j_srcu_read_unlock_fast : s4j_srcu_read_unlock;

        /* A section, then its grace period: the domain is idle. */
        unlock(ssp, lock(ssp));
        s4j_srcu_synchronize(ssp);
        int32_t before = idx_now(ssp);
        s4j_srcu_synchronize_expedited(ssp);
        TAP_EQ(idx_now(ssp), before, "%s: an expedited grace period of an idle domain keeps the index", names[f]);
        s4j_srcu_synchronize(ssp);
        int32_t normal = idx_now(ssp);
        TAP_EQ(normal, before ^ 1, "%s: a normal one flips it", names[f]);

        /* A section since: classic sums find it over; a fast domain's set in use is marked. */
        unlock(ssp, lock(ssp));
        s4j_srcu_synchronize_expedited(ssp);
        TAP_EQ(idx_now(ssp), fast ? normal ^ 1 : normal,
               fast ? "%s: after a section on the set in use, an expedited grace period flips"
                    : "%s: after a section, an expedited grace period keeps the index", names[f]);
        normal = idx_now(ssp);

        struct holder h = { .ssp = ssp, .fast = fast, .hold_ms = 20 };
        pthread_t t;
        start_holder(&h, &t);
        s4j_srcu_synchronize_expedited(ssp);
        TAP_OK(__atomic_load_n(&h.left, __ATOMIC_RELAXED),
               "%s: with a reader inside, an expedited grace period waits for it", names[f]);
        pthread_join(t, NULL);
        int32_t flipped = lock(ssp);
        unlock(ssp, flipped);
        TAP_EQ(flipped, normal ^ 1, "%s: and flips the index to drain its set", names[f]);

        /* That look found a reader in the set in use: the next expedited grace periods do not
         * look (they flip, idle as the domain is now), and within 16 one looks again. */
        if (!fast) {
            int32_t at = idx_now(ssp);
            s4j_srcu_synchronize_expedited(ssp);
            TAP_EQ(idx_now(ssp), at ^ 1, "%s: after a look that found a reader in the set in use, the next "
                   "expedited grace period does not look, and flips", names[f]);
            int kept = 0;
            for (int i = 0; i < 16 && !kept; i++) {
                at = idx_now(ssp);
                s4j_srcu_synchronize_expedited(ssp);
                kept = idx_now(ssp) == at;
            }
            TAP_OK(kept, "%s: within 16 more, one looks again and keeps the index", names[f]);
        }
        s4j_srcu_close(ssp);
        s4j_srcu_free(ssp);
    }
}

int main(void)
{
    test_advance();
    test_start_advance();
    test_wait_pace();
    test_expedited_one_scan();
    test_fast_scans_spare_membarrier();
    test_idle_fast_skips_membarrier();
    test_busy_fast_one_membarrier_per_grace_period();
    test_membarrier_count();
    test_expedited_shares_its_cpu();
    return tap_done();
}
