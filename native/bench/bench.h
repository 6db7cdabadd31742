// SPDX-License-Identifier: Apache-2.0
/*
 * Shared pieces of bench_native: the timing harness (bench_native.c) and the entry points of the
 * liburcu units (bench_urcu_memb.c, bench_urcu_mb.c), which live in their own translation units
 * because each liburcu flavor header maps the generic rcu_* names onto its own symbols.
 */
#ifndef S4J_BENCH_H
#define S4J_BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

/* Runs its operation iters times back to back (a loop inside the callee, so the loop body makes
 * direct calls or inlines them, as a real caller would). */
typedef void (*bench_loop_fn)(void *arg, uint64_t iters);

/* One µs-scale operation, timed call by call. */
typedef void (*bench_call_fn)(void *arg);

/* Queues n operations, stores now_ns() once the last is queued, waits for all of them to
 * complete, and returns how many completed. */
typedef uint64_t (*bench_batch_fn)(void *arg, uint64_t n, int64_t *queued_at);

/* A clock in ns: CLOCK_THREAD_CPUTIME_ID for the caller's CPU time, CLOCK_PROCESS_CPUTIME_ID
 * for every thread's (bench_native.c). */
int64_t clock_ns(clockid_t clock);
/* CLOCK_MONOTONIC in ns. */
int64_t now_ns(void);

struct s4j_srcu;

#ifdef BENCH_URCU
/* Registers the calling thread with both flavors (memb: membarrier writer; mb: fenced reader). */
void urcu_memb_bench_register(void);
void urcu_memb_bench_unregister(void);
void urcu_mb_bench_register(void);
void urcu_mb_bench_unregister(void);

/* Empty read sections, inlined (_LGPL_SOURCE). */
void urcu_memb_bench_read_pair(void *arg, uint64_t iters);
void urcu_mb_bench_read_pair(void *arg, uint64_t iters);

/* Empty read sections through liburcu's exported functions (bench_urcu_memb_calls.c). */
void urcu_memb_calls_bench_read_pair(void *arg, uint64_t iters);

/* One synchronize_rcu per call. */
void urcu_memb_bench_synchronize(void *arg);
void urcu_mb_bench_synchronize(void *arg);

/* Queues n preallocated heads with call_rcu (callback: one atomic increment), then rcu_barrier;
 * returns the number of callbacks that ran (n when everything worked). A bench_batch_fn. */
uint64_t urcu_memb_bench_call_rcu(uint64_t n, int64_t *queued_at);
void urcu_memb_bench_call_rcu_free(void);

/* The same in pieces, for several enqueuing threads (bench_defer.c): heads for n callbacks;
 * call_rcu on heads [from, to); rcu_barrier; callbacks run so far. */
void urcu_memb_bench_call_rcu_prepare(uint64_t n);
void urcu_memb_bench_call_rcu_range(uint64_t from, uint64_t to);
void urcu_memb_bench_call_rcu_barrier(void);
uint64_t urcu_memb_bench_call_rcu_count(void);
#endif

/* bench_readpair.c, built twice (-fPIE, -fPIC): the fast inline read pairs, srcu4j's and
 * urcu-memb's (bench_native needs BENCH_INLINE for the first, BENCH_URCU for the second). */
void readpair_pie_s4j_fast(void *ssp, uint64_t iters);
void readpair_pic_s4j_fast(void *ssp, uint64_t iters);
#ifdef BENCH_URCU
void readpair_pie_urcu_memb(void *arg, uint64_t iters);
void readpair_pic_urcu_memb(void *arg, uint64_t iters);
#endif

/*
 * bench_expedited.c: synchronize against synchronize_expedited with 0, 1 and 2 busy readers per
 * CPU on the classic and fast domains (NULL: left out); the calling thread is pinned to CPU 0.
 * Prints its own table.
 */
void bench_expedited_run(struct s4j_srcu *classic, struct s4j_srcu *fast, int quick);
void bench_expedited_json(FILE *f, int *first);

/*
 * bench_defer.c: s4j_defer vs s4j_call_srcu vs the call_srcu-through-s4j_defer hop vs liburcu's
 * call_rcu, from 1 and 2 enqueuing threads, with the futex wake-ups counted. Runs with the
 * calling thread pinned to CPU 0 (the second enqueuer on CPU 1); prints its own table.
 */
void bench_defer_run(struct s4j_srcu *classic, int quick, int use_urcu);
/* Appends its rows to a JSON array being written (*first: no entry written yet). */
void bench_defer_json(FILE *f, int *first);

#endif
