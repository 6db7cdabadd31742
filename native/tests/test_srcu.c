// SPDX-License-Identifier: Apache-2.0
/* SRCU domains: read sections, grace periods, close and free. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "srcu4j/srcu4j.h"
#include "tap.h"

/* A reader that enters, tells the main thread, stays a while, records that it left, leaves. */
struct reader {
    struct s4j_srcu *ssp;
    int entered;
    int left;
};

static void *reader_main(void *arg)
{
    struct reader *r = arg;
    int idx = s4j_srcu_read_lock(r->ssp);

    __atomic_store_n(&r->entered, 1, __ATOMIC_RELEASE);
    sleep_ms(100);
    __atomic_store_n(&r->left, 1, __ATOMIC_RELAXED);
    s4j_srcu_read_unlock(r->ssp, idx);
    return NULL;
}

static void test_synchronize_waits_for_reader(void)
{
    struct s4j_srcu *ssp;
    struct reader r = { 0 };
    pthread_t t;

    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &ssp);
    r.ssp = ssp;
    pthread_create(&t, NULL, reader_main, &r);
    while (!__atomic_load_n(&r.entered, __ATOMIC_ACQUIRE))
        sched_yield();
    TAP_EQ(s4j_srcu_readers_active(ssp), 1, "one reader is inside");
    TAP_EQ(s4j_srcu_synchronize(ssp), 0, "synchronize");
    /* [C]/[G]: the reader's store before its unlock is visible once synchronize returns.
     * (litmus: A-C.mp, G-C) */
    TAP_OK(__atomic_load_n(&r.left, __ATOMIC_RELAXED) == 1,
           "synchronize returned only after the pre-existing reader left");
    pthread_join(t, NULL);
    TAP_EQ(s4j_srcu_readers_active(ssp), 0, "no reader is inside");
    s4j_srcu_close(ssp);
    s4j_srcu_free(ssp);
}

/* Enter in one thread, leave in another: the kernel's srcu_down_read/srcu_up_read. */
struct handoff {
    struct s4j_srcu *ssp;
    int idx;
    int released;
};

static void *release_later(void *arg)
{
    struct handoff *h = arg;

    sleep_ms(80);
    __atomic_store_n(&h->released, 1, __ATOMIC_RELAXED);
    s4j_srcu_up_read(h->ssp, h->idx);
    return NULL;
}

static void test_cross_thread_release(void)
{
    struct s4j_srcu *ssp;
    struct handoff h = { 0 };
    pthread_t t;

    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &ssp);
    h.ssp = ssp;
    h.idx = s4j_srcu_down_read(ssp);
    pthread_create(&t, NULL, release_later, &h);
    s4j_srcu_synchronize(ssp);
    TAP_OK(__atomic_load_n(&h.released, __ATOMIC_RELAXED) == 1,
           "a section entered here and left in another thread is waited for");
    pthread_join(t, NULL);
    TAP_EQ(s4j_srcu_readers_active(ssp), 0, "counts balance across threads");
    s4j_srcu_close(ssp);
    s4j_srcu_free(ssp);
}

static void test_cross_cpu_release(void)
{
    struct s4j_capabilities caps;
    struct s4j_srcu *ssp;

    s4j_capabilities_get(&caps);
    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &ssp);
    int idx[64];
    int n = 0, pins = 0;
    /* Enter on each CPU in turn, leave in the reverse order on other CPUs. */
    for (int cpu = 0; cpu < caps.possible_cpus && n < 64; cpu++) {
        if (s4j_pin_current_thread(cpu) == 0) {
            pins++;
            idx[n++] = s4j_srcu_read_lock(ssp);
        }
    }
    TAP_EQ(s4j_srcu_readers_active(ssp), n, "nested sections on %d CPUs are all counted", pins);
    for (int cpu = 0, i = n - 1; i >= 0; cpu++) {
        if (s4j_pin_current_thread(cpu % caps.possible_cpus) == 0)
            s4j_srcu_read_unlock(ssp, idx[i--]);
    }
    s4j_unpin_current_thread();
    TAP_EQ(s4j_srcu_readers_active(ssp), 0, "sections left on other CPUs balance");
    s4j_srcu_close(ssp);
    s4j_srcu_free(ssp);
}

/*
 * Readers dereference a published object and check it is alive while an updater replaces it,
 * waits for a grace period and poisons the old one: a reader that sees poison has seen the
 * grace period end early.
 */
#define ALIVE 0x5a5a5a5aU
#define POISON 0xdeadbeefU

struct object {
    uint32_t magic;
    uint64_t generation;
};

struct stress {
    struct s4j_srcu *ssp;
    struct object *current;
    int stop;
    long reads;
    long violations;
};

static void *stress_reader(void *arg)
{
    struct stress *s = arg;
    long reads = 0, bad = 0;

    while (!__atomic_load_n(&s->stop, __ATOMIC_RELAXED)) {
        int idx = s4j_srcu_read_lock(s->ssp);
        /* Acquire: pairs with the updater's release publication of the object. */
        struct object *o = __atomic_load_n(&s->current, __ATOMIC_ACQUIRE);
        for (int i = 0; i < 4; i++)
            if (__atomic_load_n(&o->magic, __ATOMIC_RELAXED) != ALIVE)
                bad++;
        s4j_srcu_read_unlock(s->ssp, idx);
        reads++;
    }
    __atomic_fetch_add(&s->reads, reads, __ATOMIC_RELAXED);
    __atomic_fetch_add(&s->violations, bad, __ATOMIC_RELAXED);
    return NULL;
}

static void test_readers_never_see_poison(void)
{
    struct stress s = { 0 };
    pthread_t readers[3];
    struct object *graveyard[64] = { 0 };
    long gps = 0;

    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &s.ssp);
    s.current = calloc(1, sizeof(struct object));
    s.current->magic = ALIVE;
    for (int i = 0; i < 3; i++)
        pthread_create(&readers[i], NULL, stress_reader, &s);
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    do {
        struct object *fresh = calloc(1, sizeof(*fresh));
        fresh->magic = ALIVE;
        fresh->generation = (uint64_t)gps + 1;
        /* Release: the new object's fields before its address. */
        struct object *old = __atomic_exchange_n(&s.current, fresh, __ATOMIC_RELEASE);
        s4j_srcu_synchronize(s.ssp);
        old->magic = POISON;
        /* Keep poisoned objects a while so a late reader reads poison, not freed memory. */
        free(graveyard[gps % 64]);
        graveyard[gps % 64] = old;
        gps++;
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 < 1000);
    __atomic_store_n(&s.stop, 1, __ATOMIC_RELAXED);
    for (int i = 0; i < 3; i++)
        pthread_join(readers[i], NULL);
    printf("# %ld read sections, %ld grace periods\n", s.reads, gps);
    TAP_OK(s.reads > 0 && gps > 0, "readers and updater both made progress");
    TAP_EQ(s.violations, 0, "no reader saw a poisoned object");
    for (int i = 0; i < 64; i++)
        free(graveyard[i]);
    free(s.current);
    s4j_srcu_close(s.ssp);
    s4j_srcu_free(s.ssp);
}

/* Several threads call synchronize at once, sharing grace periods; none may return while a
 * reader that entered before it is inside. */
struct sync_callers {
    struct s4j_srcu *ssp;
    int done;
};

static void *sync_caller(void *arg)
{
    struct sync_callers *c = arg;

    for (int i = 0; i < 200; i++) {
        s4j_srcu_synchronize(c->ssp);
        __atomic_fetch_add(&c->done, 1, __ATOMIC_RELAXED);
    }
    return NULL;
}

static void test_concurrent_synchronize(void)
{
    struct sync_callers c = { 0 };
    pthread_t t[4];

    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &c.ssp);
    int idx = s4j_srcu_read_lock(c.ssp);
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, sync_caller, &c);
    sleep_ms(50);
    TAP_EQ(__atomic_load_n(&c.done, __ATOMIC_RELAXED), 0,
           "no concurrent synchronize returns while an earlier reader is inside");
    s4j_srcu_read_unlock(c.ssp, idx);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    TAP_EQ(c.done, 800, "all 800 concurrent synchronize calls returned");
    s4j_srcu_close(c.ssp);
    s4j_srcu_free(c.ssp);
}

static void test_lifecycle(void)
{
    struct s4j_srcu *ssp = NULL;

    TAP_EQ(s4j_srcu_create(S4J_FLAVOR_CLASSIC, NULL), -EINVAL, "create with a null out");
    TAP_EQ(s4j_srcu_create(99, &ssp), -EINVAL, "create with an unknown flavor");
    TAP_EQ(s4j_srcu_create(S4J_FLAVOR_CLASSIC, &ssp), 0, "create");
    int idx = s4j_srcu_read_lock(ssp);
    TAP_EQ(s4j_srcu_close(ssp), -EBUSY, "close with a reader inside is refused");
    TAP_EQ(s4j_srcu_free(ssp), -EBUSY, "free of an open domain is refused");
    s4j_srcu_read_unlock(ssp, idx);
    TAP_EQ(s4j_srcu_close(ssp), 0, "close once the reader left");
    TAP_EQ(s4j_srcu_close(ssp), -EALREADY, "second close");
    idx = s4j_srcu_read_lock(ssp);
    s4j_srcu_read_unlock(ssp, idx);
    TAP_EQ(s4j_srcu_synchronize(ssp), 0, "a closed domain's counters and grace periods still work");
    TAP_EQ(s4j_srcu_free(ssp), 0, "free");
}

int main(void)
{
    test_lifecycle();
    test_synchronize_waits_for_reader();
    test_cross_thread_release();
    test_cross_cpu_release();
    test_concurrent_synchronize();
    test_readers_never_see_poison();
    return tap_done();
}
