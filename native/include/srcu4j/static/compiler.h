// SPDX-License-Identifier: Apache-2.0
/* Compiler helpers shared by the shim's sources. Internal: not part of the public header. */
#ifndef S4J_COMPILER_H
#define S4J_COMPILER_H

#define s4j_likely(x)   __builtin_expect(!!(x), 1)
#define s4j_unlikely(x) __builtin_expect(!!(x), 0)

/* Compiler-only barrier: keeps the compiler from moving memory accesses across it. */
#define s4j_barrier() __asm__ __volatile__("" ::: "memory")

/* Single-copy-atomic plain accesses (the kernel's READ_ONCE/WRITE_ONCE); no ordering implied. */
#define S4J_READ_ONCE(x)     __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define S4J_WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

/* Per-CPU data is strided by two cache lines: x86 prefetches line pairs, arm64 parts use 128. */
#define S4J_CACHE_LINE 128
#define S4J_CACHE_LINE_SHIFT 7

#define S4J_EXPORT __attribute__((visibility("default")))

/* Slow paths the inline read side calls: the compiler moves their call sites out of the fast
 * path's straight line, so the common case runs without a taken branch. */
#define S4J_COLD __attribute__((cold))

/*
 * Delay-injection points for torture builds (-DS4J_TEST_DELAY_INJECT, sources compiled into the
 * test, which defines s4j_test_inject()): they widen races that are a few instructions wide.
 * Empty in the library.
 */
#ifdef S4J_TEST_DELAY_INJECT
void s4j_test_inject(int point);
# define S4J_INJECT(point) s4j_test_inject(point)
#else
# define S4J_INJECT(point) do { } while (0)
#endif

/*
 * rseq outcome counting for test builds (-DS4J_TEST_RSEQ_STATS, sources compiled into the test,
 * which defines s4j_test_rseq_event()): a per-CPU increment committed in an rseq sequence, a
 * sequence the kernel aborted (and the increment retried), an increment the slow path took
 * (srcu4j_static_percpu_inc_slow: no rseq, or no registration yet). Empty in the library, so the
 * shipped read path has not one instruction more (tests/rseq_count.c).
 */
enum s4j_rseq_event { S4J_RSEQ_COMMIT, S4J_RSEQ_ABORT, S4J_RSEQ_SLOW };
#ifdef S4J_TEST_RSEQ_STATS
void s4j_test_rseq_event(enum s4j_rseq_event event);
# define S4J_RSEQ_EVENT(event) s4j_test_rseq_event(event)
#else
# define S4J_RSEQ_EVENT(event) do { } while (0)
#endif

#endif
