// SPDX-License-Identifier: Apache-2.0
/*
 * The shared callback pool: an idle domain costs no thread; the pool starts lazily (from the
 * deferral worker when the first work comes from a call that may not start threads); 10,000
 * domains with callbacks pending use at most 2 x CPUs threads; a domain's callbacks run one at a
 * time and in order under two producers; a callback may wait for another domain's barrier and
 * close while the pool is busy. (With a single worker: test_pool_single.c.)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "srcu4j/srcu4j.h"
#include "counted.h"
#include "pool_threads.h"
#include "tap.h"

static int cpus;

/* Runs first: no callback has been queued in this process yet. */
static void test_idle_domains_start_no_thread(void)
{
    enum { N = 100 };
    struct s4j_srcu *d[N];
    int before = count_threads(NULL), created = 0, closed = 0;

    for (int i = 0; i < N; i++)
        created += s4j_srcu_create(S4J_FLAVOR_CLASSIC, &d[i]) == S4J_CREATED;
    TAP_EQ(created, N, "create %d domains", N);
    TAP_EQ(count_threads(NULL) - before, 0, "creating %d domains started no thread", N);
    int32_t idx = s4j_srcu_read_lock(d[0]);
    s4j_srcu_read_unlock(d[0], idx);
    TAP_EQ(s4j_srcu_synchronize(d[0]), 0, "synchronize on one");
    for (int i = 0; i < N; i++)
        closed += s4j_srcu_close(d[i]) == 0 && s4j_srcu_free(d[i]) == 0;
    TAP_EQ(closed, N, "close and free them");
    TAP_EQ(count_threads(NULL) - before, 0,
           "read sections, synchronize and closing domains that queued nothing start no thread");
    TAP_EQ(count_threads("s4j-cb-"), 0, "no pool thread exists yet");
}

/* start_poll's grace period is driven with no other call: the pool starts for it (asked of the
 * deferral worker: start_poll does not start threads itself). */
static void test_start_poll_alone(void)
{
    struct s4j_srcu *ssp;
    int rounds = 0;

    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &ssp);
    int32_t idx = s4j_srcu_down_read(ssp);
    uint64_t cookie = s4j_srcu_start_poll(ssp);
    sleep_ms(20);
    TAP_EQ(s4j_srcu_poll_state(ssp, cookie), 0, "start_poll's grace period waits for the reader");
    s4j_srcu_up_read(ssp, idx);
    while (!s4j_srcu_poll_state(ssp, cookie) && rounds++ < 10000)
        sleep_ms(1);
    TAP_EQ(s4j_srcu_poll_state(ssp, cookie), 1, "and ends once it left, with no other call");
    int pool = count_threads("s4j-cb-");
    TAP_OK(pool >= 1 && pool <= cpus, "the pool started for it: %d thread(s) named s4j-cb-<n>",
           pool);
    TAP_EQ(s4j_srcu_close(ssp), 0, "close");
    TAP_EQ(s4j_srcu_free(ssp), 0, "free");
}

struct pending {
    struct s4j_srcu *ssp;
    int32_t idx;
    struct counted c;
};

static void test_ten_thousand_domains(void)
{
    enum { N = 10000 };
    struct pending *p = calloc(N, sizeof(*p));
    int total = 0, created = 0, queued = 0, closed = 0;
    int others = count_threads(NULL) - count_threads("s4j-cb-");

    tap_watchdog(240, "10,000 domains");
    for (int i = 0; i < N; i++) {
        created += s4j_srcu_create(S4J_FLAVOR_CLASSIC, &p[i].ssp) == S4J_CREATED;
        p[i].idx = s4j_srcu_down_read(p[i].ssp);
        p[i].c.total = &total;
        queued += s4j_call_srcu(p[i].ssp, &p[i].c.head, count_run) == 0;
    }
    TAP_OK(created == N && queued == N, "%d domains, each with a reader inside and a callback "
           "queued (%d created, %d queued)", N, created, queued);
    sleep_ms(300);
    int pool = count_threads("s4j-cb-"), all = count_threads(NULL);
    TAP_OK(pool >= 1 && pool <= 2 * cpus, "%d pool threads serve them (at most 2 x %d CPUs)",
           pool, cpus);
    TAP_OK(all - others <= 2 * cpus, "the process has %d threads besides its %d others",
           all - others, others);
    TAP_EQ(__atomic_load_n(&total, __ATOMIC_ACQUIRE), 0,
           "no callback ran while its reader is inside");
    for (int i = 0; i < N; i++)
        s4j_srcu_up_read(p[i].ssp, p[i].idx);
    TAP_EQ(await_total(&total, N, 120000), N, "every callback ran once its reader left");
    int once = 1;
    for (int i = 0; i < N; i++)
        once &= __atomic_load_n(&p[i].c.runs, __ATOMIC_RELAXED) == 1;
    TAP_OK(once, "each exactly once");
    pool = count_threads("s4j-cb-");
    TAP_OK(pool <= 2 * cpus, "%d pool threads after the run", pool);
    for (int i = 0; i < N; i++)
        closed += s4j_srcu_close(p[i].ssp) == 0 && s4j_srcu_free(p[i].ssp) == 0;
    TAP_EQ(closed, N, "close and free all of them");
    tap_watchdog(0, "");
    free(p);
}

/* Callbacks of one domain: one at a time and in each producer's order, although several workers
 * serve the domains and hand them to each other. */
enum { DOMAINS = 4, PRODUCERS = 2, PER_PRODUCER = 20000 };

struct ordered_domain {
    struct s4j_srcu *ssp;
    int inside;                          /* a callback of the domain runs */
    int overlaps, out_of_order, runs;    /* plain: the callbacks run one at a time */
    int last[PRODUCERS];
};

struct ordered {
    struct s4j_srcu_head head;
    struct ordered_domain *d;
    int producer, seq, runs;
};

static struct ordered_domain od[DOMAINS];

static void ordered_run(struct s4j_srcu_head *head)
{
    struct ordered *o = (struct ordered *)((char *)head - offsetof(struct ordered, head));
    struct ordered_domain *d = o->d;

    if (__atomic_exchange_n(&d->inside, 1, __ATOMIC_ACQUIRE))
        __atomic_fetch_add(&d->overlaps, 1, __ATOMIC_RELAXED);
    if (o->seq != d->last[o->producer] + 1)
        d->out_of_order++;
    d->last[o->producer] = o->seq;
    d->runs++;
    o->runs++;
    for (int i = 0; i < 20; i++)   /* widens the window for an overlap */
        __asm__ __volatile__("" ::: "memory");
    __atomic_store_n(&d->inside, 0, __ATOMIC_RELEASE);
}

struct ordered_producer {
    struct ordered *items;   /* [DOMAINS][PER_PRODUCER] */
    int rc;
};

static void *ordered_produce(void *arg)
{
    struct ordered_producer *p = arg;

    for (int i = 0; i < PER_PRODUCER; i++)
        for (int d = 0; d < DOMAINS; d++)
            p->rc |= s4j_call_srcu(od[d].ssp, &p->items[d * PER_PRODUCER + i].head, ordered_run);
    return NULL;
}

static void test_order_under_two_producers(void)
{
    struct ordered_producer prod[PRODUCERS];
    pthread_t t[PRODUCERS];

    for (int d = 0; d < DOMAINS; d++) {
        s4j_srcu_create(S4J_FLAVOR_CLASSIC, &od[d].ssp);
        od[d].last[0] = od[d].last[1] = -1;
    }
    for (int p = 0; p < PRODUCERS; p++) {
        prod[p].items = calloc(DOMAINS * PER_PRODUCER, sizeof(struct ordered));
        prod[p].rc = 0;
        for (int d = 0; d < DOMAINS; d++)
            for (int i = 0; i < PER_PRODUCER; i++)
                prod[p].items[d * PER_PRODUCER + i] = (struct ordered){
                    .d = &od[d], .producer = p, .seq = i };
        pthread_create(&t[p], NULL, ordered_produce, &prod[p]);
    }
    for (int p = 0; p < PRODUCERS; p++)
        pthread_join(t[p], NULL);
    int barriers = 0, overlaps = 0, out_of_order = 0, runs = 0, once = 1;
    for (int d = 0; d < DOMAINS; d++) {
        barriers += s4j_srcu_barrier(od[d].ssp) == 0;
        /* [K]: the callbacks' plain stores are visible once barrier returns. (litmus: K.mp) */
        overlaps += __atomic_load_n(&od[d].overlaps, __ATOMIC_RELAXED);
        out_of_order += od[d].out_of_order;
        runs += od[d].runs;
    }
    for (int p = 0; p < PRODUCERS; p++) {
        for (int i = 0; i < DOMAINS * PER_PRODUCER; i++)
            once &= prod[p].items[i].runs == 1;
        TAP_EQ(prod[p].rc, 0, "producer %d: every call_srcu returned 0", p);
    }
    TAP_EQ(barriers, DOMAINS, "barrier on each of %d domains", DOMAINS);
    TAP_EQ(runs, DOMAINS * PRODUCERS * PER_PRODUCER, "every callback ran");
    TAP_OK(once, "each exactly once");
    TAP_EQ(overlaps, 0, "never two callbacks of one domain at once");
    TAP_EQ(out_of_order, 0, "each producer's callbacks ran in the order it queued them");
    for (int d = 0; d < DOMAINS; d++) {
        s4j_srcu_close(od[d].ssp);
        s4j_srcu_free(od[d].ssp);
    }
    for (int p = 0; p < PRODUCERS; p++)
        free(prod[p].items);
}

/*
 * A callback that waits for another domain's callbacks (barrier, close, close_start with a
 * close_poll loop), while the pool's workers hold domains that wait for readers.
 */
static struct s4j_srcu *wait_a, *wait_c, *wait_b;
static int a_total, c_total;
static struct {
    int barrier_rc, a_seen, close_rc, free_rc, close_start_rc, close_poll_rc, c_seen, c_free_rc;
    int done;
} waited;
static struct s4j_srcu_head waiter_head;

static void waiter_run(struct s4j_srcu_head *head)
{
    waited.barrier_rc = s4j_srcu_barrier(wait_a);
    waited.a_seen = __atomic_load_n(&a_total, __ATOMIC_ACQUIRE);
    waited.close_rc = s4j_srcu_close(wait_a);
    waited.free_rc = s4j_srcu_free(wait_a);
    waited.close_start_rc = s4j_srcu_close_start(wait_c);
    int rc = 0;
    for (int i = 0; i < 30000 && rc == 0; i++) {
        rc = s4j_srcu_close_poll(wait_c);
        if (rc == 0)
            sleep_ms(1);
    }
    waited.close_poll_rc = rc;
    waited.c_seen = __atomic_load_n(&c_total, __ATOMIC_ACQUIRE);
    waited.c_free_rc = s4j_srcu_free(wait_c);
    /* Release: the results before the test thread's acquire load of done. */
    __atomic_store_n(&waited.done, 1, __ATOMIC_RELEASE);
}

static void test_wait_for_another_domain_from_a_callback(void)
{
    enum { A_CALLBACKS = 100, C_CALLBACKS = 10 };
    int busy_n = 4 * cpus, busy_total = 0;
    struct pending *busy = calloc((size_t)busy_n, sizeof(*busy));
    struct counted a[A_CALLBACKS], c[C_CALLBACKS];

    for (int i = 0; i < busy_n; i++) {
        s4j_srcu_create(S4J_FLAVOR_CLASSIC, &busy[i].ssp);
        busy[i].idx = s4j_srcu_down_read(busy[i].ssp);
        busy[i].c.total = &busy_total;
        s4j_call_srcu(busy[i].ssp, &busy[i].c.head, count_run);
    }
    sleep_ms(50);   /* the workers hold them now, waiting for their readers */
    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &wait_a);
    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &wait_c);
    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &wait_b);
    for (int i = 0; i < A_CALLBACKS; i++) {
        a[i] = (struct counted){ .total = &a_total };
        s4j_call_srcu(wait_a, &a[i].head, count_run);
    }
    for (int i = 0; i < C_CALLBACKS; i++) {
        c[i] = (struct counted){ .total = &c_total };
        s4j_call_srcu(wait_c, &c[i].head, count_run);
    }
    tap_watchdog(120, "a callback waiting for another domain");
    s4j_call_srcu(wait_b, &waiter_head, waiter_run);
    while (!__atomic_load_n(&waited.done, __ATOMIC_ACQUIRE))
        sleep_ms(1);
    tap_watchdog(0, "");
    TAP_EQ(waited.barrier_rc, 0, "a callback's barrier on another domain returns 0");
    TAP_EQ(waited.a_seen, A_CALLBACKS, "after that domain's callbacks ran");
    TAP_EQ(waited.close_rc, 0, "its close of that domain returns 0");
    TAP_EQ(waited.free_rc, 0, "and it may free it at once");
    TAP_EQ(waited.close_start_rc, 0, "close_start of a third domain");
    TAP_EQ(waited.close_poll_rc, 1, "a close_poll loop in the callback sees the drain end");
    TAP_EQ(waited.c_seen, C_CALLBACKS, "after every callback of it ran");
    TAP_EQ(waited.c_free_rc, 0, "and frees it");
    TAP_EQ(__atomic_load_n(&busy_total, __ATOMIC_RELAXED), 0,
           "meanwhile the busy domains still wait for their readers");
    for (int i = 0; i < busy_n; i++)
        s4j_srcu_up_read(busy[i].ssp, busy[i].idx);
    TAP_EQ(await_total(&busy_total, busy_n, 60000), busy_n, "and run once the readers left");
    for (int i = 0; i < busy_n; i++) {
        s4j_srcu_close(busy[i].ssp);
        s4j_srcu_free(busy[i].ssp);
    }
    s4j_srcu_close(wait_b);
    s4j_srcu_free(wait_b);
    free(busy);
}

/* What the library wrote to stderr while fn ran. */
static void capture_stderr(void (*fn)(void), char *out, size_t size)
{
    FILE *tmp = tmpfile();
    int saved = dup(STDERR_FILENO);
    size_t got;

    out[0] = 0;
    if (!tmp || saved < 0) {
        fn();
        return;
    }
    fflush(stderr);
    dup2(fileno(tmp), STDERR_FILENO);
    fn();
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    rewind(tmp);
    got = fread(out, 1, size - 1, tmp);
    out[got] = 0;
    fclose(tmp);
}

int main(void)
{
    struct s4j_capabilities caps;
    char said[512];

    s4j_capabilities_get(&caps);
    cpus = caps.online_cpus > 0 ? caps.online_cpus : 1;
    /* Read when the first worker starts: a bad value is named, and the CPU count used. */
    setenv("SRCU4J_CALLBACK_WORKERS", "many", 1);
    test_idle_domains_start_no_thread();
    capture_stderr(test_start_poll_alone, said, sizeof(said));
    said[strcspn(said, "\n")] = 0;
    TAP_OK(strstr(said, "SRCU4J_CALLBACK_WORKERS=\"many\" is not a number from 1 to 1024"),
           "a bad SRCU4J_CALLBACK_WORKERS is named on stderr: %s", said);
    test_ten_thousand_domains();
    test_order_under_two_producers();
    test_wait_for_another_domain_from_a_callback();
    return tap_done();
}
