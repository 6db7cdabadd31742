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
 * s4j_percpu_inc_atomic() is the second mode whatever the process has; a counter set must be
 * updated by one of the two functions only (srcu.c: one per domain flavor).
 * Readers of the sums (the updater) use single-copy-atomic loads, so a sum is a valid snapshot
 * per slot, never a torn value.
 */
#ifndef S4J_PERCPU_H
#define S4J_PERCPU_H

#include <linux/rseq.h>
#include <sched.h>
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
    ptrdiff_t rseq_offset;    /* thread pointer to this thread's struct rseq */
};

/* Exported (not part of the API): the inline read paths of srcu4j/inline.h read it. */
extern struct s4j_platform srcu4j_static_platform;

/* Runs the one-time probe (idempotent, thread-safe) and returns the result. */
const struct s4j_platform *s4j_platform_init(void);

/* Out of line, exported: an increment by a thread whose rseq area is not registered (yet). */
void srcu4j_static_percpu_inc_slow(char *base, uint32_t ncpus);

static inline struct rseq *s4j_rseq_area(void)
{
    return (struct rseq *)((char *)__builtin_thread_pointer() + srcu4j_static_platform.rseq_offset);
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
     * A thread with no rseq registration of its own (cpu_id < 0) asks sched_getcpu(). */
    int cpu = srcu4j_static_platform.rseq_mode != 0 ? (int)S4J_READ_ONCE(s4j_rseq_area()->cpu_id) : -1;

    if (cpu < 0)
        cpu = sched_getcpu();
    if (s4j_unlikely(cpu < 0 || (uint32_t)cpu >= ncpus))
        cpu = (int)ncpus;
    __atomic_fetch_add(s4j_percpu_slot(base, (uint32_t)cpu), 1, __ATOMIC_RELAXED);
}

/*
 * Adds one to the current CPU's instance of the counter at base (the address of CPU 0's
 * counter); ncpus is the set's number of per-CPU slots. No ordering is implied: callers add the
 * barriers their algorithm needs.
 */
static inline void s4j_percpu_inc(char *base, uint32_t ncpus)
{
    if (s4j_likely(srcu4j_static_platform.rseq_mode != 0)) {
        struct rseq *rs = s4j_rseq_area();
        int rc;

        /* Retries only after the kernel aborted the sequence (preemption, migration, signal);
         * each retry is a few instructions long, so it completes once the thread runs. */
        while ((rc = s4j_rseq_percpu_inc(rs, base, ncpus)) < 0)
            ;
        if (s4j_unlikely(rc != 0))
            srcu4j_static_percpu_inc_slow(base, ncpus);
        return;
    }
    s4j_percpu_inc_atomic(base, ncpus);
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
