// SPDX-License-Identifier: Apache-2.0
/*
 * Per-thread words, the updater's half (srcu4j/static/track.h has the reader's half and the
 * rules): which domain owns which row of the table, the registry of threads whose words a
 * grace period's scan reads, and the checks synchronize makes.
 *
 * The registry is a list of the registered threads' nodes (initial-exec TLS, like the words, so
 * that a signal handler never allocates to reach them), under one mutex. A thread joins at its
 * first lock of a domain with a row of its own (the lock's add turned negative, track.h), and
 * leaves when it exits (a pthread key's destructor), folding any count word still above zero
 * into its domain's track_folded; fork()'s child keeps only the
 * forking thread, the others' sections cannot end there, nor run. A scan adds the registered threads'
 * words to the per-CPU lock sums under the mutex, so a fold is either in the words it reads or
 * in the per-CPU slot it reads, never in both or neither.
 *
 * A signal handler that finds the thread not registered registers it unless the thread is
 * between a lock and an unlock of the mutex itself (self.busy): then the handler's section is
 * counted per CPU instead, which its unlock (the word still biased) also does. Once the
 * destructor ran (self.exited), the thread never joins again: a later destructor's or handler's
 * section counts per CPU. Not covered: a thread that never joined, whose first fast section
 * runs in a signal handler after glibc ran its destructors; it would stay on the list.
 */
#include <pthread.h>
#include <stdint.h>

#include "srcu4j/static/srcu.h"
#include "srcu4j/static/track.h"
#include "srcu_internal.h"
#include "glibc_versions.h"

#define S4J_TRACK_ROW_BIAS { S4J_TRACK_BIAS, S4J_TRACK_BIAS }

S4J_EXPORT __thread int32_t srcu4j_static_track[S4J_TRACK_SLOTS][2]
    __attribute__((tls_model("initial-exec"))) = {
    [0 ... S4J_TRACK_SINK_NET] = S4J_TRACK_ROW_BIAS,
    [S4J_TRACK_SINK] = { 0, 0 },
};

struct track_thread {
    struct track_thread *next, *prev;    /* in the registry while registered, under its mutex */
    int32_t (*words)[2];                 /* the thread's srcu4j_static_track */
    int32_t registered;
    int32_t busy;                        /* the thread is inside the registry's mutex */
    int32_t exited;                      /* the destructor ran: the thread never joins again */
};

static __thread struct track_thread self __attribute__((tls_model("initial-exec")));

static pthread_mutex_t registry_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct track_thread registry = { &registry, &registry, NULL, 0, 0, 0 };
static pthread_key_t exit_key;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

/* Under the mutex. Bit i: row i belongs to a live domain, or holds a stale count in some thread.
 * domains[i]: the fast domain whose counts row i holds (the fold's target), or NULL. */
static uint64_t slots_taken;
static struct s4j_srcu *domains[S4J_TRACK_CLAIMABLE];

void s4j_track_lock(void)
{
    self.busy++;
    s4j_barrier();    /* busy is set while the mutex is held, as a handler sees it */
    pthread_mutex_lock(&registry_mutex);
}

void s4j_track_unlock(void)
{
    pthread_mutex_unlock(&registry_mutex);
    s4j_barrier();    /* busy is set while the mutex is held, as a handler sees it */
    self.busy--;
}

static intptr_t row_offset(uint32_t row)
{
    /* The same in every thread: initial-exec TLS lies at a fixed distance from the thread
     * pointer. */
    return (char *)&srcu4j_static_track[row] - (char *)__builtin_thread_pointer();
}

/* Adds v to every word of the rows domains own, each with one update a handler sees whole. */
static void shift_rows(int32_t v)
{
    for (uint32_t row = 0; row < S4J_TRACK_CLAIMABLE; row++) {
        s4j_tls_word_add(row_offset(row), 0, v);
        s4j_tls_word_add(row_offset(row), 1, v);
    }
}

/* Under the mutex: thread t's count words above zero go to their domains' folded counts. */
static void fold(const struct track_thread *t)
{
    for (uint32_t row = 0; row < S4J_TRACK_CLAIMABLE; row++) {
        struct s4j_srcu *ssp = domains[row];
        if (!ssp)
            continue;
        for (uint32_t idx = 0; idx < 2; idx++) {
            int32_t w = __atomic_load_n(&t->words[row][idx], __ATOMIC_RELAXED);
            /* The scans read it under the mutex, as they read the words. */
            if (w > 0)
                ssp->track_folded[idx] += (uint64_t)w;
        }
    }
}

static void unlink_thread(struct track_thread *t)
{
    t->prev->next = t->next;
    t->next->prev = t->prev;
    t->next = t->prev = t;
}

static void thread_exit(void *arg)
{
    (void)arg;
    /* Set first: a later destructor, or a signal handler, that locks after this one ran would
     * otherwise register the thread again, and nothing would take it off the list before its
     * memory is gone. Its sections count per CPU instead. */
    self.exited = 1;
    if (!self.registered)
        return;
    s4j_track_lock();
    fold(&self);
    unlink_thread(&self);
    self.registered = 0;
    shift_rows(S4J_TRACK_BIAS);
    s4j_track_unlock();
}

static void fork_prepare(void)
{
    s4j_track_lock();
}

static void fork_parent(void)
{
    s4j_track_unlock();
}

/* The other threads do not exist here, and their thread-local memory does not either (glibc
 * hands it out again): their sections cannot run in this process, and their words leave the
 * registry uncounted. */
static void fork_child(void)
{
    pthread_mutex_init(&registry_mutex, NULL);
    self.busy--;
    registry.next = registry.prev = &registry;
    if (self.registered) {
        self.next = self.prev = &registry;
        registry.next = registry.prev = &self;
    }
}

static void track_init(void)
{
    /* Without the key, threads never leave: a registry that only grows is still correct. */
    (void)pthread_key_create(&exit_key, thread_exit);
    (void)pthread_atfork(fork_prepare, fork_parent, fork_child);
}

void s4j_track_attach(struct s4j_srcu *ssp)
{
    const uint64_t usable = (1ull << S4J_TRACK_CLAIMABLE) - 1;
    uint32_t slot = S4J_TRACK_SINK;
    int fast = ssp->r.flavor == S4J_FLAVOR_FAST;

    pthread_once(&init_once, track_init);
    s4j_track_lock();
    if ((slots_taken & usable) != usable) {
        slot = (uint32_t)__builtin_ctzll(~slots_taken);
        slots_taken |= 1ull << slot;
        domains[slot] = fast ? ssp : NULL;
    }
    s4j_track_unlock();
    ssp->track_slot = slot;
    if (fast) {
        ssp->r.net_offset = row_offset(slot == S4J_TRACK_SINK ? S4J_TRACK_SINK_NET : slot);
        ssp->r.track_offset = row_offset(S4J_TRACK_SINK_NET);
    } else {
        ssp->r.net_offset = row_offset(S4J_TRACK_SINK_NET);
        ssp->r.track_offset = row_offset(slot);
    }
}

void s4j_track_release(const struct s4j_srcu *ssp)
{
    if (ssp->track_slot == S4J_TRACK_SINK)
        return;
    s4j_track_lock();
    domains[ssp->track_slot] = NULL;
    /* A slot some thread may still hold a stale count in stays taken for good. The flag is
     * stored before the unlock that ended the section is counted, and that count is ordered
     * after it by the unlock's [C] (a full barrier on the unbalanced path of every flavor). The
     * close that let us free the domain saw the count in s4j_srcu_readers_active() and then
     * executed [A] (or [X]), so its later loads see the flag, and this load follows that close
     * through the release/acquire of DONE [T], or in program order: a relaxed load suffices.
     * (litmus: A-C.mp, X-Y.mp, T.handback) */
    if (!__atomic_load_n(&ssp->track_stale, __ATOMIC_RELAXED))
        slots_taken &= ~(1ull << ssp->track_slot);
    s4j_track_unlock();
}

int s4j_track_counts(const struct s4j_srcu *ssp)
{
    return ssp->r.flavor == S4J_FLAVOR_FAST && ssp->track_slot != S4J_TRACK_SINK;
}

uint64_t s4j_track_sum(const struct s4j_srcu *ssp, uint32_t idx)
{
    /* Loads single-copy atomic: each word's owner stores it whole. A word below zero is an
     * unbalanced unlock in progress (track.h): its section's lock, counted in the thread that
     * entered it, still covers it until the unlock is counted as a hand-off. */
    uint64_t sum = ssp->track_folded[idx];

    for (const struct track_thread *t = registry.next; t != &registry; t = t->next) {
        int32_t w = __atomic_load_n(&t->words[ssp->track_slot][idx], __ATOMIC_RELAXED);
        if (w > 0)
            sum += (uint64_t)w;
    }
    return sum;
}

int s4j_track_join(const struct s4j_srcu *ssp)
{
    if (ssp->track_slot == S4J_TRACK_SINK)
        return 0;
    if (self.registered)
        return 1;
    if (self.busy || self.exited)
        return 0;
    s4j_track_lock();
    shift_rows(-S4J_TRACK_BIAS);
    self.words = srcu4j_static_track;
    self.next = registry.next;
    self.prev = &registry;
    registry.next->prev = &self;
    registry.next = &self;
    self.registered = 1;
    s4j_track_unlock();
    /* Any non-NULL value: the destructor runs at the thread's exit. */
    (void)pthread_setspecific(exit_key, &self);
    return 1;
}

int s4j_track_inside(const struct s4j_srcu *ssp)
{
    if (ssp->track_slot == S4J_TRACK_SINK)
        return 0;
    const int32_t *w = srcu4j_static_track[ssp->track_slot];
    return w[0] + w[1] > 0;
}

void s4j_track_mark_stale(struct s4j_srcu *ssp)
{
    /* Ordered before the unlock's count by [C]: see s4j_track_release(). */
    if (ssp->track_slot != S4J_TRACK_SINK)
        __atomic_store_n(&ssp->track_stale, 1, __ATOMIC_RELAXED);
}
