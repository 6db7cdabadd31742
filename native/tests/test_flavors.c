// SPDX-License-Identifier: Apache-2.0
/* Reader flavors, cross-thread release, self-deadlock detection, expedited and polled grace
 * periods. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "srcu4j/srcu4j.h"
#include "tap.h"

struct flavor {
    const char *name;
    int32_t id;
    int32_t (*lock)(struct s4j_srcu *);
    void (*unlock)(struct s4j_srcu *, int32_t);
};

static const struct flavor flavors[] = {
    { "classic", S4J_FLAVOR_CLASSIC, s4j_srcu_read_lock, s4j_srcu_read_unlock },
    { "fast", S4J_FLAVOR_FAST, s4j_srcu_read_lock_fast, s4j_srcu_read_unlock_fast },
    { "signal-safe", S4J_FLAVOR_SIGNAL_SAFE, s4j_srcu_read_lock_signal_safe,
      s4j_srcu_read_unlock_signal_safe },
};

static struct s4j_srcu *create(const struct flavor *f)
{
    struct s4j_capabilities caps;
    struct s4j_srcu *ssp;

    s4j_capabilities_get(&caps);
    int rc = s4j_srcu_create(f->id, &ssp);
    if (f->id == S4J_FLAVOR_FAST && !caps.membarrier)
        TAP_EQ(rc, S4J_CREATED_AS_CLASSIC, "%s: without membarrier a classic domain is made",
               f->name);
    else
        TAP_EQ(rc, S4J_CREATED, "%s: create", f->name);
    return ssp;
}

/* A reader of flavor f that stays inside for a while. */
struct holder {
    struct s4j_srcu *ssp;
    const struct flavor *f;
    int entered, left;
};

static void *hold(void *arg)
{
    struct holder *h = arg;
    int32_t idx = h->f->lock(h->ssp);

    __atomic_store_n(&h->entered, 1, __ATOMIC_RELEASE);
    sleep_ms(80);
    __atomic_store_n(&h->left, 1, __ATOMIC_RELAXED);
    h->f->unlock(h->ssp, idx);
    return NULL;
}

static void start_holder(struct holder *h, pthread_t *t)
{
    pthread_create(t, NULL, hold, h);
    while (!__atomic_load_n(&h->entered, __ATOMIC_ACQUIRE))
        sched_yield();
}

static void test_flavor(const struct flavor *f)
{
    struct s4j_srcu *ssp = create(f);
    int32_t effective = s4j_srcu_flavor(ssp);
    const struct flavor *run = &flavors[effective];

    /* Every other flavor's read_lock is refused, and its unlock of that refusal is a no-op. */
    for (size_t i = 0; i < sizeof(flavors) / sizeof(flavors[0]); i++) {
        if ((int32_t)i == effective)
            continue;
        int32_t idx = flavors[i].lock(ssp);
        TAP_EQ(idx, -EINVAL, "%s domain refuses %s read_lock", f->name, flavors[i].name);
        flavors[i].unlock(ssp, idx);
    }
    TAP_EQ(s4j_srcu_readers_active(ssp), 0, "%s: refused locks count nothing", f->name);

    for (int expedited = 0; expedited < 2; expedited++) {
        struct holder h = { ssp, run, 0, 0 };
        pthread_t t;
        start_holder(&h, &t);
        int rc = expedited ? s4j_srcu_synchronize_expedited(ssp) : s4j_srcu_synchronize(ssp);
        TAP_OK(rc == 0 && __atomic_load_n(&h.left, __ATOMIC_RELAXED),
               "%s: %s waits for a pre-existing reader", f->name,
               expedited ? "synchronize_expedited" : "synchronize");
        pthread_join(t, NULL);
    }

    /* A reader's own synchronize on its domain is refused, not a hang; nesting is counted. */
    int32_t outer = run->lock(ssp);
    int32_t inner = run->lock(ssp);
    TAP_EQ(s4j_srcu_synchronize(ssp), -EDEADLK, "%s: synchronize inside own section", f->name);
    run->unlock(ssp, inner);
    TAP_EQ(s4j_srcu_synchronize_expedited(ssp), -EDEADLK,
           "%s: synchronize_expedited inside the outer of two nested sections", f->name);
    run->unlock(ssp, outer);
    TAP_EQ(s4j_srcu_synchronize(ssp), 0, "%s: synchronize once the sections are left", f->name);

    /* down_read/up_read work on every flavor, across threads, untracked. */
    int32_t idx = s4j_srcu_down_read(ssp);
    TAP_OK(idx >= 0, "%s: down_read", f->name);
    TAP_EQ(s4j_srcu_readers_active(ssp), 1, "%s: down_read is counted", f->name);
    s4j_srcu_up_read(ssp, idx);
    TAP_EQ(s4j_srcu_readers_active(ssp), 0, "%s: up_read balances it", f->name);

    TAP_EQ(s4j_srcu_close(ssp), 0, "%s: close", f->name);
    s4j_srcu_free(ssp);
}

/* A section of one domain may wait for another domain's grace period. */
static void test_other_domain(void)
{
    struct s4j_srcu *a, *b;

    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &a);
    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &b);
    int32_t idx = s4j_srcu_read_lock(a);
    TAP_EQ(s4j_srcu_synchronize(b), 0, "synchronize of domain B inside a section of domain A");
    s4j_srcu_read_unlock(a, idx);
    s4j_srcu_close(a);
    s4j_srcu_close(b);
    s4j_srcu_free(a);
    s4j_srcu_free(b);

    /* A read_lock section ended with up_read in its own thread is still tracked. */
    struct s4j_srcu *c;
    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &c);
    int32_t tracked = s4j_srcu_read_lock(c);
    TAP_EQ(s4j_srcu_synchronize(c), -EDEADLK, "a read_lock section is tracked");
    s4j_srcu_up_read(c, tracked);
    TAP_EQ(s4j_srcu_synchronize(c), 0, "up_read of a read_lock index ends its tracking");
    s4j_srcu_close(c);
    s4j_srcu_free(c);
}

struct unlocker {
    struct s4j_srcu *ssp;
    int32_t idx;
    int32_t sync_rc;
};

static void *unlock_elsewhere(void *arg)
{
    struct unlocker *u = arg;

    s4j_srcu_read_unlock(u->ssp, u->idx);
    u->sync_rc = s4j_srcu_synchronize(u->ssp);
    return NULL;
}

/*
 * Misuse: a read_lock section ended by read_unlock in another thread. The entering thread keeps
 * a depth for the domain's tracking slot; that slot must never serve a later domain, or that
 * domain's synchronize would be refused in this thread.
 */
static void test_section_ended_elsewhere(void)
{
    struct unlocker u = { 0 };
    pthread_t t;

    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &u.ssp);
    u.idx = s4j_srcu_read_lock(u.ssp);
    pthread_create(&t, NULL, unlock_elsewhere, &u);
    pthread_join(t, NULL);
    TAP_EQ(s4j_srcu_readers_active(u.ssp), 0, "the section ended elsewhere is counted as ended");
    TAP_EQ(u.sync_rc, 0, "the thread that ended it is not inside a section");
    TAP_EQ(s4j_srcu_close(u.ssp), 0, "close");
    s4j_srcu_free(u.ssp);

    enum { N = 70 };         /* more domains than tracking slots */
    struct s4j_srcu *later[N];
    int refused = 0;
    for (int i = 0; i < N; i++) {
        s4j_srcu_create(S4J_FLAVOR_FAST, &later[i]);
        if (s4j_srcu_synchronize(later[i]) != 0)
            refused++;
    }
    TAP_EQ(refused, 0, "no later domain inherits the stale depth");
    int32_t idx = s4j_srcu_read_lock_fast(later[0]);
    TAP_EQ(s4j_srcu_synchronize(later[0]), -EDEADLK, "later domains are still tracked");
    s4j_srcu_read_unlock_fast(later[0], idx);
    for (int i = 0; i < N; i++) {
        s4j_srcu_close(later[i]);
        s4j_srcu_free(later[i]);
    }
}

static void test_polled(void)
{
    struct s4j_srcu *ssp;
    const struct flavor *classic = &flavors[0];

    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &ssp);
    uint64_t passive = s4j_srcu_get_state(ssp);
    sleep_ms(20);
    TAP_EQ(s4j_srcu_poll_state(ssp, passive), 0, "get_state alone starts no grace period");
    s4j_srcu_synchronize(ssp);
    TAP_EQ(s4j_srcu_poll_state(ssp, passive), 1, "a later synchronize completes its cookie");

    struct holder h = { ssp, classic, 0, 0 };
    pthread_t t;
    start_holder(&h, &t);
    uint64_t cookie = s4j_srcu_start_poll(ssp);
    sleep_ms(20);
    TAP_EQ(s4j_srcu_poll_state(ssp, cookie), 0, "start_poll's cookie waits for the reader");
    pthread_join(t, NULL);
    int done = 0;
    for (int i = 0; i < 2000 && !done; i++) {
        done = s4j_srcu_poll_state(ssp, cookie);
        if (!done)
            sleep_ms(1);
    }
    TAP_OK(done && __atomic_load_n(&h.left, __ATOMIC_RELAXED),
           "start_poll's grace period is run by the worker once the reader left");
    TAP_EQ(s4j_srcu_poll_state(ssp, cookie - 2), 1, "an older cookie is complete too");
    TAP_EQ(s4j_srcu_poll_state(ssp, s4j_srcu_get_state(ssp)), 0, "a fresh cookie is not");
    s4j_srcu_close(ssp);
    s4j_srcu_free(ssp);
}

/* Signal handlers enter and leave signal-safe sections while the thread they interrupt is
 * inside sections of its own; the counts must balance exactly. */
static struct s4j_srcu *signal_ssp;
static volatile sig_atomic_t handled;

static void on_signal(int sig)
{
    int32_t idx = s4j_srcu_read_lock_signal_safe(signal_ssp);
    s4j_srcu_read_unlock_signal_safe(signal_ssp, idx);
    handled++;
}

struct signal_target {
    int stop;
    long sections;
    int32_t sync_rc;
};

static void *signal_reader(void *arg)
{
    struct signal_target *t = arg;

    while (!__atomic_load_n(&t->stop, __ATOMIC_RELAXED)) {
        int32_t idx = s4j_srcu_read_lock_signal_safe(signal_ssp);
        s4j_srcu_read_unlock_signal_safe(signal_ssp, idx);
        t->sections++;
    }
    /* Handlers entered and left tracked sections between the halves of the thread's own
     * depth updates: the depth must be back at zero. */
    t->sync_rc = s4j_srcu_synchronize(signal_ssp);
    return NULL;
}

static void test_signal_safe_in_handlers(void)
{
    struct signal_target target = { 0 };
    struct sigaction sa = { .sa_handler = on_signal };
    pthread_t reader;

    s4j_srcu_create(S4J_FLAVOR_SIGNAL_SAFE, &signal_ssp);
    sigaction(SIGUSR1, &sa, NULL);
    pthread_create(&reader, NULL, signal_reader, &target);
    for (int i = 0; i < 20000; i++) {
        pthread_kill(reader, SIGUSR1);
        if (i % 64 == 0)
            sched_yield();
    }
    sleep_ms(20);
    __atomic_store_n(&target.stop, 1, __ATOMIC_RELAXED);
    pthread_join(reader, NULL);
    printf("# %ld sections in the thread, %d in its signal handlers\n", target.sections,
           (int)handled);
    TAP_OK(handled > 0, "signal handlers ran read sections");
    TAP_EQ(s4j_srcu_readers_active(signal_ssp), 0,
           "sections in handlers and in the interrupted thread balance exactly");
    TAP_EQ(s4j_srcu_synchronize(signal_ssp), 0, "synchronize returns afterwards");
    TAP_EQ(target.sync_rc, 0, "the interrupted thread's tracked depth is back at zero");
    s4j_srcu_close(signal_ssp);
    s4j_srcu_free(signal_ssp);
}

int main(void)
{
    for (size_t i = 0; i < sizeof(flavors) / sizeof(flavors[0]); i++)
        test_flavor(&flavors[i]);
    test_other_domain();
    test_section_ended_elsewhere();
    test_polled();
    test_signal_safe_in_handlers();
    return tap_done();
}
