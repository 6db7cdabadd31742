// SPDX-License-Identifier: Apache-2.0
/* make bench-native: compiles and links only when srcu4j/inline.h offers the inline read side
 * bench_native.c uses (classic and fast pairs). */
#include "srcu4j/inline.h"

int main(void)
{
    struct s4j_srcu *ssp = 0;

    if (s4j_srcu_create(S4J_FLAVOR_FAST, &ssp) < 0)
        return 1;
    int32_t idx = s4j_inline_read_lock_fast(ssp);
    s4j_inline_read_unlock_fast(ssp, idx);
    idx = s4j_inline_read_lock(ssp);
    s4j_inline_read_unlock(ssp, idx);
    return 0;
}
