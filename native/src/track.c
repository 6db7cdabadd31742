// SPDX-License-Identifier: Apache-2.0
/*
 * Per-thread section tracking, the updater's half: which domain owns which slot of the per-thread
 * depth table (srcu4j/static/track.h has the reader's half and the rules), and the checks
 * synchronize makes.
 */
#include <stdint.h>

#include "srcu4j/static/track.h"
#include "srcu_internal.h"

S4J_EXPORT __thread int32_t srcu4j_static_track[S4J_TRACK_SLOTS]
    __attribute__((tls_model("initial-exec")));

/* Bit i: slot i belongs to a live domain, or holds a stale depth in some thread. The sink's bit
 * is never set: every domain may share it. */
static uint64_t slots_taken;

uint32_t s4j_track_claim(void)
{
    uint64_t taken = __atomic_load_n(&slots_taken, __ATOMIC_RELAXED);
    const uint64_t usable = (1ull << S4J_TRACK_SINK) - 1;

    /* Retries only when another domain claimed or released a slot in between. */
    while ((taken & usable) != usable) {
        uint32_t slot = (uint32_t)__builtin_ctzll(~taken);
        if (__atomic_compare_exchange_n(&slots_taken, &taken, taken | (1ull << slot), 0,
                                        __ATOMIC_RELAXED, __ATOMIC_RELAXED))
            return slot;
    }
    return S4J_TRACK_SINK;
}

intptr_t s4j_track_offset(uint32_t slot)
{
    /* The same in every thread: initial-exec TLS lies at a fixed distance from the thread
     * pointer. */
    return (char *)&srcu4j_static_track[slot] - (char *)__builtin_thread_pointer();
}

void s4j_track_release(const struct s4j_srcu *ssp)
{
    /* A slot some thread may still hold a stale depth in stays taken for good. The flag is
     * stored before the unlock that ended the section is counted, and that count is ordered
     * after it by the unlock's [C] ([Z], completed by [X], on fast domains). The close that let
     * us free the domain saw the count in s4j_srcu_readers_active() and then executed [A] (or
     * [X]), so its later loads see the flag, and this load follows that close through the
     * release/acquire of DONE [T], or in program order: a relaxed load suffices.
     * (litmus: A-C.mp, X-Y.mp, T.handback) */
    if (ssp->track_slot != S4J_TRACK_SINK && !__atomic_load_n(&ssp->track_stale, __ATOMIC_RELAXED))
        __atomic_fetch_and(&slots_taken, ~(1ull << ssp->track_slot), __ATOMIC_RELAXED);
}

int s4j_track_inside(const struct s4j_srcu *ssp)
{
    return ssp->track_slot != S4J_TRACK_SINK && *s4j_track_word(ssp->r.track_offset) > 0;
}

void s4j_track_unbalanced(struct s4j_srcu *ssp)
{
    *s4j_track_word(ssp->r.track_offset) = 0;
    /* Ordered before the unlock's count by [C]/[Z]: see s4j_track_release(). */
    if (ssp->track_slot != S4J_TRACK_SINK)
        __atomic_store_n(&ssp->track_stale, 1, __ATOMIC_RELAXED);
}
