// SPDX-License-Identifier: Apache-2.0
/*
 * SRCU placement: a reader pinned to CPU r runs empty read sections back to back while an updater
 * pinned to CPU u runs grace periods back to back, for each pair the caller names (same CPU, SMT
 * siblings, same LLC, another LLC, another NUMA node: the caller knows the topology). Classic and
 * fast domains; synchronize and synchronize_expedited.
 *  - grace-period latency: each call timed by the updater, a repetition is the median of its calls;
 *  - read pair: the reader's CPU time per lock/unlock pair (CPU time, so the time it waits for
 *    the CPU it shares with the updater when r == u is not counted), with and without the updater.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "srcu4j/srcu4j.h"
#include "study.h"

#define CHUNK 1024

static struct {
    struct s4j_srcu *ssp;
    int flavor;
    /* The reader's progress: pairs done and its CPU time then; relaxed, each a single word the
     * updater samples (a sample may be one chunk old, which a phase of many chunks absorbs). */
    uint64_t pairs;
    int64_t cpu_ns;
} rd;

static void reader(struct study_partner *p)
{
    struct s4j_srcu *ssp = rd.ssp;

    while (study_partner_running()) {
        if (rd.flavor == S4J_FLAVOR_FAST) {
            for (int i = 0; i < CHUNK; i++)
                s4j_srcu_read_unlock_fast(ssp, s4j_srcu_read_lock_fast(ssp));
        } else {
            for (int i = 0; i < CHUNK; i++)
                s4j_srcu_read_unlock(ssp, s4j_srcu_read_lock(ssp));
        }
        __atomic_store_n(&rd.cpu_ns, study_thread_cpu_ns(), __ATOMIC_RELAXED);
        __atomic_store_n(&rd.pairs, __atomic_load_n(&rd.pairs, __ATOMIC_RELAXED) + CHUNK,
                         __ATOMIC_RELAXED);
    }
}

struct progress {
    uint64_t pairs;
    int64_t cpu_ns;
};

static struct progress sample(void)
{
    return (struct progress){ __atomic_load_n(&rd.pairs, __ATOMIC_RELAXED),
                              __atomic_load_n(&rd.cpu_ns, __ATOMIC_RELAXED) };
}

/* NaN when the reader made no progress (it did not get its CPU): that repetition says nothing. */
static double ns_per_pair(struct progress a, struct progress b)
{
    return b.pairs > a.pairs ? (double)(b.cpu_ns - a.cpu_ns) / (double)(b.pairs - a.pairs) : NAN;
}

static void idle_ns(int64_t ns)
{
    struct timespec ts = { ns / 1000000000, ns % 1000000000 };
    nanosleep(&ts, NULL);
}

static void one(const struct study_opts *o, struct study_pair pr, int flavor)
{
    static const char *const flavors[] = { "classic", "fast" };
    static int32_t (*const syncs[2])(struct s4j_srcu *) = { s4j_srcu_synchronize,
                                                            s4j_srcu_synchronize_expedited };
    static const char *const kinds[] = { "synchronize", "expedited" };
    struct study_partner partner = { 0 };
    struct study_fig alone, gp[2], read[2];
    char key[96];
    int max_calls = o->full ? 4000 : 1000;
    double *calls = malloc(sizeof(double) * (size_t)max_calls);
    int64_t phase = (int64_t)(o->rep_ms * 2e6);

    if (!calls)
        return;
    if (s4j_srcu_create(flavor, &rd.ssp) < 0 || s4j_srcu_flavor(rd.ssp) != flavor) {
        snprintf(key, sizeof(key), "gp/%s/synchronize/%d/%d", flavors[flavor], pr.a, pr.b);
        study_fig_missing("placement", key, "ns", "the domain could not be created with this flavor",
                          flavors[flavor]);
        free(calls);
        return;
    }
    rd.flavor = flavor;
    rd.pairs = 0;
    snprintf(key, sizeof(key), "read/%s/alone/%d/%d", flavors[flavor], pr.a, pr.b);
    study_fig_begin(&alone, "placement", key, "ns");
    for (int k = 0; k < 2; k++) {
        snprintf(key, sizeof(key), "gp/%s/%s/%d/%d", flavors[flavor], kinds[k], pr.a, pr.b);
        study_fig_begin(&gp[k], "placement", key, "ns");
        snprintf(key, sizeof(key), "read/%s/%s/%d/%d", flavors[flavor], kinds[k], pr.a, pr.b);
        study_fig_begin(&read[k], "placement", key, "ns");
    }
    if (study_pin(pr.b) != 0 ||
        study_partner_start(&partner, pr.a, reader, NULL) != 0 || !partner.placed) {
        study_partner_stop(&partner);
        s4j_srcu_close(rd.ssp);
        s4j_srcu_free(rd.ssp);
        free(calls);
        snprintf(key, sizeof(key), "gp/%s/synchronize/%d/%d", flavors[flavor], pr.a, pr.b);
        study_fig_missing("placement", key, "ns", "the reader or updater could not be pinned",
                          flavors[flavor]);
        return;
    }
    for (int r = -1; r < o->reps; r++) {
        struct progress p0 = sample();
        idle_ns(phase / 2);
        if (r >= 0)
            study_fig_rep(&alone, ns_per_pair(p0, sample()));
        for (int k = 0; k < 2; k++) {
            int64_t start = study_now_ns();
            int n = 0;
            p0 = sample();
            while (n < max_calls && (n < 20 || study_now_ns() - start < phase)) {
                int64_t t0 = study_now_ns();
                syncs[k](rd.ssp);
                calls[n++] = (double)(study_now_ns() - t0);
            }
            if (r >= 0) {
                study_fig_rep(&read[k], ns_per_pair(p0, sample()));
                study_fig_rep(&gp[k], study_median(calls, n));
            }
        }
    }
    for (int k = 0; k < 2; k++)
        study_fig_check(&gp[k], pr.b);
    study_partner_stop(&partner);
    if (!partner.placed)
        alone.placed = 0;
    s4j_srcu_close(rd.ssp);
    s4j_srcu_free(rd.ssp);
    free(calls);
    study_fig_extra(&alone, "reader=%d updater=%d flavor=%s", pr.a, pr.b, flavors[flavor]);
    study_fig_end(&alone, "read pair, no updater");
    for (int k = 0; k < 2; k++) {
        study_fig_extra(&gp[k], "reader=%d updater=%d flavor=%s kind=%s", pr.a, pr.b,
                        flavors[flavor], kinds[k]);
        study_fig_end(&gp[k], kinds[k]);
        study_fig_extra(&read[k], "reader=%d updater=%d flavor=%s kind=%s", pr.a, pr.b,
                        flavors[flavor], kinds[k]);
        study_fig_end(&read[k], "read pair, updater running");
    }
}

int study_placement(const struct study_opts *o, const struct study_pair *pairs, int npairs)
{
    for (int i = 0; i < npairs; i++) {
        for (int flavor = S4J_FLAVOR_CLASSIC; flavor <= S4J_FLAVOR_FAST; flavor++) {
            study_progress("SRCU placement (C): reader on CPU %d, updater on CPU %d, %s domain",
                           pairs[i].a, pairs[i].b, flavor ? "fast" : "classic");
            one(o, pairs[i], flavor);
        }
    }
    return 0;
}
