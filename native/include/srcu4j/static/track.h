// SPDX-License-Identifier: Apache-2.0
/*
 * Per-thread words, one pair per domain slot: the lock count of fast readers, and the section
 * depth of the others, so that synchronize can refuse (-EDEADLK) to wait for its own caller.
 *
 * Each domain owns one row of a per-thread table (initial-exec TLS, so the row sits at the same
 * distance from the thread pointer in every thread; the domain stores that distance), a word
 * per counter set idx. A lock adds one to word idx and its unlock subtracts one, each a single
 * instruction on x86 (a load, an add and a store elsewhere: arch.h), on a word only its thread
 * writes, so a signal handler that runs whole sections in the middle of an interrupted update
 * leaves the word as it found it. The depth is the sum of the two words.
 *
 * Fast domains: the words are the counts. A thread's net word, locks minus unlocks on that set,
 * is what a grace period's scan adds to the per-CPU lock sums (track.c keeps the registry of
 * threads whose words it reads): a fast read pair writes nothing else, no per-CPU counter. The
 * other flavors count per CPU as before, and their words are only the depth.
 *
 * A thread's words start at S4J_TRACK_BIAS, far below zero, and move to zero when the thread
 * joins the registry, so a lock's own add says, by its sign, that the thread is not registered
 * yet: the lock's out-of-line path takes the add back and registers the thread (or, where it
 * must not, counts that section per CPU), and the thread's exit biases the words again.
 *
 * Rows: the first S4J_TRACK_CLAIMABLE are domains' own. A domain created while all are taken
 * shares a sink: S4J_TRACK_SINK_NET for a fast domain, biased in every thread for good, so each
 * lock and unlock of such a domain goes out of line and counts per CPU (several domains cannot
 * share a count); S4J_TRACK_SINK for the others, never biased, which nobody reads: their sections
 * are counted per CPU and not checked. A fast domain's depth row (track_offset) and another
 * flavor's net row (net_offset) are the biased sink too, so an unlock of the wrong flavor goes
 * out of line, where the domain's own way is taken.
 *
 * A word below zero after an unlock means a section was ended in another thread than the one
 * that entered it (sections that do so must use down_read/up_read). The unlock then goes out of
 * line (srcu4j_static_read_unlock_turned): it marks the domain's slot as holding a stale count
 * elsewhere, so the slot is never handed to a later domain, takes its subtraction back, and
 * counts the unlock (per CPU, or on a fast domain with a row in the domain's hand-off count,
 * which the scans that read the words read), after which the domain may be closed and freed;
 * the entering thread's word keeps that section's lock. A scan reads a word below zero as zero: it is such an
 * unlock in progress, whose section that lock still covers. That keeps the rule that a slot goes
 * back to the pool only when every thread's words in it are zero: all tracked sections of a
 * closed domain have ended, and each thread's word is its own entries minus its own exits.
 */
#ifndef S4J_TRACK_H
#define S4J_TRACK_H

#include <stdint.h>

#include "arch.h"
#include "compiler.h"

#define S4J_TRACK_SLOTS 64
#define S4J_TRACK_CLAIMABLE (S4J_TRACK_SLOTS - 2)
#define S4J_TRACK_SINK_NET (S4J_TRACK_SLOTS - 2)
#define S4J_TRACK_SINK (S4J_TRACK_SLOTS - 1)
/* An unregistered thread's words: far enough below zero that no nesting reaches zero. */
#define S4J_TRACK_BIAS (-(1 << 30))

/* Exported, not part of the API: the per-thread words. */
extern __thread int32_t srcu4j_static_track[S4J_TRACK_SLOTS][2]
    __attribute__((tls_model("initial-exec")));

/* Returns 1 when word idx went below zero: not registered yet, a sink, or another flavor's
 * row; the caller then goes out of line. */
static inline int s4j_track_enter(intptr_t offset, uint32_t idx)
{
    return s4j_tls_word_inc(offset, idx);
}

/* Returns 1 when word idx went below zero: the caller then hands the unlock to
 * srcu4j_static_read_unlock_turned() (srcu.h). */
static inline int s4j_track_exit(intptr_t offset, uint32_t idx)
{
    return s4j_tls_word_dec(offset, idx);
}

#endif
