/*
 * The SRCU domain's layout, shared by srcu.c (counters, grace periods) and callbacks.c
 * (call_srcu queue, worker, barrier). Internal.
 */
#ifndef S4J_SRCU_INTERNAL_H
#define S4J_SRCU_INTERNAL_H

#include <pthread.h>
#include <stdint.h>

#include "srcu4j/srcu4j.h"
#include "compiler.h"

/*
 * One CPU's counters, alone on their S4J_CACHE_LINE: only readers running on that CPU write them
 * (under rseq; atomically otherwise), and only the updater's scans read other CPUs' lines.
 */
struct s4j_srcu_percpu {
    uint64_t lock_count[2];
    uint64_t unlock_count[2];
} __attribute__((aligned(S4J_CACHE_LINE)));

/* Worker states (the futex word the worker sleeps on). */
enum { S4J_WORKER_RUNNING = 0, S4J_WORKER_PARKED = 1 };

/* enq_state: bit 0 = closed, the rest counts s4j_call_srcu() calls in flight (in steps of 2). */
#define S4J_ENQ_CLOSED 1u
#define S4J_ENQ_CALLER 2u

struct s4j_srcu {
    /* Read-mostly: every reader loads these; srcu_idx changes twice per grace period. */
    struct s4j_srcu_percpu *percpu;      /* possible_cpus + 1 entries; the last is shared */
    uint32_t ncpus;
    int32_t flavor;
    uint64_t srcu_idx;                   /* bit 0 selects the counter pair new readers use */

    /* Updater side: one grace period at a time. */
    pthread_mutex_t gp_mutex __attribute__((aligned(S4J_CACHE_LINE)));
    uint64_t gp_seq;                     /* odd while a grace period runs; +2 per grace period */

    /* Callback queue: written by every s4j_call_srcu() caller, so on its own line. */
    struct s4j_srcu_head *pending __attribute__((aligned(S4J_CACHE_LINE))); /* LIFO push list */
    uint32_t enq_state;
    uint32_t worker_state;               /* S4J_WORKER_*, futex word */

    /* Lifecycle: written at create and close only. */
    pthread_t worker __attribute__((aligned(S4J_CACHE_LINE)));
    uint32_t stop;                       /* worker exits once the queue is empty */
    uint32_t closed;                     /* close finished: worker joined, queue empty */
};

/* callbacks.c */
int s4j_callbacks_start(struct s4j_srcu *ssp);
int s4j_callbacks_close(struct s4j_srcu *ssp);
int s4j_callbacks_on_worker(const struct s4j_srcu *ssp);

#endif
