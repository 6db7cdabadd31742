// SPDX-License-Identifier: Apache-2.0
/*
 * x86-64 primitives. Memory model: x86-TSO. Loads are not reordered with loads, stores not with
 * stores, and a load may pass an earlier store to another location: only StoreLoad needs a fence.
 * Include "arch.h", not this file.
 */
#ifndef S4J_ARCH_INSIDE
# error "include arch.h instead of arch/x86_64.h"
#endif

#include <linux/rseq.h>
#include <stdint.h>

/*
 * Full barrier as a locked add of zero to a stack slot: on the AMD parts we measure, about 2 ns
 * against 16 ns for mfence, and as strong for ordinary (write-back) memory. The slot lies just
 * past the 128-byte red zone, so it never holds a live value, and adding zero changes nothing.
 */
static inline void s4j_smp_mb(void)
{
    __asm__ __volatile__("lock; addl $0,-132(%%rsp)" ::: "memory", "cc");
}

/* Every locked instruction (the atomic RMWs) is already a full barrier on x86. */
#define s4j_smp_mb__after_atomic() __asm__ __volatile__("" ::: "memory")

/* Earlier loads before later loads and stores: TSO never reorders those, so only the compiler
 * must be held back. */
static inline void s4j_smp_load_fence(void)
{
    __asm__ __volatile__("" ::: "memory");
}

/*
 * The per-thread words at thread pointer + offset + 4 * idx (srcu4j/static/track.h), updated
 * with one fs-relative instruction each way: no thread-pointer load, and an update a signal
 * handler can only see whole, and another thread's load (a grace period's scan) too. The sign
 * flag of the same instruction says whether the word went below zero. The "memory" clobber
 * keeps the C accesses around them (the section, synchronize's check) in order with them.
 */
#define S4J_HAVE_TLS_WORD 1

/* Adds one; returns 1 when the word is below zero after it, else 0. */
static inline int s4j_tls_word_inc(intptr_t offset, uint32_t idx)
{
    __asm__ __volatile__ goto("addl $1, %%fs:(%0,%1,4)\n\t"
                              "js %l[negative]"
                              : : "r" (offset), "r" ((uintptr_t)idx) : "memory", "cc" : negative);
    return 0;
negative:
    return 1;
}

/* Subtracts one; returns 1 when the word is below zero after it, else 0. TSO keeps its store
 * after every earlier load and store: the release arch.h asks for. (litmus: L.free) */
static inline int s4j_tls_word_dec(intptr_t offset, uint32_t idx)
{
    __asm__ __volatile__ goto("subl $1, %%fs:(%0,%1,4)\n\t"
                              "js %l[negative]"
                              : : "r" (offset), "r" ((uintptr_t)idx) : "memory", "cc" : negative);
    return 0;
negative:
    return 1;
}

/* Adds v (the slow paths' undo and the registry's bias changes), one instruction as well. */
static inline void s4j_tls_word_add(intptr_t offset, uint32_t idx, int32_t v)
{
    __asm__ __volatile__("addl %2, %%fs:(%0,%1,4)"
                         : : "r" (offset), "r" ((uintptr_t)idx), "ir" (v) : "memory", "cc");
}

/* glibc registers rseq with this signature on x86; it must precede every abort handler. */
#define S4J_RSEQ_SIG 0x53053053

/*
 * Increments *(uint64_t *)(p + cpu * S4J_CACHE_LINE), cpu read from rs->cpu_id inside the
 * critical section, so any preemption, migration or signal between that read and the add makes
 * the kernel restart at the abort handler instead of letting the add hit another CPU's slot.
 * The descriptor (__rseq_cs) and the handler (__rseq_failure, after the signature, encoded as
 * ud1 so it can never run by accident) live outside the text the sequence runs in.
 */
static inline int s4j_rseq_percpu_inc(struct rseq *rs, char *p, uint32_t n)
{
    __asm__ __volatile__ goto(
        S4J_RSEQ_CS_DESCRIPTOR
        ".pushsection __rseq_failure, \"ax\"\n\t"
        ".byte 0x0f, 0xb9, 0x3d\n\t"
        ".long 0x53053053\n\t"                /* S4J_RSEQ_SIG */
        "4:\n\t"
        "jmp %l[aborted]\n\t"
        ".popsection\n\t"
        "leaq 3b(%%rip), %%rax\n\t"
        "movq %%rax, %[rseq_cs]\n\t"          /* arm the sequence */
        "1:\n\t"
        "movl %[cpu_id], %%eax\n\t"
        "cmpl %[n], %%eax\n\t"
        "jae %l[unregistered]\n\t"            /* cpu_id < 0 (unsigned: huge) or out of range */
        "shlq $7, %%rax\n\t"                  /* S4J_CACHE_LINE_SHIFT */
        "addq $1, (%[p], %%rax)\n\t"          /* commit: the only store of the sequence */
        "2:\n\t"
        :
        : [rseq_cs] "m" (rs->rseq_cs), [cpu_id] "m" (rs->cpu_id), [n] "r" (n), [p] "r" (p)
        : "memory", "cc", "rax"
        : aborted, unregistered);
    return 0;
aborted:
    return -1;
unregistered:
    return 1;
}
