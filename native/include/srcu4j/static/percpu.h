// SPDX-License-Identifier: Apache-2.0
/*
 * Per-CPU counter increments, the read side's only writes.
 *
 * A counter set is an array of (ncpus + 1) slots S4J_CACHE_LINE apart: one per possible CPU plus
 * one shared slot at index ncpus. Two update modes, fixed once per process (srcu4j_static_platform):
 *  - rseq (glibc's registration adopted, or srcu4j's own per thread when glibc made none): a
 *    plain add on the current CPU's slot inside an rseq critical section. No atomic instruction:
 *    the kernel restarts the sequence if the thread is preempted, migrated or signalled, so only
 *    one thread at a time can be inside a slot's sequence. A thread without a registration
 *    (cpu_id < 0, and registering failed) uses the shared slot with an atomic add; no rseq
 *    sequence ever touches that slot, so plain and atomic adds never mix on a slot.
 *  - no rseq: an atomic add on the slot of the CPU sched_getcpu() names. The CPU is only a hint
 *    that spreads contention; atomics keep every count exact wherever the thread really runs.
 * The fast path, s4j_percpu_try_inc(), does not test the mode: without rseq, rseq_offset names
 * srcu4j's own rseq area, which is then never registered, so its cpu_id stays negative and every
 * sequence turns the increment away to the out-of-line srcu4j_static_percpu_inc_slow().
 * s4j_percpu_inc_atomic() is the second mode whatever the process has; a counter set must be
 * updated by one of the two ways only (srcu.h: one per domain flavor).
 * Readers of the sums (the updater) use single-copy-atomic loads, so a sum is a valid snapshot
 * per slot, never a torn value.
 */
#ifndef S4J_PERCPU_H
#define S4J_PERCPU_H

#include <linux/rseq.h>
#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "compiler.h"

/* Set once by s4j_platform_init(); read-only afterwards. */
struct s4j_platform {
    int32_t rseq_mode;        /* enum s4j_rseq_mode */
    int32_t membarrier;       /* PRIVATE_EXPEDITED available */
    uint32_t possible_cpus;   /* sizes every per-CPU array */
    int32_t online_cpus;
    ptrdiff_t rseq_offset;    /* thread pointer to this thread's struct rseq (srcu4j's own, never
                               * registered, in S4J_RSEQ_UNAVAILABLE mode) */
};

/* Exported (not part of the API): the inline read paths of srcu4j/inline.h read it. */
extern struct s4j_platform srcu4j_static_platform;

/* Runs the one-time probe (idempotent, thread-safe) and returns the result. */
const struct s4j_platform *s4j_platform_init(void);

/* Out of line, exported: sched_getcpu(), for threads without an rseq registration. */
S4J_COLD int srcu4j_static_sched_getcpu(void);

/* Out of line, exported: an increment s4j_percpu_try_inc() turned away for want of rseq. */
S4J_COLD void srcu4j_static_percpu_inc_slow(char *base, uint32_t ncpus);

static inline struct rseq *s4j_rseq_area_at(ptrdiff_t rseq_offset)
{
    return (struct rseq *)((char *)__builtin_thread_pointer() + rseq_offset);
}

static inline struct rseq *s4j_rseq_area(void)
{
    return s4j_rseq_area_at(srcu4j_static_platform.rseq_offset);
}

static inline uint64_t *s4j_percpu_slot(char *base, uint32_t cpu)
{
    return (uint64_t *)(base + ((uintptr_t)cpu << S4J_CACHE_LINE_SHIFT));
}

/*
 * Adds one atomically to the counter at base in the slot of the CPU the thread runs on (a hint:
 * any slot keeps the sum exact). Async-signal-safe at any point.
 */
static inline void s4j_percpu_inc_atomic(char *base, uint32_t ncpus)
{
    /* The rseq area's cpu_id costs a load, sched_getcpu() a call; both only spread contention.
     * A thread with no registration (cpu_id < 0) asks sched_getcpu(). */
    int cpu = (int)S4J_READ_ONCE(s4j_rseq_area()->cpu_id);

    if (cpu < 0)
        cpu = srcu4j_static_sched_getcpu();
    if (s4j_unlikely(cpu < 0 || (uint32_t)cpu >= ncpus))
        cpu = (int)ncpus;
    __atomic_fetch_add(s4j_percpu_slot(base, (uint32_t)cpu), 1, __ATOMIC_RELAXED);
}

/*
 * Adds one to the current CPU's instance of the counter at base (the address of CPU 0's
 * counter) inside an rseq sequence; rseq_offset is srcu4j_static_platform's. Returns 0, or 1
 * without adding anything when the thread's cpu_id is not below bound: no registration (or no
 * rseq at all), or bound 0, which a caller passes to send a case it does not handle inline to
 * its slow path. No ordering is implied: callers add the barriers their algorithm needs.
 */
static inline int s4j_percpu_try_inc(ptrdiff_t rseq_offset, char *base, uint32_t bound)
{
    struct rseq *rs = s4j_rseq_area_at(rseq_offset);
    int rc;

    /* Retries only after the kernel aborted the sequence (preemption, migration, signal);
     * each retry is a few instructions long, so it completes once the thread runs. */
    while ((rc = s4j_rseq_percpu_inc(rs, base, bound)) < 0)
        S4J_RSEQ_EVENT(S4J_RSEQ_ABORT);
    if (rc == 0)
        S4J_RSEQ_EVENT(S4J_RSEQ_COMMIT);
    return rc;
}

/* Sum of a counter over every slot, each slot loaded single-copy atomically. */
static inline uint64_t s4j_percpu_sum(char *base, uint32_t ncpus)
{
    uint64_t sum = 0;
    for (uint32_t cpu = 0; cpu <= ncpus; cpu++)
        sum += __atomic_load_n(s4j_percpu_slot(base, cpu), __ATOMIC_RELAXED);
    return sum;
}

#endif
