// SPDX-License-Identifier: Apache-2.0
/*
 * The SRCU domain's layout, shared by srcu.c (counters, grace periods), callbacks.c (call_srcu
 * queues, barrier, close, polled grace periods) and pool.c (the ready queue's node). Internal. The
 * queue fields (tail, stub) are those of wfqueue.h.
 */
#ifndef S4J_SRCU_INTERNAL_H
#define S4J_SRCU_INTERNAL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "srcu4j/srcu4j.h"
#include "srcu4j/static/compiler.h"
#include "srcu4j/static/srcu.h"

/* enq_state, and each shard's enq: bit 0 = closed, the rest counts callers in flight (in steps
 * of 2) between their closed check and their push: s4j_call_srcu on its shard's word; start_poll,
 * barrier, and a worker that hands the domain back while it looks at it a last time, on
 * enq_state (callbacks.c). */
#define S4J_ENQ_CLOSED 1u
#define S4J_ENQ_CALLER 2u

/* sched_state: whether the shared pool has the domain (callbacks.c). */
enum s4j_sched_state {
    S4J_SCHED_UNUSED = 0,    /* never handed to the pool */
    S4J_SCHED_IDLE,          /* handed back: no work */
    S4J_SCHED_QUEUED,        /* in the ready queue, or held by one worker */
    S4J_SCHED_DONE           /* let go for good after close's drain (futex word for close) */
};

/* gp_phase: what the grace period in progress waits for (srcu.c, gp_step()). */
enum s4j_gp_phase {
    S4J_GP_IDLE = 0,         /* none runs: gp_seq is even */
    S4J_GP_SCAN_OLD,         /* the set new readers do not use to drain, before the flip */
    S4J_GP_SCAN_FLIPPED      /* the set new readers used until the flip to drain */
};

/*
 * One shard of a domain's callback queue (callbacks.c): the wait-free queue the callers whose
 * home it is push onto, and the count of those callers in flight, alone on its line: its callers
 * write it on every call, the worker that holds the domain once per batch (the take).
 */
struct s4j_cb_shard {
    struct s4j_srcu_head *tail;          /* last queued, or &stub */
    uint32_t enq;                        /* S4J_ENQ_CLOSED, and callers in flight in steps of 2 */
    struct s4j_srcu_head stub;           /* stub.next: first */
} __attribute__((aligned(S4J_CACHE_LINE)));

struct s4j_srcu {
    /* Read-mostly: every reader loads these; srcu_idx changes twice per grace period. Must
     * stay the first member (s4j_static_reader()). */
    struct s4j_srcu_reader r;

    /* Updater side: one grace period at a time. */
    pthread_mutex_t gp_mutex __attribute__((aligned(S4J_CACHE_LINE)));
    uint64_t gp_seq;                     /* odd while a grace period runs; +2 per grace period */
    uint32_t gp_phase;                   /* enum s4j_gp_phase; under gp_mutex */
    uint32_t fast_quiet[2];              /* fast domains, under gp_mutex, per counter set: the
                                          * last [X] found no reader of it inside (srcu.c, [V]) */
    uint32_t both_skips;                 /* under gp_mutex: expedited first scans left that do
                                          * not look at the set in use (srcu.c, gp_step()) */

    /* Callers: read on every s4j_call_srcu(); the worker writes sched_state twice per idle
     * period, callers only when they hand an idle domain over. */
    uint32_t sched_state __attribute__((aligned(S4J_CACHE_LINE))); /* enum s4j_sched_state;
                                                                    * futex word once DONE */
    uint32_t fork_generation;            /* the process's at create: the pool exists here */
    uint32_t nshards;                    /* possible CPUs */
    struct s4j_cb_shard *shards;         /* nshards queues, a caller's home shard each */

    /* Rare callers: barrier, start_poll and close, and the worker's hand-back. */
    uint32_t enq_state __attribute__((aligned(S4J_CACHE_LINE)));
    uint64_t gp_requested;               /* highest cookie start_poll asked the pool to reach */
    struct s4j_srcu_head *markers_tail;  /* barrier and close markers: last queued, or &stub */
    struct s4j_srcu_head markers_stub;

    /* Consumer: the worker that holds the domain (one at a time: sched_state QUEUED). */
    struct s4j_srcu_head *batch __attribute__((aligned(S4J_CACHE_LINE))); /* taken, waiting for
                                                                         * batch_cookie's grace
                                                                         * period */
    struct s4j_srcu_head *batch_last;
    struct s4j_srcu_head *markers;       /* taken with the batch, run after it */
    struct s4j_srcu_head *markers_last;
    uint64_t batch_cookie;
    uint32_t batch_ran;                  /* the last step ran a batch (the pause before the next) */
    struct s4j_srcu_head ready_node;     /* in the pool's ready queue while QUEUED (pool.c) */

    /* Lifecycle: written at create and close only. */
    uint32_t drained __attribute__((aligned(S4J_CACHE_LINE))); /* close's marker ran (futex word) */
    struct s4j_srcu_head close_marker;   /* queued behind every callback by close_start */
    uint32_t track_slot;                 /* row of the per-thread words, or S4J_TRACK_SINK */
    struct s4j_counter_chunk *counter_chunks; /* external readers' counters (counters.c) */
    uint32_t track_stale;                /* a section of this domain ended in another thread */
    /* Fast domains with a row (track.c): unlocks of sections entered in another thread, whose
     * lock that thread's word keeps (atomic adds, summed with the unlocks); open counts of
     * threads that exited (under the registry's mutex, summed with the words). */
    uint64_t track_handoffs[2];
    uint64_t track_folded[2];
};

/* True when grace-period sequence value seq has reached cookie (wrap-around safe). */
static inline int s4j_gp_seq_reached(uint64_t seq, uint64_t cookie)
{
    return (int64_t)(seq - cookie) >= 0;
}

/* srcu.c: the cookie of the first grace period that starts after the call ([F] inside), and one
 * non-blocking step towards it (s4j_srcu_get_state and s4j_srcu_advance, for the library). */
uint64_t s4j_gp_snapshot(struct s4j_srcu *ssp);
int s4j_gp_advance(struct s4j_srcu *ssp, uint64_t cookie);

/* track.c: gives a new domain its row (or a sink) and offsets; releases a freed domain's; the
 * registry's mutex (a scan's sums of a domain whose words count are made under it); whether a
 * domain's words count (a fast domain with a row of its own); the registered threads' words of
 * set idx and the exited threads' folded counts (under the mutex); registers the calling
 * thread, when the domain has a row and the thread may (1), or says its section is not tracked
 * (0); whether the calling thread is inside a tracked section; marks a slot stale. */
void s4j_track_attach(struct s4j_srcu *ssp);
void s4j_track_release(const struct s4j_srcu *ssp);
void s4j_track_lock(void);
void s4j_track_unlock(void);
int s4j_track_counts(const struct s4j_srcu *ssp);
uint64_t s4j_track_sum(const struct s4j_srcu *ssp, uint32_t idx);
int s4j_track_join(const struct s4j_srcu *ssp);
int s4j_track_inside(const struct s4j_srcu *ssp);
void s4j_track_mark_stale(struct s4j_srcu *ssp);

/* counters.c: external readers' counters, S4J_COUNTER_SETS per chunk of single claims (a block
 * is a chunk of its own). The sum of one counter (offset into struct s4j_srcu_counters) over
 * every set ever claimed; freeing them all. */
#define S4J_COUNTER_SETS 64
struct s4j_counter_chunk;
uint64_t s4j_counters_sum(struct s4j_srcu *ssp, size_t offset);
void s4j_counters_free(struct s4j_srcu *ssp);

/* callbacks.c: a new domain's queues (-ENOMEM), freeing them; close (close_start queues the drain; close_poll says 1 once
 * the pool let the domain go; close_wait waits for that; released tells free whether it did);
 * whether the calling thread runs the domain's callbacks; whether the pool that served it exists
 * in this process (not in a child of fork()); gp requests. */
int s4j_callbacks_init(struct s4j_srcu *ssp, uint32_t nshards);
void s4j_callbacks_free(struct s4j_srcu *ssp);
int s4j_callbacks_close_start(struct s4j_srcu *ssp);
int s4j_callbacks_close_poll(struct s4j_srcu *ssp);
void s4j_callbacks_close_wait(struct s4j_srcu *ssp);
int s4j_callbacks_released(struct s4j_srcu *ssp);
int s4j_callbacks_on_worker(const struct s4j_srcu *ssp);
int s4j_callbacks_inherited(const struct s4j_srcu *ssp);
void s4j_callbacks_request_gp(struct s4j_srcu *ssp, uint64_t cookie);

#endif
