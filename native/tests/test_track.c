// SPDX-License-Identifier: Apache-2.0
/*
 * Fast readers count on their thread's words (srcu4j/static/track.h, src/track.c): a fast pair
 * writes no per-CPU counter; grace periods and close still see every section, in a thread that
 * exits inside one, in many threads that come and go, on domains that share the sink, in signal
 * handlers that interrupt a thread's registration, after a thread's destructors ran; a section ended in another
 * thread balances and keeps its slot from later domains.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>

#include "srcu4j/inline.h"
#include "fast_holder.h"
#include "srcu_internal.h"
#include "tap.h"

/* Lock counts of both sets over every per-CPU slot, the shared one included. */
static uint64_t percpu_locks(struct s4j_srcu *ssp)
{
    return s4j_percpu_sum((char *)&ssp->r.percpu[0].lock_count[0], ssp->r.ncpus) +
           s4j_percpu_sum((char *)&ssp->r.percpu[0].lock_count[1], ssp->r.ncpus);
}

static int is_fast(struct s4j_srcu *ssp)
{
    return s4j_srcu_flavor(ssp) == S4J_FLAVOR_FAST;
}

/* A synchronize in a thread of its own, so a test can see whether it waits. */
struct waiter {
    struct s4j_srcu *ssp;
    int done;
    pthread_t t;
};

static void *wait_gp(void *arg)
{
    struct waiter *w = arg;

    s4j_srcu_synchronize(w->ssp);
    /* Release: pairs with waiter_done()'s acquire; the grace period ended before it reads 1. */
    __atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
    return NULL;
}

static void waiter_start(struct waiter *w, struct s4j_srcu *ssp)
{
    w->ssp = ssp;
    w->done = 0;
    pthread_create(&w->t, NULL, wait_gp, w);
}

static int waiter_done(struct waiter *w)
{
    /* Acquire: pairs with wait_gp()'s release. */
    return __atomic_load_n(&w->done, __ATOMIC_ACQUIRE);
}

static void test_pair_writes_no_percpu(struct s4j_srcu *ssp)
{
    int32_t idx = s4j_inline_read_lock_fast(ssp);
    int32_t idx2 = s4j_srcu_read_lock_fast(ssp);

    TAP_EQ(percpu_locks(ssp), 0, "fast locks write no per-CPU counter");
    TAP_EQ(s4j_srcu_readers_active(ssp), 2, "and both are counted");
    TAP_EQ(s4j_srcu_synchronize(ssp), -EDEADLK, "synchronize inside the sections is refused");
    s4j_srcu_read_unlock_fast(ssp, idx2);
    TAP_EQ(s4j_srcu_synchronize_expedited(ssp), -EDEADLK, "and inside the outer one");
    s4j_inline_read_unlock_fast(ssp, idx);
    TAP_EQ(s4j_srcu_readers_active(ssp), 0, "the unlocks balance them");
    TAP_EQ(s4j_srcu_synchronize(ssp), 0, "synchronize after them returns");
    TAP_EQ(percpu_locks(ssp), 0, "still no per-CPU lock count");
}

/* A thread that locks, hands its index over and exits inside the section. */
struct exiter {
    struct s4j_srcu *ssp;
    int32_t idx;
};

static void *lock_and_exit(void *arg)
{
    struct exiter *e = arg;

    e->idx = s4j_inline_read_lock_fast(e->ssp);
    return NULL;
}

static void test_exit_inside(struct s4j_srcu *ssp)
{
    struct exiter e = { ssp, -1 };
    struct waiter w;
    pthread_t t;

    pthread_create(&t, NULL, lock_and_exit, &e);
    pthread_join(t, NULL);
    TAP_EQ(s4j_srcu_readers_active(ssp), 1, "a thread that exited inside a section: still counted");
    TAP_EQ(ssp->track_folded[0] + ssp->track_folded[1], 1, "its word folded into the domain");
    waiter_start(&w, ssp);
    sleep_ms(50);
    TAP_EQ(waiter_done(&w), 0, "a grace period waits for the section");
    TAP_EQ(s4j_srcu_close(ssp), -EBUSY, "close refuses while it is open");
    s4j_srcu_read_unlock_fast(ssp, e.idx);
    pthread_join(w.t, NULL);
    TAP_EQ(waiter_done(&w), 1, "the unlock in another thread ends it");
    TAP_EQ(s4j_srcu_readers_active(ssp), 0, "and balances the counts");
    TAP_EQ(s4j_srcu_synchronize(ssp), 0, "the unlocking thread is not inside a section");
}

/* Misuse: a fast section ended by another thread, registered or not. */
struct unlocker {
    struct s4j_srcu *ssp;
    int32_t idx;
    int registered_first;
    int32_t sync_rc;
};

static void *unlock_elsewhere(void *arg)
{
    struct unlocker *u = arg;

    if (u->registered_first)
        s4j_srcu_read_unlock_fast(u->ssp, s4j_srcu_read_lock_fast(u->ssp));
    s4j_srcu_read_unlock_fast(u->ssp, u->idx);
    u->sync_rc = s4j_srcu_synchronize(u->ssp);
    return NULL;
}

static void test_unbalanced(int registered_first)
{
    struct unlocker u = { .registered_first = registered_first };
    pthread_t t;

    s4j_srcu_create(S4J_FLAVOR_FAST, &u.ssp);
    u.idx = s4j_srcu_read_lock_fast(u.ssp);
    pthread_create(&t, NULL, unlock_elsewhere, &u);
    pthread_join(t, NULL);
    TAP_EQ(s4j_srcu_readers_active(u.ssp), 0, "a fast section ended in another thread (%s): ended",
           registered_first ? "registered" : "not registered");
    TAP_EQ(u.ssp->track_handoffs[0] + u.ssp->track_handoffs[1], 1, "its unlock is a hand-off");
    /* In another thread: the entering one still counts the section as its own (-EDEADLK). */
    struct waiter w;
    for (int i = 0; i < 3; i++) {
        waiter_start(&w, u.ssp);
        pthread_join(w.t, NULL);
    }
    TAP_EQ(waiter_done(&w), 1, "grace periods balance it, the quiet ones too");
    TAP_EQ(u.sync_rc, 0, "the ending thread is not inside");
    TAP_EQ(s4j_srcu_close(u.ssp), 0, "close");
    s4j_srcu_free(u.ssp);

    enum { N = 70 };         /* more domains than rows */
    struct s4j_srcu *later[N];
    int refused = 0;
    for (int i = 0; i < N; i++) {
        s4j_srcu_create(S4J_FLAVOR_FAST, &later[i]);
        if (s4j_srcu_synchronize(later[i]) != 0)
            refused++;
    }
    TAP_EQ(refused, 0, "no later domain inherits the entering thread's word");
    for (int i = 0; i < N; i++) {
        s4j_srcu_close(later[i]);
        s4j_srcu_free(later[i]);
    }
}

/* Domains beyond the rows share the sink and count per CPU. */
static void test_sink(void)
{
    enum { N = 70 };
    struct s4j_srcu *d[N];

    for (int i = 0; i < N; i++)
        s4j_srcu_create(S4J_FLAVOR_FAST, &d[i]);
    struct s4j_srcu *sink = d[N - 1];
    TAP_EQ(sink->track_slot, S4J_TRACK_SINK, "the last of %d domains shares the sink", N);
    struct fast_holder h;
    struct waiter w;
    fast_holder_start(&h, sink);
    TAP_EQ(percpu_locks(sink), 1, "a sink domain's fast lock counts per CPU");
    TAP_EQ(s4j_srcu_readers_active(sink), 1, "and is counted once");
    TAP_EQ(s4j_srcu_readers_active(d[N - 2]), 0, "not on another sink domain");
    waiter_start(&w, sink);
    sleep_ms(50);
    TAP_EQ(waiter_done(&w), 0, "a grace period waits for it");
    fast_holder_end(&h);
    pthread_join(w.t, NULL);
    TAP_EQ(s4j_srcu_readers_active(sink), 0, "its unlock balances it");
    for (int i = 0; i < N; i++) {
        s4j_srcu_close(d[i]);
        s4j_srcu_free(d[i]);
    }
}

/*
 * Many threads, each short-lived: the registry grows and shrinks while an updater replaces
 * and poisons what readers read.
 */
enum { ALIVE = 0x600d, POISON = 0xdead };

struct object {
    int magic;
};

struct churn {
    struct s4j_srcu *ssp;
    struct object *current;
    int stop;
    long sections, bad, threads;
};

static void *short_reader(void *arg)
{
    struct churn *c = arg;
    long bad = 0;

    for (int i = 0; i < 2000; i++) {
        int32_t idx = s4j_inline_read_lock_fast(c->ssp);
        /* Acquire: pairs with the updater's release exchange; the object's field is read after. */
        struct object *o = __atomic_load_n(&c->current, __ATOMIC_ACQUIRE);
        if (__atomic_load_n(&o->magic, __ATOMIC_RELAXED) != ALIVE)
            bad++;
        s4j_inline_read_unlock_fast(c->ssp, idx);
    }
    __atomic_fetch_add(&c->sections, 2000, __ATOMIC_RELAXED);
    __atomic_fetch_add(&c->bad, bad, __ATOMIC_RELAXED);
    return NULL;
}

static void *spawner(void *arg)
{
    struct churn *c = arg;

    while (!__atomic_load_n(&c->stop, __ATOMIC_RELAXED)) {
        pthread_t t[16];
        for (int i = 0; i < 16; i++)
            pthread_create(&t[i], NULL, short_reader, c);
        for (int i = 0; i < 16; i++)
            pthread_join(t[i], NULL);
        __atomic_fetch_add(&c->threads, 16, __ATOMIC_RELAXED);
    }
    return NULL;
}

static void test_churn(void)
{
    struct churn c = { 0 };
    struct object *graveyard[64] = { 0 };
    pthread_t sp[2];
    long gps = 0;

    s4j_srcu_create(S4J_FLAVOR_FAST, &c.ssp);
    c.current = calloc(1, sizeof(struct object));
    c.current->magic = ALIVE;
    for (int i = 0; i < 2; i++)
        pthread_create(&sp[i], NULL, spawner, &c);
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    do {
        struct object *fresh = calloc(1, sizeof(*fresh));
        fresh->magic = ALIVE;
        /* Release: the new object's field before its address. */
        struct object *old = __atomic_exchange_n(&c.current, fresh, __ATOMIC_RELEASE);
        s4j_srcu_synchronize(c.ssp);
        __atomic_store_n(&old->magic, POISON, __ATOMIC_RELAXED);
        free(graveyard[gps % 64]);
        graveyard[gps % 64] = old;
        gps++;
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 < 1500);
    __atomic_store_n(&c.stop, 1, __ATOMIC_RELAXED);
    for (int i = 0; i < 2; i++)
        pthread_join(sp[i], NULL);
    printf("# %ld threads, %ld sections, %ld grace periods\n", c.threads, c.sections, gps);
    TAP_OK(c.threads > 0 && gps > 0, "threads came and went while grace periods ran");
    TAP_EQ(c.bad, 0, "no reader saw a poisoned object");
    TAP_EQ(s4j_srcu_readers_active(c.ssp), 0, "every exited thread's sections balance");
    TAP_EQ(percpu_locks(c.ssp), 0, "and none was folded: they all ended");
    for (int i = 0; i < 64; i++)
        free(graveyard[i]);
    free(c.current);
    s4j_srcu_close(c.ssp);
    s4j_srcu_free(c.ssp);
}

/*
 * Signal handlers run fast sections while their thread registers (its first lock), runs its own
 * sections, and exits: a handler that interrupts the registry's mutex counts per CPU, the
 * others on the words; all must balance.
 */
static struct s4j_srcu *signal_ssp;
static long handled;

static void on_signal(int sig)
{
    (void)sig;
    int32_t idx = s4j_inline_read_lock_fast(signal_ssp);
    s4j_inline_read_unlock_fast(signal_ssp, idx);
    __atomic_fetch_add(&handled, 1, __ATOMIC_RELAXED);
}

static void *first_locks(void *arg)
{
    int *stop = arg;

    while (!__atomic_load_n(stop, __ATOMIC_RELAXED)) {
        int32_t idx = s4j_inline_read_lock_fast(signal_ssp);
        s4j_inline_read_unlock_fast(signal_ssp, idx);
    }
    return NULL;
}

static void test_signals(void)
{
    struct sigaction sa = { .sa_handler = on_signal };
    int stop;
    int sync_inside = 0;

    s4j_srcu_create(S4J_FLAVOR_FAST, &signal_ssp);
    sigaction(SIGUSR1, &sa, NULL);
    for (int round = 0; round < 200; round++) {
        pthread_t t;
        stop = 0;
        pthread_create(&t, NULL, first_locks, &stop);
        for (int i = 0; i < 50; i++)
            pthread_kill(t, SIGUSR1);
        __atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
        for (int i = 0; i < 5; i++)
            pthread_kill(t, SIGUSR1);
        pthread_join(t, NULL);
        if (s4j_srcu_readers_active(signal_ssp) != 0)
            sync_inside++;
    }
    printf("# %ld sections in signal handlers\n", handled);
    TAP_OK(handled > 0, "handlers ran fast sections");
    TAP_EQ(sync_inside, 0, "after each thread, the counts balance");
    TAP_EQ(s4j_srcu_synchronize(signal_ssp), 0, "synchronize returns");
    s4j_srcu_close(signal_ssp);
    s4j_srcu_free(signal_ssp);
}

/*
 * A destructor of a later key that runs fast sections in every round of glibc's destructor
 * loop, after the registry's own destructor took the thread off the list: the thread must not
 * join again (nothing would take it off before its memory is reused by the next thread).
 */
static pthread_key_t late_key;
static struct s4j_srcu *late_ssp;

static void late_destructor(void *value)
{
    int32_t idx = s4j_srcu_read_lock_fast(late_ssp);
    s4j_srcu_read_unlock_fast(late_ssp, idx);
    pthread_setspecific(late_key, value);    /* again: glibc runs the loop's every round */
}

static void *late_reader(void *arg)
{
    (void)arg;
    s4j_srcu_read_unlock_fast(late_ssp, s4j_srcu_read_lock_fast(late_ssp));
    pthread_setspecific(late_key, &late_key);
    return NULL;
}

static void test_late_destructor(void)
{
    s4j_srcu_create(S4J_FLAVOR_FAST, &late_ssp);
    /* Created after the library's key (at the first domain): its destructor runs after ours. */
    pthread_key_create(&late_key, late_destructor);
    for (int i = 0; i < 20; i++) {
        pthread_t t;
        pthread_create(&t, NULL, late_reader, NULL);
        pthread_join(t, NULL);
    }
    TAP_EQ(s4j_srcu_readers_active(late_ssp), 0, "sections in late destructors balance");
    TAP_EQ(s4j_srcu_synchronize(late_ssp), 0, "and threads that reuse their memory register anew");
    pthread_key_delete(late_key);
    s4j_srcu_close(late_ssp);
    s4j_srcu_free(late_ssp);
}

int main(void)
{
    struct s4j_srcu *ssp;

    tap_watchdog(120, "test_track");
    s4j_srcu_create(S4J_FLAVOR_FAST, &ssp);
    if (!is_fast(ssp)) {
        TAP_SKIP("no membarrier: fast domains are created classic here");
        return tap_done();
    }
    test_pair_writes_no_percpu(ssp);
    test_exit_inside(ssp);
    s4j_srcu_close(ssp);
    s4j_srcu_free(ssp);
    test_unbalanced(0);
    test_unbalanced(1);
    test_sink();
    test_late_destructor();
    test_churn();
    test_signals();
    return tap_done();
}
