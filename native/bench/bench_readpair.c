// SPDX-License-Identifier: Apache-2.0
/*
 * The fast inline read pairs, srcu4j's (srcu4j/inline.h) and urcu-memb's (_LGPL_SOURCE), compiled
 * twice by mk/bench.mk: once with -fPIE, as liburcu's own benchmark programs are built (an
 * executable: liburcu's reader state, a TLS variable of its library, is reached through the
 * initial-exec model), and once with -fPIC, as the rest of bench_native (the general-dynamic
 * model: a __tls_get_addr call per access). srcu4j's read side reaches its thread-local words
 * through offsets from the thread pointer that the domain keeps, so it compiles the same either
 * way. READPAIR_BUILD names the build: the functions are readpair_<build>_s4j_fast and
 * readpair_<build>_urcu_memb (bench.h). Each loop is aligned to 64 bytes: where a loop falls
 * relative to the fetch blocks changes urcu-memb's pair by up to 1.5x on the 2-CPU host, and the
 * alignment makes that the same run after run.
 */
#define _LGPL_SOURCE
#define _GNU_SOURCE
#include <stdint.h>

#include "srcu4j/inline.h"
#ifdef BENCH_URCU
# include <urcu/urcu-memb.h>
#endif
#include "bench.h"

#ifndef READPAIR_BUILD
# error "mk/bench.mk defines READPAIR_BUILD (pie or pic)"
#endif
#define READPAIR_CAT(a, b, c) a##b##c
#define READPAIR_NAME(a, b, c) READPAIR_CAT(a, b, c)
#define READPAIR_FN(what) READPAIR_NAME(readpair_, READPAIR_BUILD, _##what)

__attribute__((noinline, aligned(64))) void READPAIR_FN(s4j_fast)(void *arg, uint64_t iters)
{
    struct s4j_srcu *ssp = arg;

    for (uint64_t i = 0; i < iters; i++) {
        int32_t idx = s4j_inline_read_lock_fast(ssp);
        s4j_inline_read_unlock_fast(ssp, idx);
    }
}

#ifdef BENCH_URCU
__attribute__((noinline, aligned(64))) void READPAIR_FN(urcu_memb)(void *arg, uint64_t iters)
{
    (void)arg;
    for (uint64_t i = 0; i < iters; i++) {
        urcu_memb_read_lock();
        urcu_memb_read_unlock();
    }
}
#endif
