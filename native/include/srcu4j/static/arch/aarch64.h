// SPDX-License-Identifier: Apache-2.0
/*
 * arm64 (AArch64) primitives. Memory model: other-multicopy-atomic and weakly ordered. A store
 * becomes visible to every other CPU at the same time (no CPU sees it early except the one that
 * made it), but accesses to different locations may be reordered in all four ways (load-load,
 * load-store, store-store, store-load) unless an address/data/control dependency, an
 * acquire/release access or a barrier orders them. Barriers, for the inner-shareable domain
 * (every CPU this process can run on):
 *   dmb ishld  earlier loads before later loads and stores
 *   dmb ishst  earlier stores before later stores
 *   dmb ish    every earlier load and store before every later load and store: the only one of
 *              the three that orders a store before a later load, which SRCU's pairing needs
 * Include "arch.h", not this file.
 */
#ifndef S4J_ARCH_INSIDE
# error "include arch.h instead of arch/aarch64.h"
#endif

#include <linux/rseq.h>
#include <stdint.h>

/* Full barrier: dmb ish (the kernel's smp_mb() on arm64). */
static inline void s4j_smp_mb(void)
{
    __asm__ __volatile__("dmb ish" ::: "memory");
}

/* Earlier loads before later loads and stores: dmb ishld (what gcc emits for an acquire fence). */
static inline void s4j_smp_load_fence(void)
{
    __asm__ __volatile__("dmb ishld" ::: "memory");
}

/*
 * No s4j_smp_mb__after_atomic here: a relaxed atomic RMW (ldadd, or an ldxr/stxr loop) orders
 * nothing on arm64, so arch.h's default, a full s4j_smp_mb(), is what it must be.
 */

/*
 * glibc registers rseq with the word "brk #0x45e0" (0xd428bc00) on arm64. Instructions are
 * always little-endian, so on a big-endian system the same instruction reads back as data
 * 0x00bc28d4, and that data value is the signature the kernel compares with.
 */
#ifdef __AARCH64EB__
# define S4J_RSEQ_SIG 0x00bc28d4
#else
# define S4J_RSEQ_SIG 0xd428bc00
#endif

/*
 * Increments *(uint64_t *)(p + cpu * S4J_CACHE_LINE), cpu read from rs->cpu_id inside the
 * critical section, so a preemption, migration or signal anywhere between that load and the
 * commit store sends the thread to the abort handler instead of letting the store land on
 * another CPU's slot (or overwrite an add made there meanwhile).
 *
 * Layout, as the kernel requires it:
 *  - the descriptor (struct rseq_cs, 32-byte aligned) sits in section __rseq_cs: version 0,
 *    flags 0, start_ip = label 1, post_commit_offset = 2 - 1, abort_ip = label 4;
 *  - the abort handler sits in section __rseq_failure, out of the sequence's text, right after
 *    the signature word. The signature is emitted with .inst (instruction byte order) as the
 *    brk instruction it encodes, so a stray jump onto it traps instead of running on;
 *  - storing the descriptor's address into rs->rseq_cs arms the sequence; the kernel clears it
 *    again lazily once the thread is found outside [start_ip, start_ip + post_commit_offset).
 * The sequence loads cpu_id, checks it against n (unsigned, so RSEQ_CPU_ID_UNINITIALIZED and
 * RSEQ_CPU_ID_REGISTRATION_FAILED, both negative, are out of range too), forms the slot address,
 * and loads, adds and stores: the store is the commit and the last instruction before label 2.
 * x9 and x10 are scratch (caller-saved temporaries in the AAPCS64).
 */
static inline int s4j_rseq_percpu_inc(struct rseq *rs, char *p, uint32_t n)
{
    __asm__ __volatile__ goto(
        S4J_RSEQ_CS_DESCRIPTOR
        ".pushsection __rseq_failure, \"ax\"\n\t"
        ".inst 0xd428bc00\n\t"                /* S4J_RSEQ_SIG, in instruction byte order */
        "4:\n\t"
        "b %l[aborted]\n\t"
        ".popsection\n\t"
        "adrp x9, 3b\n\t"
        "add x9, x9, :lo12:3b\n\t"
        "str x9, %[rseq_cs]\n\t"              /* arm the sequence */
        "1:\n\t"
        "ldr w9, %[cpu_id]\n\t"               /* zero-extends into x9 */
        "cmp w9, %w[n]\n\t"
        "b.hs %l[unregistered]\n\t"           /* cpu_id < 0 (unsigned: huge) or out of range */
        "add x9, %[p], x9, lsl #7\n\t"        /* S4J_CACHE_LINE_SHIFT */
        "ldr x10, [x9]\n\t"
        "add x10, x10, #1\n\t"
        "str x10, [x9]\n\t"                   /* commit: the only store to the slot */
        "2:\n\t"
        :
        : [rseq_cs] "m" (rs->rseq_cs), [cpu_id] "m" (rs->cpu_id), [n] "r" (n), [p] "r" (p)
        : "memory", "cc", "x9", "x10"
        : aborted, unregistered);
    return 0;
aborted:
    return -1;
unregistered:
    return 1;
}
