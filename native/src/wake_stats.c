// SPDX-License-Identifier: Apache-2.0
/* s4j_wake_stats_get(): the counters of wake_stats.h, copied out. */
#include <errno.h>

#include "srcu4j/srcu4j.h"
#include "srcu4j/static/compiler.h"
#include "wake_stats.h"

/* One line of their own: only slow paths write them, but they should not share a hot line. */
uint64_t s4j_wake_counters[S4J_COUNT_MAX] __attribute__((aligned(S4J_CACHE_LINE)));

S4J_EXPORT int32_t s4j_wake_stats_get(struct s4j_wake_stats *stats)
{
    if (!stats)
        return -EINVAL;
    stats->callback_wakeups = S4J_READ_ONCE(s4j_wake_counters[S4J_COUNT_CALLBACK_WAKEUPS]);
    stats->callback_parks = S4J_READ_ONCE(s4j_wake_counters[S4J_COUNT_CALLBACK_PARKS]);
    stats->defer_wakeups = S4J_READ_ONCE(s4j_wake_counters[S4J_COUNT_DEFER_WAKEUPS]);
    stats->defer_parks = S4J_READ_ONCE(s4j_wake_counters[S4J_COUNT_DEFER_PARKS]);
    return 0;
}
