// SPDX-License-Identifier: Apache-2.0
/*
 * srcu4j/inline.h: the read side inline, for C callers that recompile with each release of
 * libsrcu4j. They then depend on its internal layout (srcu4j/static/), as liburcu's _LGPL_SOURCE
 * mode does, and save the two calls per read section. Each function behaves exactly as the
 * exported one of the same name without "inline_" in srcu4j.h; sections entered inline may be
 * left through the exported functions and the other way round.
 */
#ifndef SRCU4J_INLINE_H
#define SRCU4J_INLINE_H

#include "srcu4j/srcu4j.h"
#include "srcu4j/static/srcu.h"

static inline int32_t s4j_inline_read_lock(struct s4j_srcu *ssp)
{
    return s4j_static_read_lock(ssp, S4J_FLAVOR_CLASSIC);
}

static inline void s4j_inline_read_unlock(struct s4j_srcu *ssp, int32_t idx)
{
    s4j_static_read_unlock(ssp, S4J_FLAVOR_CLASSIC, idx);
}

static inline int32_t s4j_inline_read_lock_fast(struct s4j_srcu *ssp)
{
    return s4j_static_read_lock(ssp, S4J_FLAVOR_FAST);
}

static inline void s4j_inline_read_unlock_fast(struct s4j_srcu *ssp, int32_t idx)
{
    s4j_static_read_unlock(ssp, S4J_FLAVOR_FAST, idx);
}

static inline int32_t s4j_inline_read_lock_signal_safe(struct s4j_srcu *ssp)
{
    return s4j_static_read_lock(ssp, S4J_FLAVOR_SIGNAL_SAFE);
}

static inline void s4j_inline_read_unlock_signal_safe(struct s4j_srcu *ssp, int32_t idx)
{
    s4j_static_read_unlock(ssp, S4J_FLAVOR_SIGNAL_SAFE, idx);
}

#endif
