// SPDX-License-Identifier: Apache-2.0
/*
 * s4j_study: one probe per run, named by the first argument; see study.h for what it prints.
 *
 *   s4j_study info
 *   s4j_study c2c --pairs a:b,...           core-to-core latency of each pair (a measures)
 *   s4j_study fences --cpus a[,b]           fences and atomics on a, shared with b
 *   s4j_study percpu --cpus a[,b]           per-CPU increments on a, shared with b
 *   s4j_study rseq --cpus a[,b]             rseq abort rates and cost (worker on a)
 *   s4j_study membarrier --cpus a,b,...     membarrier cost (caller on a) against threads and CPUs
 *   s4j_study placement --pairs r:u,...     SRCU reader on r, updater on u
 * --full runs every probe longer. Exit status: 0, 1 when a probe could not run, 2 for bad usage.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srcu4j/srcu4j.h"
#include "study.h"

#define MAX_CPUS 8192
#define MAX_PAIRS 20000

static int usage(const char *why)
{
    fprintf(stderr, "s4j_study: %s\n"
            "usage: s4j_study info | c2c --pairs a:b,... | fences --cpus a[,b] | percpu --cpus a[,b]\n"
            "       | rseq --cpus a[,b] | membarrier --cpus a,... | placement --pairs r:u,...  [--full]\n",
            why);
    return 2;
}

static const char *arch(void)
{
#if defined(__x86_64__)
    return "x86_64";
#elif defined(__aarch64__)
    return "aarch64";
#else
    return "unknown";
#endif
}

int main(int argc, char **argv)
{
    static struct study_pair pairs[MAX_PAIRS];
    static int cpus[MAX_CPUS];
    struct study_opts o = { 0, 9, 20 };
    const char *pairs_text = NULL, *cpus_text = NULL;
    int npairs = 0, ncpus = 0;

    if (argc < 2)
        return usage("no probe named");
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--full"))
            o.full = 1;
        else if (!strcmp(argv[i], "--pairs") && i + 1 < argc)
            pairs_text = argv[++i];
        else if (!strcmp(argv[i], "--cpus") && i + 1 < argc)
            cpus_text = argv[++i];
        else
            return usage("unknown argument");
    }
    if (o.full) {
        o.reps = 15;
        o.rep_ms = 60;
    }
    if (pairs_text) {
        char bad[64];
        npairs = study_parse_pairs(pairs_text, pairs, MAX_PAIRS, bad, sizeof(bad));
        if (npairs < 0) {
            fprintf(stderr, "s4j_study: --pairs: '%s' is not a pair of CPU numbers a:b\n", bad);
            return 2;
        }
    }
    if (cpus_text) {
        ncpus = study_parse_cpus(cpus_text, cpus, MAX_CPUS);
        if (ncpus < 0)
            return usage("--cpus takes CPU numbers separated by commas");
    }
    setvbuf(stdout, NULL, _IOLBF, 0);

    struct s4j_capabilities caps;
    s4j_capabilities_get(&caps);
    static const char *const rseq_modes[] = { "unavailable", "glibc", "own" };
    const char *probe = argv[1];
    if (!strcmp(probe, "info")) {
        study_info("arch=%s possible=%d online=%d rseq=%s membarrier=%d", arch(), caps.possible_cpus,
                   caps.online_cpus, caps.rseq_mode >= 0 && caps.rseq_mode <= 2
                   ? rseq_modes[caps.rseq_mode] : "unknown", caps.membarrier);
        return 0;
    }
    for (int i = 0; i < ncpus; i++) {
        if (cpus[i] >= caps.possible_cpus) {
            fprintf(stderr, "s4j_study: CPU %d is not a possible CPU (0..%d)\n", cpus[i],
                    caps.possible_cpus - 1);
            return 2;
        }
    }
    for (int i = 0; i < npairs; i++) {
        if (pairs[i].a >= caps.possible_cpus || pairs[i].b >= caps.possible_cpus) {
            fprintf(stderr, "s4j_study: pair %d:%d names a CPU that is not possible (0..%d)\n",
                    pairs[i].a, pairs[i].b, caps.possible_cpus - 1);
            return 2;
        }
    }
    int need_pairs = !strcmp(probe, "c2c") || !strcmp(probe, "placement");
    if (need_pairs && npairs == 0)
        return usage("this probe needs --pairs");
    if (!need_pairs && ncpus == 0)
        return usage("this probe needs --cpus");
    if (!strcmp(probe, "c2c"))
        return study_c2c(&o, pairs, npairs);
    if (!strcmp(probe, "placement"))
        return study_placement(&o, pairs, npairs);
    int b = ncpus > 1 ? cpus[1] : -1;
    if (!strcmp(probe, "fences"))
        return study_fences(&o, cpus[0], b);
    if (!strcmp(probe, "percpu"))
        return study_percpu(&o, cpus[0], b);
    if (!strcmp(probe, "rseq"))
        return study_rseq(&o, cpus[0], b);
    if (!strcmp(probe, "membarrier"))
        return study_membarrier(&o, cpus, ncpus);
    return usage("unknown probe");
}
