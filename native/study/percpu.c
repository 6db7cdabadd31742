// SPDX-License-Identifier: Apache-2.0
/*
 * Per-CPU increments, the three ways a per-CPU counter can be kept (srcu4j/static/percpu.h):
 *  - rseq add: libsrcu4j's rseq sequence (s4j_percpu_try_inc), a plain add on the current CPU's
 *    slot that the kernel restarts on preemption, migration or signal;
 *  - atomic add: libsrcu4j's atomic path (s4j_percpu_inc_atomic), a locked add on the slot of
 *    the CPU rseq's cpu_id names (a hint: any slot keeps the sum right);
 *  - sched_getcpu + atomic add: the same without rseq, the CPU asked of glibc each time;
 *  - atomic add on one shared slot, for contrast: what a single counter costs.
 * Each alone on CPU a, then with a partner on CPU b running the same row on the same counter set
 * (for the per-CPU rows, its own slot: the set is shared, the lines are not).
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "srcu4j/srcu4j.h"
#include "srcu4j/static/percpu.h"
#include "study.h"

struct counter_set {
    char *base;
    uint32_t ncpus;
};

static struct counter_set set;

static __attribute__((noinline)) void row_rseq(void *arg, uint64_t iters)
{
    struct counter_set *s = arg;
    ptrdiff_t off = srcu4j_static_platform.rseq_offset;

    for (uint64_t i = 0; i < iters; i++) {
        if (s4j_percpu_try_inc(off, s->base, s->ncpus))
            srcu4j_static_percpu_inc_slow(s->base, s->ncpus);
    }
}

static __attribute__((noinline)) void row_atomic_hint(void *arg, uint64_t iters)
{
    struct counter_set *s = arg;

    for (uint64_t i = 0; i < iters; i++)
        s4j_percpu_inc_atomic(s->base, s->ncpus);
}

static __attribute__((noinline)) void row_getcpu_atomic(void *arg, uint64_t iters)
{
    struct counter_set *s = arg;

    for (uint64_t i = 0; i < iters; i++) {
        int cpu = sched_getcpu();
        uint32_t slot = cpu >= 0 && (uint32_t)cpu < s->ncpus ? (uint32_t)cpu : s->ncpus;
        __atomic_fetch_add(s4j_percpu_slot(s->base, slot), 1, __ATOMIC_RELAXED);
    }
}

static __attribute__((noinline)) void row_shared_slot(void *arg, uint64_t iters)
{
    struct counter_set *s = arg;

    for (uint64_t i = 0; i < iters; i++)
        __atomic_fetch_add(s4j_percpu_slot(s->base, s->ncpus), 1, __ATOMIC_RELAXED);
}

static const struct {
    const char *key, *label;
    study_loop_fn fn;
} rows[] = {
    { "rseq_add", "rseq add (libsrcu4j's sequence)", row_rseq },
    { "atomic_add_cpu_hint", "atomic add, slot of rseq's cpu_id", row_atomic_hint },
    { "sched_getcpu_atomic_add", "sched_getcpu + atomic add", row_getcpu_atomic },
    { "atomic_add_one_slot", "atomic add on one shared slot", row_shared_slot },
};

static void partner_loop(struct study_partner *p)
{
    study_loop_fn fn = (study_loop_fn)p->arg;

    while (study_partner_running())
        fn(&set, 4096);
}

int study_percpu(const struct study_opts *o, int a, int b)
{
    static const char *const modes[] = { "uncontended", "shared" };
    struct s4j_capabilities caps;

    s4j_capabilities_get(&caps);
    set.ncpus = (uint32_t)caps.possible_cpus;
    set.base = aligned_alloc(S4J_CACHE_LINE, ((size_t)set.ncpus + 1) * S4J_CACHE_LINE);
    if (!set.base) {
        fprintf(stderr, "s4j_study: percpu: out of memory\n");
        return 1;
    }
    if (study_pin(a) != 0) {
        fprintf(stderr, "s4j_study: percpu: cannot pin to CPU %d\n", a);
        free(set.base);
        return 1;
    }
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        for (int m = 0; m < 2; m++) {
            char key[96];
            snprintf(key, sizeof(key), "%s/%s", rows[i].key, modes[m]);
            if (i == 0 && caps.rseq_mode == S4J_RSEQ_UNAVAILABLE) {
                study_fig_missing("percpu", key, "ns", "rseq is unavailable here", rows[i].label);
                continue;
            }
            if (m == 1 && b < 0) {
                study_fig_missing("percpu", key, "ns", "one CPU allowed: no second core",
                                  rows[i].label);
                continue;
            }
            struct study_fig f;
            struct study_partner partner = { 0 };
            for (uint32_t c = 0; c <= set.ncpus; c++)
                *s4j_percpu_slot(set.base, c) = 0;
            study_fig_begin(&f, "percpu", key, "ns");
            if (m == 1 && (study_partner_start(&partner, b, partner_loop, (void *)rows[i].fn) != 0
                           || !partner.placed)) {
                study_partner_stop(&partner);
                study_fig_missing("percpu", key, "ns", "the partner thread could not be pinned",
                                  rows[i].label);
                continue;
            }
            study_progress("per-CPU increments (C): %s, %s", rows[i].label, modes[m]);
            study_time_loop(o, &f, rows[i].fn, &set, a);
            study_partner_stop(&partner);
            study_fig_extra(&f, "mode=%s a=%d b=%d", modes[m], a, m ? b : -1);
            study_fig_end(&f, rows[i].label);
        }
    }
    free(set.base);
    return 0;
}
