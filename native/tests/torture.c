// SPDX-License-Identifier: Apache-2.0
/*
 * Torture test of libsrcu4j, in the manner of the kernel's rcutorture.
 *
 * One object is published through a pointer. Readers enter a read section, load the pointer
 * (acquire), and check the object's state several times, sometimes after yielding or sleeping
 * inside the section. Updaters replace the object (release) and retire the old one: after
 * s4j_srcu_synchronize() or its expedited form, from a s4j_call_srcu() callback, or once a
 * polled grace period's cookie has completed. A retired object is poisoned as soon as its grace
 * period has ended and freed only much later (the graveyard), so a reader the library failed to
 * protect reads poison, not freed memory, and counts a violation.
 *
 * Around that core, optional disturbances: readers per CPU beyond one (oversubscription), a
 * thread that moves readers between CPUs every ~200 us, a thread that sends SIGUSR1 to readers
 * every ~50 us (the handler enters a read section of its own on signal-safe domains), and the
 * down-up flavor, whose sections begin in one reader thread and end in another.
 *
 * Checks: no poison or torn object is ever seen; every callback queued has run after
 * s4j_srcu_barrier() and after s4j_srcu_close(); no read section is left counted at the end;
 * synchronize inside one's own section is refused; a cookie taken before a synchronize is
 * complete after it; every reader and updater made progress; no thread hangs.
 *
 * Prints one summary line; exit status 0 when all checks pass, 1 otherwise, 2 on bad usage.
 * Built once against libsrcu4j.so, and once with the sources under ThreadSanitizer.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "srcu4j/srcu4j.h"

#ifdef S4J_TEST_DELAY_INJECT
/*
 * Built with the library's sources and -DS4J_TEST_DELAY_INJECT: now and then, a reader stalls
 * at an injection point for tens of microseconds, so a race a few instructions wide (a reader
 * between loading the index and incrementing its counter) is hit often.
 */
void s4j_test_inject(int point)
{
    static __thread uint32_t rnd = 0x9e3779b9u;

    rnd ^= rnd << 13;
    rnd ^= rnd >> 17;
    rnd ^= rnd << 5;
    if ((rnd & 255) == 0) {
        struct timespec ts = { 0, 50000 };
        nanosleep(&ts, NULL);
    }
}
#endif

#if defined(__SANITIZE_THREAD__)
# define TORTURE_TSAN 1
#elif defined(__has_feature)
# if __has_feature(thread_sanitizer)
#  define TORTURE_TSAN 1
# endif
#endif

#define LOAD(x)      __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define STORE(x, v)  __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define INC(x)       __atomic_fetch_add(&(x), 1, __ATOMIC_RELAXED)

#define MAX_READERS   256
#define MAX_UPDATERS  16
#define MAILBOX_SIZE  64            /* down-up hand-off ring, per reader; a power of two */
#define GRAVEYARD     8192          /* retired objects kept poisoned before they are freed */
#define BARRIER_EVERY 128           /* call_srcu updaters: s4j_srcu_barrier() this often */
#define JOIN_TIMEOUT  30            /* seconds a thread may take to stop before it counts as hung */

/*
 * The published object. Every field is read and written with single-copy-atomic accesses
 * (READ_ONCE style), so a reader racing with the poisoning sees one value or the other and the
 * only data the test races on is what the library is supposed to protect.
 */
#define OBJ_LIVE   0x4c4956454f424a31ull
#define OBJ_POISON 0xdeadbeefdeadbeefull
#define OBJ_WORDS  4

struct obj {
    uint64_t magic;
    uint64_t gen;
    uint64_t payload[OBJ_WORDS];
    struct s4j_srcu_head head;      /* for call_srcu */
    uint32_t owner;                 /* the updater that queued it (callback accounting) */
};

static uint64_t payload_of(uint64_t gen, int i)
{
    return (gen + 1) * 0x9e3779b97f4a7c15ull ^ (uint64_t)i;
}

/* Reader flavors. down-up runs on a domain of any flavor (--domain). */
enum { FL_CLASSIC, FL_FAST, FL_SIGNAL_SAFE, FL_DOWN_UP };

struct flavor {
    const char *name;
    int32_t domain;
    int32_t (*lock)(struct s4j_srcu *);
    void (*unlock)(struct s4j_srcu *, int32_t);
};

static const struct flavor flavors[] = {
    [FL_CLASSIC] = { "classic", S4J_FLAVOR_CLASSIC, s4j_srcu_read_lock, s4j_srcu_read_unlock },
    [FL_FAST] = { "fast", S4J_FLAVOR_FAST, s4j_srcu_read_lock_fast, s4j_srcu_read_unlock_fast },
    [FL_SIGNAL_SAFE] = { "signal-safe", S4J_FLAVOR_SIGNAL_SAFE, s4j_srcu_read_lock_signal_safe,
                         s4j_srcu_read_unlock_signal_safe },
    [FL_DOWN_UP] = { "down-up", S4J_FLAVOR_CLASSIC, s4j_srcu_down_read, s4j_srcu_up_read },
};

enum gp_mode { GP_NORMAL, GP_EXPEDITED, GP_MIX };
static const char *const gp_names[] = { "normal", "expedited", "mix" };

enum upd_kind { UPD_SYNC, UPD_CALL, UPD_POLL };
static const char *const upd_names[] = { "sync", "call", "poll" };

/* Configuration (command line). */
static double duration = 5.0;
static int flavor_id = FL_CLASSIC;
static int domain_flavor = -1;          /* -1: the reader flavor's own (classic for down-up) */
static int threads_per_cpu = 1;
static int migrate, signals;
static enum gp_mode gp_mode = GP_MIX;
static int nupdaters;
static enum upd_kind upd_kinds[MAX_UPDATERS];
static unsigned long seed;

/* Shared state. */
static struct s4j_srcu *ssp;
static const struct flavor *rf;         /* the readers' flavor, after any fallback */
static struct obj *current;             /* the published object */
static uint64_t next_gen;
static int stop_readers, stop_updaters, stop_aux;
static int handler_sections;            /* the signal handler enters sections (signal-safe) */

static uint64_t violations;             /* every kind, all threads (also the signal handler) */
static uint64_t signals_sent, signals_handled, signal_reads;
static uint64_t messages;               /* violation messages printed so far */

struct handoff {
    int32_t idx;
    struct obj *p;
    uint64_t gen;
};

struct reader {
    pthread_t tid;
    int id;
    uint64_t reads;
    unsigned long rnd;
    /* down-up: sections handed to this reader by the previous one, which stops sending and
     * then sets done_sending. */
    struct handoff box[MAILBOX_SIZE];
    uint32_t box_head, box_tail;
    int done_sending;
} __attribute__((aligned(128)));

struct updater {
    pthread_t tid;
    int id;
    enum upd_kind kind;
    uint64_t updates, syncs, polls, queued;
    uint64_t run;                       /* callbacks of this updater that ran (worker thread) */
    unsigned long rnd;
} __attribute__((aligned(128)));

static struct reader readers[MAX_READERS];
static int nreaders;
static struct updater updaters[MAX_UPDATERS + 1];  /* the last one: the main thread's final retire */
static int allowed_cpus[1024];
static int nallowed;

static void violation(const char *fmt, ...)
{
    INC(violations);
    if (INC(messages) < 10) {
        va_list ap;
        char buf[256];
        va_start(ap, fmt);
        vsnprintf(buf, sizeof(buf), fmt, ap);
        va_end(ap);
        fprintf(stderr, "torture: VIOLATION: %s\n", buf);
    }
}

static unsigned long rnd_next(unsigned long *s)
{
    /* xorshift64 */
    unsigned long x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void sleep_ns(long ns)
{
    struct timespec ts = { ns / 1000000000L, ns % 1000000000L };
    while (nanosleep(&ts, &ts) && errno == EINTR)
        ;
}

/* ---- objects and the graveyard ---- */

/*
 * Poisoned objects wait here, oldest first, and are freed once GRAVEYARD newer ones have been
 * retired: long after any reader that could still legitimately hold them (none can) has gone.
 * Under ThreadSanitizer they are recycled instead of freed: free() is a write TSan would pair
 * with the reader's last load, an ordering only the library's fences establish, which TSan
 * does not model. Every object field access is atomic, so recycling reports nothing spurious.
 */
static pthread_mutex_t grave_lock = PTHREAD_MUTEX_INITIALIZER;
static struct obj *graveyard[GRAVEYARD];
static size_t grave_count, grave_next;
#ifdef TORTURE_TSAN
static struct obj *pool[GRAVEYARD];
static size_t pool_count;
#endif

static struct obj *obj_new(uint32_t owner)
{
    struct obj *p = NULL;

#ifdef TORTURE_TSAN
    pthread_mutex_lock(&grave_lock);
    if (pool_count)
        p = pool[--pool_count];
    pthread_mutex_unlock(&grave_lock);
#endif
    if (!p && !(p = malloc(sizeof(*p)))) {
        fprintf(stderr, "torture: out of memory\n");
        exit(1);
    }
    uint64_t gen = INC(next_gen);
    STORE(p->gen, gen);
    for (int i = 0; i < OBJ_WORDS; i++)
        STORE(p->payload[i], payload_of(gen, i));
    STORE(p->magic, OBJ_LIVE);
    p->owner = owner;
    return p;
}

static void obj_poison(struct obj *p)
{
    STORE(p->magic, OBJ_POISON);
    STORE(p->gen, OBJ_POISON);
    for (int i = 0; i < OBJ_WORDS; i++)
        STORE(p->payload[i], OBJ_POISON);
}

static void bury(struct obj *p)
{
    struct obj *old = NULL;

    pthread_mutex_lock(&grave_lock);
    if (grave_count == GRAVEYARD)
        old = graveyard[grave_next];
    else
        grave_count++;
    graveyard[grave_next] = p;
    grave_next = (grave_next + 1) % GRAVEYARD;
#ifdef TORTURE_TSAN
    if (old) {
        pool[pool_count++] = old;
        old = NULL;
    }
#endif
    pthread_mutex_unlock(&grave_lock);
    free(old);
}

static void graveyard_free(void)
{
    for (size_t i = 0; i < grave_count; i++)
        free(graveyard[i]);
    grave_count = 0;
#ifdef TORTURE_TSAN
    for (size_t i = 0; i < pool_count; i++)
        free(pool[i]);
    pool_count = 0;
#endif
}

/*
 * 0 when p is live and whole; otherwise what is wrong. Only loads: async-signal-safe.
 * A gen of want_gen (when nonzero) is also required: the object a section handed over.
 */
enum { OK = 0, BAD_NULL, BAD_POISON, BAD_TORN, BAD_GEN };
static const char *const bad_names[] = { "ok", "null pointer", "poisoned object",
                                         "torn or foreign object", "object changed identity" };

static int obj_check(const struct obj *p, uint64_t want_gen)
{
    if (!p)
        return BAD_NULL;
    uint64_t magic = LOAD(p->magic);
    if (magic == OBJ_POISON)
        return BAD_POISON;
    uint64_t gen = LOAD(p->gen);
    if (magic != OBJ_LIVE || gen == OBJ_POISON)
        return gen == OBJ_POISON ? BAD_POISON : BAD_TORN;
    for (int i = 0; i < OBJ_WORDS; i++) {
        uint64_t w = LOAD(p->payload[i]);
        if (w != payload_of(gen, i))
            return w == OBJ_POISON ? BAD_POISON : BAD_TORN;
    }
    if (want_gen && gen != want_gen)
        return BAD_GEN;
    /* The magic again: poisoning that began after the first load shows here at the latest. */
    return LOAD(p->magic) == OBJ_LIVE ? OK : BAD_POISON;
}

static struct obj *deref(void)
{
    return __atomic_load_n(&current, __ATOMIC_ACQUIRE);
}

/* ---- readers ---- */

static void reader_check(struct reader *r, const struct obj *p, uint64_t gen, const char *when)
{
    int bad = obj_check(p, gen);
    if (bad)
        violation("reader %d (%s): %s %s", r->id, rf->name, bad_names[bad], when);
}

/* Something that takes time inside a section, sometimes: the grace period must wait for it. */
static void inside_delay(unsigned long x)
{
    if ((x & 0xff) == 1)
        sched_yield();
    else if ((x & 0xfff) == 2)
        sleep_ns(1000 + (long)((x >> 16) % 100) * 1000);     /* 1..100 us */
    else if ((x & 0x7) == 3)
        for (volatile int spin = (int)((x >> 8) & 0x3f); spin > 0; spin--)
            ;
}

static void reader_section(struct reader *r)
{
    unsigned long x = rnd_next(&r->rnd);
    int32_t idx = rf->lock(ssp);

    if (idx < 0) {
        violation("reader %d (%s): read_lock returned %d", r->id, rf->name, idx);
        STORE(stop_readers, 1);
        return;
    }
    struct obj *p = deref();
    reader_check(r, p, 0, "on entry");
    uint64_t gen = p ? LOAD(p->gen) : 0;

    if ((x & 0x3f0) == 0x10) {
        /* A nested section on the same domain. */
        int32_t inner = rf->lock(ssp);
        reader_check(r, deref(), 0, "in a nested section");
        rf->unlock(ssp, inner);
    }
    if ((x & 0xffff0) == 0x20) {
        /* Waiting for one's own section must be refused, not hang. */
        int rc = s4j_srcu_synchronize(ssp);
        if (rc != -EDEADLK)
            violation("reader %d: synchronize inside its own section returned %d", r->id, rc);
    }
    inside_delay(x);
    reader_check(r, p, gen, "after a delay inside the section");
    rf->unlock(ssp, idx);
    __atomic_store_n(&r->reads, r->reads + 1, __ATOMIC_RELAXED);
}

/* down-up: this reader's sections are ended by the next reader, and it ends the previous one's. */
static int mailbox_put(struct reader *to, const struct handoff *h)
{
    uint32_t tail = to->box_tail;
    if (tail - __atomic_load_n(&to->box_head, __ATOMIC_ACQUIRE) == MAILBOX_SIZE)
        return 0;
    to->box[tail % MAILBOX_SIZE] = *h;
    __atomic_store_n(&to->box_tail, tail + 1, __ATOMIC_RELEASE);
    return 1;
}

/* Ends up to max sections handed to r; returns how many. */
static int mailbox_drain(struct reader *r, int max)
{
    uint32_t head = r->box_head;
    uint32_t tail = __atomic_load_n(&r->box_tail, __ATOMIC_ACQUIRE);
    int n = 0;

    while (head != tail && n < max) {
        struct handoff h = r->box[head % MAILBOX_SIZE];
        unsigned long x = rnd_next(&r->rnd);
        inside_delay(x >> 3);
        reader_check(r, h.p, h.gen, "in a section handed over by another thread");
        s4j_srcu_up_read(ssp, h.idx);
        head++;
        n++;
        __atomic_store_n(&r->box_head, head, __ATOMIC_RELEASE);
    }
    if (n)
        __atomic_store_n(&r->reads, r->reads + (uint64_t)n, __ATOMIC_RELAXED);
    return n;
}

static void reader_down_up(struct reader *r)
{
    struct reader *next = &readers[(r->id + 1) % nreaders];
    struct reader *prev = &readers[(r->id + nreaders - 1) % nreaders];

    while (!LOAD(stop_readers)) {
        struct handoff h;
        h.idx = s4j_srcu_down_read(ssp);
        if (h.idx < 0) {
            violation("reader %d: down_read returned %d", r->id, h.idx);
            break;
        }
        h.p = deref();
        reader_check(r, h.p, 0, "after down_read");
        h.gen = h.p ? LOAD(h.p->gen) : 0;
        while (!mailbox_put(next, &h))
            if (!mailbox_drain(r, MAILBOX_SIZE))
                sched_yield();
        mailbox_drain(r, 4);
    }
    __atomic_store_n(&r->done_sending, 1, __ATOMIC_RELEASE);
    /* The previous reader may still be handing sections over; end them all. */
    for (;;) {
        int done = __atomic_load_n(&prev->done_sending, __ATOMIC_ACQUIRE);
        if (!mailbox_drain(r, MAILBOX_SIZE) && done &&
            __atomic_load_n(&r->box_tail, __ATOMIC_ACQUIRE) == r->box_head)
            break;
        sched_yield();
    }
}

static void *reader_main(void *arg)
{
    struct reader *r = arg;

    if (flavor_id == FL_DOWN_UP) {
        reader_down_up(r);
        return NULL;
    }
    while (!LOAD(stop_readers))
        reader_section(r);
    return NULL;
}

/* ---- signals ---- */

static void on_sigusr1(int sig)
{
    int saved = errno;

    INC(signals_handled);
    if (handler_sections) {
        int32_t idx = s4j_srcu_read_lock_signal_safe(ssp);
        if (idx < 0) {
            INC(violations);
        } else {
            if (obj_check(deref(), 0) != OK)
                INC(violations);
            s4j_srcu_read_unlock_signal_safe(ssp, idx);
            INC(signal_reads);
        }
    }
    errno = saved;
}

static void *signaller_main(void *arg)
{
    unsigned i = 0;

    while (!LOAD(stop_aux)) {
        if (pthread_kill(readers[i % (unsigned)nreaders].tid, SIGUSR1) == 0)
            INC(signals_sent);
        i++;
        sleep_ns(50000);
    }
    return NULL;
}

/* ---- migration ---- */

static void *migrator_main(void *arg)
{
    cpu_set_t set;
    unsigned tick = 0;

    while (!LOAD(stop_aux)) {
        for (int i = 0; i < nreaders; i++) {
            CPU_ZERO(&set);
            CPU_SET(allowed_cpus[((unsigned)i + tick) % (unsigned)nallowed], &set);
            /* EINVAL only if the CPU went offline meanwhile: then the reader simply stays. */
            pthread_setaffinity_np(readers[i].tid, sizeof(set), &set);
        }
        tick++;
        sleep_ns(200000);
    }
    return NULL;
}

/* ---- updaters ---- */

static void retire_cb(struct s4j_srcu_head *head)
{
    struct obj *p = (struct obj *)((char *)head - __builtin_offsetof(struct obj, head));
    uint32_t owner = p->owner;

    obj_poison(p);
    bury(p);
    /* Release: the barrier caller that reads run also sees the callback done. */
    __atomic_fetch_add(&updaters[owner].run, 1, __ATOMIC_RELEASE);
}

/* Queued after close, so it must never run. */
static void late_cb(struct s4j_srcu_head *head)
{
    violation("a callback queued after close ran");
}

static int expedite(struct updater *u)
{
    return gp_mode == GP_EXPEDITED || (gp_mode == GP_MIX && (rnd_next(&u->rnd) & 1));
}

static void wait_grace_period(struct updater *u)
{
    uint64_t cookie = s4j_srcu_get_state(ssp);
    int rc = expedite(u) ? s4j_srcu_synchronize_expedited(ssp) : s4j_srcu_synchronize(ssp);

    if (rc != 0)
        violation("updater %d: synchronize returned %d", u->id, rc);
    /* Its grace period began after get_state, so the cookie is complete. */
    if (!s4j_srcu_poll_state(ssp, cookie))
        violation("updater %d: a cookie taken before synchronize is not complete after it",
                  u->id);
    __atomic_store_n(&u->syncs, u->syncs + 1, __ATOMIC_RELAXED);
}

static void wait_polled(struct updater *u)
{
    /* start_poll asks the worker for the grace period; get_state alone does not, so after a
     * while a synchronize has to provide it (other updaters may well have done so before). */
    int passive = (rnd_next(&u->rnd) & 3) == 0;
    uint64_t cookie = passive ? s4j_srcu_get_state(ssp) : s4j_srcu_start_poll(ssp);
    double start = now_s();

    for (long spins = 0; !s4j_srcu_poll_state(ssp, cookie); spins++) {
        if (passive && spins == 50) {
            s4j_srcu_synchronize(ssp);
            if (!s4j_srcu_poll_state(ssp, cookie))
                violation("updater %d: get_state cookie not complete after synchronize", u->id);
            break;
        }
        if (now_s() - start > JOIN_TIMEOUT) {
            violation("updater %d: polled grace period not done after %d s", u->id,
                      JOIN_TIMEOUT);
            break;
        }
        sleep_ns(spins < 20 ? 5000 : 50000);
    }
    __atomic_store_n(&u->polls, u->polls + 1, __ATOMIC_RELAXED);
}

static void check_callbacks(struct updater *u, const char *when)
{
    uint64_t run = __atomic_load_n(&u->run, __ATOMIC_ACQUIRE);
    if (run != u->queued)
        violation("updater %d: %llu callbacks queued, %llu run %s", u->id,
                  (unsigned long long)u->queued, (unsigned long long)run, when);
}

static void *updater_main(void *arg)
{
    struct updater *u = arg;

    while (!LOAD(stop_updaters)) {
        struct obj *p = obj_new((uint32_t)u->id);
        /* Release: the new object's contents before readers can reach it. */
        struct obj *old = __atomic_exchange_n(&current, p, __ATOMIC_ACQ_REL);
        unsigned long x = rnd_next(&u->rnd);

        switch (u->kind) {
        case UPD_SYNC:
            wait_grace_period(u);
            obj_poison(old);
            bury(old);
            break;
        case UPD_POLL:
            wait_polled(u);
            obj_poison(old);
            bury(old);
            break;
        case UPD_CALL:
            old->owner = (uint32_t)u->id;
            u->queued++;
            int rc = s4j_call_srcu(ssp, &old->head, retire_cb);
            if (rc != 0) {
                violation("updater %d: call_srcu returned %d", u->id, rc);
                u->queued--;
            }
            if (u->queued % BARRIER_EVERY == 0) {
                s4j_srcu_barrier(ssp);
                check_callbacks(u, "after s4j_srcu_barrier");
            }
            break;
        }
        __atomic_store_n(&u->updates, u->updates + 1, __ATOMIC_RELAXED);
        /* Vary the pace: now and then a pause between updates. */
        if ((x & 0xf0) == 0)
            sleep_ns((long)((x >> 8) % 100) * 1000);
    }
    return NULL;
}

/* ---- setup, run, report ---- */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: torture [options]\n"
            "  -d, --duration=SECONDS      run time, fractions allowed (default 5)\n"
            "  -f, --flavor=NAME           classic | fast | signal-safe | down-up (default classic)\n"
            "      --domain=NAME           domain flavor under down-up readers (default classic)\n"
            "  -t, --threads-per-cpu=N     readers per allowed CPU (default 1; e.g. 4 oversubscribes)\n"
            "  -m, --migrate               move readers between CPUs every ~200 us\n"
            "  -s, --signals               SIGUSR1 to readers every ~50 us\n"
            "  -g, --gp=MODE               normal | expedited | mix (default mix)\n"
            "  -u, --updaters=LIST         comma list of sync, call, poll: one updater each\n"
            "                              (default sync,call,poll)\n"
            "      --seed=N                random seed (default: from the clock)\n");
}

static int lookup(const char *name, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(name, names[i]))
            return i;
    return -1;
}

static int flavor_by_name(const char *name)
{
    for (int i = 0; i < (int)(sizeof(flavors) / sizeof(flavors[0])); i++)
        if (!strcmp(name, flavors[i].name))
            return i;
    return -1;
}

static int parse_updaters(const char *list)
{
    char buf[256];
    nupdaters = 0;
    snprintf(buf, sizeof(buf), "%s", list);
    for (char *save, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        int k = lookup(tok, upd_names, 3);
        if (k < 0 || nupdaters == MAX_UPDATERS)
            return -1;
        upd_kinds[nupdaters++] = (enum upd_kind)k;
    }
    return nupdaters ? 0 : -1;
}

static void parse_args(int argc, char **argv)
{
    static const struct option opts[] = {
        { "duration", required_argument, NULL, 'd' },
        { "flavor", required_argument, NULL, 'f' },
        { "domain", required_argument, NULL, 'D' },
        { "threads-per-cpu", required_argument, NULL, 't' },
        { "migrate", no_argument, NULL, 'm' },
        { "signals", no_argument, NULL, 's' },
        { "gp", required_argument, NULL, 'g' },
        { "updaters", required_argument, NULL, 'u' },
        { "seed", required_argument, NULL, 'S' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;

    parse_updaters("sync,call,poll");
    while ((c = getopt_long(argc, argv, "d:f:t:msg:u:h", opts, NULL)) != -1) {
        int bad = 0;
        switch (c) {
        case 'd': {
            char *end;
            duration = strtod(optarg, &end);
            bad = *end || !(duration > 0);
            break;
        }
        case 'f':
            bad = (flavor_id = flavor_by_name(optarg)) < 0;
            break;
        case 'D':
            domain_flavor = flavor_by_name(optarg);
            bad = domain_flavor < 0 || domain_flavor == FL_DOWN_UP;
            break;
        case 't':
            threads_per_cpu = atoi(optarg);
            bad = threads_per_cpu < 1 || threads_per_cpu > 64;
            break;
        case 'm':
            migrate = 1;
            break;
        case 's':
            signals = 1;
            break;
        case 'g': {
            int m = lookup(optarg, gp_names, 3);
            bad = m < 0;
            gp_mode = (enum gp_mode)(bad ? 0 : m);
            break;
        }
        case 'u':
            bad = parse_updaters(optarg) < 0;
            break;
        case 'S':
            seed = strtoul(optarg, NULL, 0);
            break;
        case 'h':
            usage(stdout);
            exit(0);
        default:
            bad = 1;
        }
        if (bad) {
            if (c != '?')
                fprintf(stderr, "torture: bad value for -%c: %s\n", c, optarg ? optarg : "");
            usage(stderr);
            exit(2);
        }
    }
    if (optind < argc) {
        usage(stderr);
        exit(2);
    }
    if (domain_flavor >= 0 && flavor_id != FL_DOWN_UP) {
        fprintf(stderr, "torture: --domain applies to --flavor=down-up only\n");
        exit(2);
    }
}

static int join_by(pthread_t t, const struct timespec *deadline)
{
    return pthread_timedjoin_np(t, NULL, deadline);
}

int main(int argc, char **argv)
{
    struct s4j_capabilities caps;
    cpu_set_t set;
    char config[512], stall[128] = "";
    int failed = 0;

    parse_args(argc, argv);
    if (!seed)
        seed = (unsigned long)time(NULL) ^ ((unsigned long)getpid() << 16);

    /* Readers: threads_per_cpu for every CPU this process may run on. */
    sched_getaffinity(0, sizeof(set), &set);
    for (int cpu = 0; cpu < CPU_SETSIZE && nallowed < (int)(sizeof(allowed_cpus) / sizeof(int)); cpu++)
        if (CPU_ISSET(cpu, &set))
            allowed_cpus[nallowed++] = cpu;
    nreaders = nallowed * threads_per_cpu;
    if (flavor_id == FL_DOWN_UP && nreaders < 2)
        nreaders = 2;                   /* a section must end in another thread */
    if (nreaders > MAX_READERS)
        nreaders = MAX_READERS;

    /* The domain. */
    s4j_capabilities_get(&caps);
    int32_t want = flavor_id == FL_DOWN_UP
        ? flavors[domain_flavor >= 0 ? domain_flavor : FL_CLASSIC].domain
        : flavors[flavor_id].domain;
    int rc = s4j_srcu_create(want, &ssp);
    if (rc < 0) {
        fprintf(stderr, "torture: s4j_srcu_create: %s\n", strerror(-rc));
        return 1;
    }
    int32_t domain = s4j_srcu_flavor(ssp);
    rf = &flavors[flavor_id];
    if (flavor_id != FL_DOWN_UP)
        rf = &flavors[domain];          /* fast asked for, classic made: classic readers */
    handler_sections = signals && domain == S4J_FLAVOR_SIGNAL_SAFE;

    char upd[128] = "";
    for (int i = 0; i < nupdaters; i++)
        snprintf(upd + strlen(upd), sizeof(upd) - strlen(upd), "%s%s", i ? "+" : "",
                 upd_names[upd_kinds[i]]);
    snprintf(config, sizeof(config),
             "flavor=%s domain=%s%s readers=%d(%d/cpu) updaters=%s gp=%s migrate=%s signals=%s "
             "rseq=%d%s seed=%lu %.1fs",
             flavors[flavor_id].name, flavors[domain].name,
             rc == S4J_CREATED_AS_CLASSIC ? "(no membarrier)" : "", nreaders, threads_per_cpu,
             upd, gp_names[gp_mode], migrate ? (nallowed > 1 ? "on" : "on(1 cpu)") : "off",
             signals ? (handler_sections ? "on(handler reads)" : "on(count)") : "off",
             caps.rseq_mode,
#ifdef TORTURE_TSAN
             " tsan",
#else
             "",
#endif
             seed, duration);

    STORE(current, obj_new(MAX_UPDATERS));

    if (signals) {
        struct sigaction sa;
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_sigusr1;
        sa.sa_flags = SA_RESTART;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGUSR1, &sa, NULL);
    }

    /* Start: readers, then updaters, then the disturbances. */
    for (int i = 0; i < nreaders; i++) {
        readers[i].id = i;
        readers[i].rnd = seed * 2654435761u + (unsigned long)i * 7919 + 1;
        if ((rc = pthread_create(&readers[i].tid, NULL, reader_main, &readers[i]))) {
            fprintf(stderr, "torture: pthread_create: %s\n", strerror(rc));
            return 1;
        }
    }
    for (int i = 0; i < nupdaters; i++) {
        updaters[i].id = i;
        updaters[i].kind = upd_kinds[i];
        updaters[i].rnd = seed * 40503u + (unsigned long)i * 104729 + 3;
        if ((rc = pthread_create(&updaters[i].tid, NULL, updater_main, &updaters[i]))) {
            fprintf(stderr, "torture: pthread_create: %s\n", strerror(rc));
            return 1;
        }
    }
    pthread_t signaller, migrator;
    if (signals)
        pthread_create(&signaller, NULL, signaller_main, NULL);
    if (migrate && nallowed > 1)
        pthread_create(&migrator, NULL, migrator_main, NULL);

    double end = now_s() + duration;
    for (double left; (left = end - now_s()) > 0;)
        sleep_ns(left > 0.1 ? 100000000L : (long)(left * 1e9) + 1);

    /* Stop: disturbances first (they address readers), then readers, then updaters (which
     * need no reader to finish their last grace period). A thread that does not stop within
     * JOIN_TIMEOUT is a hang: the run ends there, the domain left as it is. */
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += JOIN_TIMEOUT;
    STORE(stop_aux, 1);
    if (signals && join_by(signaller, &deadline))
        snprintf(stall, sizeof(stall), "signaller");
    if (migrate && nallowed > 1 && join_by(migrator, &deadline))
        snprintf(stall, sizeof(stall), "migrator");
    STORE(stop_readers, 1);
    for (int i = 0; i < nreaders && !stall[0]; i++)
        if (join_by(readers[i].tid, &deadline))
            snprintf(stall, sizeof(stall), "reader %d", i);
    STORE(stop_updaters, 1);
    for (int i = 0; i < nupdaters && !stall[0]; i++)
        if (join_by(updaters[i].tid, &deadline))
            snprintf(stall, sizeof(stall), "updater %d (%s)", i, upd_names[updaters[i].kind]);

    uint64_t reads = 0, updates = 0, syncs = 0, polls = 0, queued = 0, run = 0;
    char why[512] = "";
#define WHY(...) snprintf(why + strlen(why), sizeof(why) - strlen(why), __VA_ARGS__)

    if (stall[0]) {
        WHY(" hung:%s", stall);
        failed = 1;
    } else {
        int64_t active = s4j_srcu_readers_active(ssp);
        if (active != 0)
            violation("%lld read sections still counted after every reader left",
                      (long long)active);
        s4j_srcu_barrier(ssp);
        for (int i = 0; i < nupdaters; i++)
            check_callbacks(&updaters[i], "after the final s4j_srcu_barrier");

        /* The last object is retired by a callback that only close runs. */
        struct updater *last = &updaters[MAX_UPDATERS];
        last->id = MAX_UPDATERS;
        struct obj *p = __atomic_exchange_n(&current, NULL, __ATOMIC_ACQ_REL);
        p->owner = MAX_UPDATERS;
        if ((rc = s4j_call_srcu(ssp, &p->head, retire_cb)) == 0)
            last->queued++;
        else
            violation("final call_srcu returned %d", rc);
        if ((rc = s4j_srcu_close(ssp)) != 0)
            violation("s4j_srcu_close returned %d", rc);
        for (int i = 0; i <= MAX_UPDATERS; i++)
            if (i < nupdaters || i == MAX_UPDATERS)
                check_callbacks(&updaters[i], "after s4j_srcu_close");
        struct s4j_srcu_head late;
        if ((rc = s4j_call_srcu(ssp, &late, late_cb)) != -ESHUTDOWN)
            violation("call_srcu after close returned %d", rc);
        if ((rc = s4j_srcu_free(ssp)) != 0)
            violation("s4j_srcu_free returned %d", rc);
        queued += last->queued;
        run += LOAD(last->run);
    }

    for (int i = 0; i < nreaders; i++) {
        uint64_t n = LOAD(readers[i].reads);
        reads += n;
        if (!n && !stall[0]) {
            WHY(" no-progress:reader%d", i);
            failed = 1;
        }
    }
    for (int i = 0; i < nupdaters; i++) {
        struct updater *u = &updaters[i];
        updates += LOAD(u->updates);
        syncs += LOAD(u->syncs);
        polls += LOAD(u->polls);
        queued += u->queued;
        run += LOAD(u->run);
        if (!LOAD(u->updates) && !stall[0]) {
            WHY(" no-progress:updater%d", i);
            failed = 1;
        }
    }
    if (queued != run) {
        WHY(" callbacks-lost");
        failed = 1;
    }
    uint64_t v = LOAD(violations);
    if (v) {
        WHY(" violations");
        failed = 1;
    }
    if (signals && !LOAD(signals_handled) && !stall[0]) {
        WHY(" no-signals-delivered");
        failed = 1;
    }
    printf("torture %s: reads=%llu signal-reads=%llu updates=%llu gps=%llu(sync %llu, poll %llu) "
           "cbs=%llu/%llu signals=%llu/%llu violations=%llu %s%s\n",
           config, (unsigned long long)reads, (unsigned long long)LOAD(signal_reads),
           (unsigned long long)updates, (unsigned long long)(syncs + polls),
           (unsigned long long)syncs, (unsigned long long)polls, (unsigned long long)queued,
           (unsigned long long)run, (unsigned long long)LOAD(signals_handled),
           (unsigned long long)LOAD(signals_sent), (unsigned long long)v,
           failed ? "FAIL" : "PASS", why);
    fflush(stdout);
    if (stall[0])
        _exit(1);                       /* hung threads still hold the domain */
    graveyard_free();
    return failed;
}
