// SPDX-License-Identifier: Apache-2.0
/*
 * Architecture selection. Each arch header provides the same contract:
 *   s4j_smp_mb()                 full barrier (orders every earlier access before every later one)
 *   s4j_smp_mb__after_atomic()   full barrier right after an atomic read-modify-write (a compiler
 *                                barrier where such RMWs are already full barriers)
 *   s4j_smp_load_fence()         orders every earlier load before every later load and store (an
 *                                acquire fence); earlier stores may still pass it
 *   S4J_RSEQ_SIG                 the signature glibc registered rseq with on this architecture
 *   s4j_rseq_percpu_inc(a, p, n) increment the u64 at p + cpu * S4J_CACHE_LINE inside an rseq
 *                                critical section, where cpu is rseq area a's cpu_id; returns 0,
 *                                1 when cpu_id is not below n (rseq not registered for this
 *                                thread), -1 when the kernel aborted the sequence (retry)
 *   s4j_tls_word_inc(off, i)     adds one to the int32 at thread pointer + off + 4 * i; returns
 *                                1 when it is below zero after that, else 0
 *   s4j_tls_word_dec(off, i)     subtracts one from it, with the same result; the store is a
 *                                release (earlier loads and stores before it)
 *   s4j_tls_word_add(off, i, v)  adds v to it
 *                                (all optional: plain C below where an arch has no better way)
 */
#ifndef S4J_ARCH_H
#define S4J_ARCH_H

/*
 * The struct rseq_cs of an rseq sequence, for the inline asm of every architecture: version 0,
 * flags 0, start_ip label 1, post_commit_offset up to label 2 (just past the commit), abort_ip
 * label 4 (right after the signature). It goes to section __rseq_cs, 32-byte aligned as the ABI
 * wants, and label 3 is its address, which arms the sequence.
 */
#define S4J_RSEQ_CS_DESCRIPTOR                                                             \
    ".pushsection __rseq_cs, \"aw\"\n\t"                                                   \
    ".balign 32\n\t"                                                                       \
    "3:\n\t"                                                                               \
    ".long 0x0, 0x0\n\t"                                                                   \
    ".quad 1f, (2f - 1f), 4f\n\t"                                                          \
    ".popsection\n\t"

#define S4J_ARCH_INSIDE
#if defined(__x86_64__)
# include "arch/x86_64.h"
#elif defined(__aarch64__)
# include "arch/aarch64.h"
#else
# error "srcu4j: unsupported architecture (supported: x86-64, arm64)"
#endif
#undef S4J_ARCH_INSIDE

/* The calling thread's word idx at thread pointer + offset: for C reads of it, and below. */
static inline int32_t *s4j_tls_word(intptr_t offset, uint32_t idx)
{
    return (int32_t *)((char *)__builtin_thread_pointer() + offset) + idx;
}

#ifndef S4J_HAVE_TLS_WORD
/*
 * A load, an add and a store, each access single-copy atomic (a grace period's scan loads the
 * word from another thread): a signal handler between them runs whole sections, which leave the
 * word as they found it, so the interrupted store still writes the right value.
 */

static inline void s4j_tls_word_add(intptr_t offset, uint32_t idx, int32_t v)
{
    int32_t *w = s4j_tls_word(offset, idx);

    __atomic_store_n(w, __atomic_load_n(w, __ATOMIC_RELAXED) + v, __ATOMIC_RELAXED);
}

static inline int s4j_tls_word_inc(intptr_t offset, uint32_t idx)
{
    int32_t *w = s4j_tls_word(offset, idx);
    int32_t v = __atomic_load_n(w, __ATOMIC_RELAXED) + 1;

    __atomic_store_n(w, v, __ATOMIC_RELAXED);
    return v < 0;
}

/* [Z] for fast readers' words: the release keeps the section's loads before the store, which a
 * scan reads after [X] only, so [X] cannot complete [Z] here as it does for a per-CPU unlock
 * summed before it. x86's single instruction has that order from TSO. (litmus: L.free) */
static inline int s4j_tls_word_dec(intptr_t offset, uint32_t idx)
{
    int32_t *w = s4j_tls_word(offset, idx);
    int32_t v = __atomic_load_n(w, __ATOMIC_RELAXED) - 1;

    __atomic_store_n(w, v, __ATOMIC_RELEASE);
    return v < 0;
}
#endif

#ifndef s4j_smp_mb__after_atomic
# define s4j_smp_mb__after_atomic() s4j_smp_mb()
#endif

#endif
