// SPDX-License-Identifier: Apache-2.0
/*
 * Core-to-core latency: the time one cache line takes to go from one CPU to another, measured as
 * a ping-pong between a thread pinned on a and a partner pinned on b, half the round trip.
 *  - cas: each side waits for its turn by compare-and-swap on the shared word (2k -> 2k+1 on a,
 *    2k+1 -> 2k+2 on b): the line moves with a locked read-modify-write each way.
 *  - store/load: a stores 2k+1 and spins loading until it reads 2k+2; b spins loading until it
 *    reads 2k+1 and stores 2k+2: a plain store each way, read by the other side's loads.
 * Both sides count the turns, so neither needs to be told how many a repetition has. Every
 * access is relaxed: the word carries the only data that moves, so nothing needs ordering.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "study.h"

/* The word alone on its lines (x86 fetches line pairs, so two lines). */
struct c2c_line {
    uint64_t word __attribute__((aligned(128)));
    char pad[128 - sizeof(uint64_t)];
};

static struct c2c_line line;

enum c2c_method { C2C_CAS, C2C_STORE_LOAD };

/* Up to this many pairs, each repetition runs the whole rep_ms (JavaPingPong.FEW_PAIRS too). */
#define C2C_FEW_PAIRS 16

static enum c2c_method method;

/* The partner's side; it stops between turns once the measuring side has stopped playing. */
static void responder(struct study_partner *p)
{
    for (uint64_t k = 0;; k++) {
        uint64_t want = 2 * k + 1;
        if (method == C2C_CAS) {
            uint64_t expected = want;
            while (!__atomic_compare_exchange_n(&line.word, &expected, want + 1, 0,
                                                __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
                if (!study_partner_running())
                    return;
                expected = want;
            }
        } else {
            while (__atomic_load_n(&line.word, __ATOMIC_RELAXED) != want) {
                if (!study_partner_running())
                    return;
            }
            __atomic_store_n(&line.word, want + 1, __ATOMIC_RELAXED);
        }
    }
}

/* n round trips starting at turn *k; returns ns per one-way transfer. */
static double play(uint64_t *k, uint64_t n)
{
    int64_t t0 = study_now_ns();

    for (uint64_t i = 0; i < n; i++, (*k)++) {
        uint64_t mine = 2 * *k;
        if (method == C2C_CAS) {
            uint64_t expected = mine;
            while (!__atomic_compare_exchange_n(&line.word, &expected, mine + 1, 0,
                                                __ATOMIC_RELAXED, __ATOMIC_RELAXED))
                expected = mine;
        } else {
            __atomic_store_n(&line.word, mine + 1, __ATOMIC_RELAXED);
            while (__atomic_load_n(&line.word, __ATOMIC_RELAXED) != mine + 2)
                ;
        }
    }
    return (double)(study_now_ns() - t0) / (double)n / 2;
}

/* A repetition lasts rep_ms, or a quarter of it when there are many pairs to measure. */
static void one_pair(const struct study_opts *o, struct study_pair pr, enum c2c_method m,
                     double rep_ns)
{
    static const char *const names[] = { "cas", "store_load" };
    char key[64];
    struct study_fig f;
    struct study_partner partner;

    snprintf(key, sizeof(key), "%s/%d/%d", names[m], pr.a, pr.b);
    method = m;
    __atomic_store_n(&line.word, 0, __ATOMIC_RELAXED);
    study_fig_begin(&f, "c2c", key, "ns");
    if (study_pin(pr.a) != 0) {
        study_fig_missing("c2c", key, "ns", "the measuring thread could not be pinned", names[m]);
        return;
    }
    if (study_partner_start(&partner, pr.b, responder, NULL) != 0 || !partner.placed) {
        study_partner_stop(&partner);
        study_fig_missing("c2c", key, "ns", "the partner thread could not be pinned", names[m]);
        return;
    }
    uint64_t k = 0;
    /* Warm-up: 2000 round trips, which also size a repetition. */
    double est = play(&k, 2000);
    uint64_t n = study_iters(2 * est, rep_ns, 1000, 2000000);
    for (int r = 0; r < o->reps; r++)
        study_fig_rep(&f, play(&k, n));
    study_fig_check(&f, pr.a);
    study_partner_stop(&partner);
    study_fig_extra(&f, "a=%d b=%d round_trips=%llu", pr.a, pr.b, (unsigned long long)n);
    study_fig_end(&f, names[m]);
}

int study_c2c(const struct study_opts *o, const struct study_pair *pairs, int npairs)
{
    int64_t t0 = study_now_ns(), last = t0;
    double rep_ns = o->rep_ms * 1e6 * (npairs <= C2C_FEW_PAIRS ? 1 : 0.25);

    for (int i = 0; i < npairs; i++) {
        if (pairs[i].a == pairs[i].b) {
            fprintf(stderr, "s4j_study: c2c: pair %d:%d is one CPU\n", pairs[i].a, pairs[i].b);
            return 1;
        }
        one_pair(o, pairs[i], C2C_CAS, rep_ns);
        one_pair(o, pairs[i], C2C_STORE_LOAD, rep_ns);
        int64_t now = study_now_ns();
        if (i + 1 == npairs || now - last > 2000000000LL) {
            study_progress("c2c (C): %d/%d pairs, %.1f s", i + 1, npairs, (double)(now - t0) / 1e9);
            last = now;
        }
    }
    return 0;
}
