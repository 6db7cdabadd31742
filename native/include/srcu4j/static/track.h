// SPDX-License-Identifier: Apache-2.0
/*
 * Per-thread section tracking: how deep the calling thread is in read_lock sections of each
 * tracked domain, so that synchronize can refuse (-EDEADLK) to wait for its own caller.
 *
 * Each domain owns one slot of a per-thread table (initial-exec TLS, so the slot sits at the
 * same distance from the thread pointer in every thread; the domain stores that distance). A
 * domain created while every slot is taken shares the last slot, the sink, which nobody reads:
 * its sections are counted but not checked. Enter adds one to the slot and exit subtracts one
 * (arch.h's s4j_tls_depth_*), on a single word, so a signal handler that runs whole sections in
 * the middle of an interrupted update leaves the word as it found it.
 *
 * A depth below zero at exit means a section was ended in another thread than the one that
 * entered it (sections that do so must use down_read/up_read). The unlock then goes out of line
 * (srcu4j_static_read_unlock_unbalanced): it resets this thread's depth and marks the domain's
 * slot as holding a stale depth elsewhere, so the slot is never handed to a later domain, and
 * only then counts the unlock, after which the domain may be closed and freed. That keeps the
 * rule that a slot goes back to the pool only when every thread's depth in it is zero: all
 * tracked sections of a closed domain have ended, and each thread's depth is its own entries
 * minus its own exits, never negative.
 */
#ifndef S4J_TRACK_H
#define S4J_TRACK_H

#include <stdint.h>

#include "arch.h"
#include "compiler.h"

#define S4J_TRACK_SLOTS 64
#define S4J_TRACK_SINK (S4J_TRACK_SLOTS - 1)

/* Exported, not part of the API: the per-thread depths (slot S4J_TRACK_SINK is the sink). */
extern __thread int32_t srcu4j_static_track[S4J_TRACK_SLOTS]
    __attribute__((tls_model("initial-exec")));

/* The calling thread's depth word of the slot at thread-pointer offset `offset`. */
static inline int32_t *s4j_track_word(intptr_t offset)
{
    return (int32_t *)((char *)__builtin_thread_pointer() + offset);
}

static inline void s4j_track_enter(intptr_t offset)
{
    s4j_tls_depth_inc(offset);
}

/* Returns 1 when the depth went below zero: the caller then hands the unlock to
 * srcu4j_static_read_unlock_unbalanced() (srcu.h). */
static inline int s4j_track_exit(intptr_t offset)
{
    return s4j_tls_depth_dec(offset);
}

#endif
