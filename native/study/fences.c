// SPDX-License-Identifier: Apache-2.0
/*
 * Fences and atomics: ns per operation, each row run alone on CPU a ("uncontended"), then while a
 * partner on CPU b runs the same row on the same cache line ("shared"). A fence row increments
 * the word (a load, an add, a store) and then fences, the shape of a read side's lock; the next
 * iteration's load keeps a compiler from merging fences that only stores would separate. An
 * atomic row operates on the line. Rows of the other architecture are compiled on it (the aarch64 ones by the cross
 * build) and reported here as not run.
 *
 * None of these orders anything for an algorithm: the fences and atomics are what is measured.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#if defined(__aarch64__)
# include <sys/auxv.h>
#endif

#include "srcu4j/static/arch.h"
#include "study.h"

struct fence_line {
    uint64_t word __attribute__((aligned(128)));
    char pad[128 - sizeof(uint64_t)];
};

static struct fence_line shared_line;

#define LOOP(name, body)                                                                    \
    static __attribute__((noinline)) void name(void *arg, uint64_t iters)                  \
    {                                                                                       \
        uint64_t *w = &((struct fence_line *)arg)->word;                                    \
        for (uint64_t i = 0; i < iters; i++) {                                              \
            body;                                                                           \
        }                                                                                   \
    }

LOOP(row_empty, __asm__ __volatile__("" : : "r"(w) : "memory"))
/* Relaxed: the increment itself is measured; the fence after it (in the rows below) orders. */
#define INC() __atomic_store_n(w, __atomic_load_n(w, __ATOMIC_RELAXED) + 1, __ATOMIC_RELAXED)

LOOP(row_inc, INC())

#if defined(__x86_64__)
/* The library's full barrier (a locked add to the stack), after a store to the line. */
LOOP(row_inc_smp_mb, INC(); s4j_smp_mb())
LOOP(row_lock_add, __asm__ __volatile__("lock; addq $1, %0" : "+m"(*w) : : "memory", "cc"))
LOOP(row_inc_mfence, INC(); __asm__ __volatile__("mfence" ::: "memory"))
LOOP(row_xchg, uint64_t v = i; __asm__ __volatile__("xchgq %0, %1" : "+r"(v), "+m"(*w) : : "memory"))
LOOP(row_inc_sfence_lfence, INC(); __asm__ __volatile__("sfence; lfence" ::: "memory"))
LOOP(row_lock_xadd, uint64_t v = 1;
     __asm__ __volatile__("lock; xaddq %0, %1" : "+r"(v), "+m"(*w) : : "memory", "cc"))
#endif

#if defined(__aarch64__)
LOOP(row_inc_dmb_ish, INC(); s4j_smp_mb())
LOOP(row_inc_dmb_ishld, INC(); __asm__ __volatile__("dmb ishld" ::: "memory"))
LOOP(row_ldar_stlr, uint64_t v;
     __asm__ __volatile__("ldar %0, %1\n\tadd %0, %0, #1\n\tstlr %0, %1"
                          : "=&r"(v), "+Q"(*w) : : "memory"))
LOOP(row_ldadd, uint64_t old;
     __asm__ __volatile__(".arch_extension lse\n\tldadd %2, %0, %1"
                          : "=&r"(old), "+Q"(*w) : "r"((uint64_t)1) : "memory"))
LOOP(row_ldaddal, uint64_t old;
     __asm__ __volatile__(".arch_extension lse\n\tldaddal %2, %0, %1"
                          : "=&r"(old), "+Q"(*w) : "r"((uint64_t)1) : "memory"))
/* LL/SC: retried when the exclusive monitor was lost (another write to the line between the
 * two): ends once a pair completes undisturbed, which the partner's own loop cannot prevent
 * forever. */
LOOP(row_llsc_add, uint64_t v; uint32_t fail;
     __asm__ __volatile__("1: ldxr %0, %2\n\tadd %0, %0, #1\n\tstxr %w1, %0, %2\n\tcbnz %w1, 1b"
                          : "=&r"(v), "=&r"(fail), "+Q"(*w) : : "memory"))
LOOP(row_llsc_add_al, uint64_t v; uint32_t fail;
     __asm__ __volatile__("1: ldaxr %0, %2\n\tadd %0, %0, #1\n\tstlxr %w1, %0, %2\n\tcbnz %w1, 1b"
                          : "=&r"(v), "=&r"(fail), "+Q"(*w) : : "memory"))
#endif

struct fence_row {
    const char *key, *label, *arch;
    study_loop_fn fn;     /* NULL: compiled for the other architecture only */
    int needs_lse;
};

#if defined(__x86_64__)
# define X86(fn) fn
#else
# define X86(fn) NULL
#endif
#if defined(__aarch64__)
# define A64(fn) fn
#else
# define A64(fn) NULL
#endif

static const struct fence_row rows[] = {
    { "empty", "empty loop iteration (reference)", "any", row_empty, 0 },
    { "inc", "increment: load, add, store (reference)", "any", row_inc, 0 },
    { "x86_inc_lock_add_stack", "increment + lock addl to the stack (s4j_smp_mb)", "x86_64", X86(row_inc_smp_mb), 0 },
    { "x86_lock_add", "lock add to the line", "x86_64", X86(row_lock_add), 0 },
    { "x86_lock_xadd", "lock xadd to the line (atomic add, result used)", "x86_64", X86(row_lock_xadd), 0 },
    { "x86_xchg", "xchg with the line", "x86_64", X86(row_xchg), 0 },
    { "x86_inc_mfence", "increment + mfence", "x86_64", X86(row_inc_mfence), 0 },
    { "x86_inc_sfence_lfence", "increment + sfence + lfence", "x86_64", X86(row_inc_sfence_lfence), 0 },
    { "a64_inc_dmb_ish", "increment + dmb ish (s4j_smp_mb)", "aarch64", A64(row_inc_dmb_ish), 0 },
    { "a64_inc_dmb_ishld", "increment + dmb ishld", "aarch64", A64(row_inc_dmb_ishld), 0 },
    { "a64_ldar_stlr", "ldar + add + stlr", "aarch64", A64(row_ldar_stlr), 0 },
    { "a64_ldadd", "ldadd (LSE, relaxed)", "aarch64", A64(row_ldadd), 1 },
    { "a64_ldaddal", "ldaddal (LSE, acquire+release)", "aarch64", A64(row_ldaddal), 1 },
    { "a64_llsc_add", "ldxr/add/stxr loop (LL/SC)", "aarch64", A64(row_llsc_add), 0 },
    { "a64_llsc_add_al", "ldaxr/add/stlxr loop (LL/SC, acquire+release)", "aarch64", A64(row_llsc_add_al), 0 },
};

/* The partner's side of a shared row: the same loop on the same line, in chunks. */
static void hammer(struct study_partner *p)
{
    study_loop_fn fn = (study_loop_fn)p->arg;

    while (study_partner_running())
        fn(&shared_line, 4096);
}

static int have_lse(void)
{
#if defined(__aarch64__) && defined(HWCAP_ATOMICS)
    return (getauxval(AT_HWCAP) & HWCAP_ATOMICS) != 0;
#else
    return 0;
#endif
}

int study_fences(const struct study_opts *o, int a, int b)
{
    static const char *const modes[] = { "uncontended", "shared" };
    struct fence_line *own = &shared_line;

    if (study_pin(a) != 0) {
        fprintf(stderr, "s4j_study: fences: cannot pin to CPU %d\n", a);
        return 1;
    }
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const struct fence_row *row = &rows[i];
        for (int m = 0; m < 2; m++) {
            char key[96];
            snprintf(key, sizeof(key), "%s/%s", row->key, modes[m]);
            if (!row->fn) {
                study_fig_missing("fences", key, "ns", row->arch[0] == 'a'
                                  ? "aarch64 only: compiled by the cross build, not run on this machine"
                                  : "x86-64 only: not run on this architecture", row->label);
                continue;
            }
            if (row->needs_lse && !have_lse()) {
                study_fig_missing("fences", key, "ns", "this CPU has no LSE atomics (HWCAP_ATOMICS)",
                                  row->label);
                continue;
            }
            if (m == 1 && b < 0) {
                study_fig_missing("fences", key, "ns", "one CPU allowed: no second core to share with",
                                  row->label);
                continue;
            }
            struct study_fig f;
            struct study_partner partner = { 0 };
            study_fig_begin(&f, "fences", key, "ns");
            if (m == 1 && (study_partner_start(&partner, b, hammer, (void *)row->fn) != 0 ||
                           !partner.placed)) {
                study_partner_stop(&partner);
                study_fig_missing("fences", key, "ns", "the partner thread could not be pinned",
                                  row->label);
                continue;
            }
            study_progress("fences (C): %s, %s", row->label, modes[m]);
            study_time_loop(o, &f, row->fn, own, a);
            study_partner_stop(&partner);
            study_fig_extra(&f, "arch=%s mode=%s a=%d b=%d", row->arch, modes[m], a, m ? b : -1);
            study_fig_end(&f, row->label);
        }
    }
    return 0;
}
