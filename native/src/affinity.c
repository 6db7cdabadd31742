// SPDX-License-Identifier: Apache-2.0
/*
 * The calling thread's CPU affinity as a plain bit array, both ways: read it (for the topology
 * snapshot's "allowed CPUs") and pin to a set. The bit array is uint64_t words, bit (cpu % 64) of
 * word (cpu / 64), so callers need neither cpu_set_t nor its size rules.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdint.h>

#include "srcu4j/srcu4j.h"
#include "srcu4j/static/percpu.h"

/* Far beyond any NR_CPUS a kernel is built with; bounds the retry on EINVAL below. */
#define AFFINITY_MAX_CPUS (1u << 20)

S4J_EXPORT int32_t s4j_current_thread_affinity(uint64_t *words, int32_t nwords)
{
    if (!words || nwords <= 0)
        return -EINVAL;
    const struct s4j_platform *p = s4j_platform_init();
    /* The kernel refuses (EINVAL) a mask shorter than its own nr_cpu_ids; "possible" normally
     * equals that, but the sysconf fallback may not, so grow until the kernel accepts. */
    uint32_t ncpus = p->possible_cpus > 64 ? p->possible_cpus : 64;
    for (;;) {
        cpu_set_t *set = CPU_ALLOC(ncpus);
        size_t size = CPU_ALLOC_SIZE(ncpus);
        if (!set)
            return -ENOMEM;
        CPU_ZERO_S(size, set);
        if (sched_getaffinity(0, size, set) != 0) {
            int err = errno;
            CPU_FREE(set);
            if (err == EINVAL && ncpus < AFFINITY_MAX_CPUS) {
                ncpus *= 2;
                continue;
            }
            return -err;
        }
        int32_t count = 0;
        for (int32_t w = 0; w < nwords; w++)
            words[w] = 0;
        for (uint32_t cpu = 0; cpu < size * 8; cpu++) {
            if (!CPU_ISSET_S(cpu, size, set))
                continue;
            if (cpu / 64 >= (uint32_t)nwords) {
                CPU_FREE(set);
                return -ERANGE;
            }
            words[cpu / 64] |= UINT64_C(1) << (cpu % 64);
            count++;
        }
        CPU_FREE(set);
        return count;
    }
}

S4J_EXPORT int32_t s4j_pin_current_thread_to_set(const uint64_t *words, int32_t nwords)
{
    if (!words || nwords <= 0)
        return -EINVAL;
    const struct s4j_platform *p = s4j_platform_init();
    cpu_set_t *set = CPU_ALLOC(p->possible_cpus);
    size_t size = CPU_ALLOC_SIZE(p->possible_cpus);
    int32_t count = 0;

    if (!set)
        return -ENOMEM;
    CPU_ZERO_S(size, set);
    for (uint64_t cpu = 0; cpu < (uint64_t)nwords * 64; cpu++) {
        if (!(words[cpu / 64] >> (cpu % 64) & 1))
            continue;
        /* A bit past the possible CPUs names no CPU: refuse rather than drop it silently. */
        if (cpu >= p->possible_cpus) {
            CPU_FREE(set);
            return -EINVAL;
        }
        CPU_SET_S(cpu, size, set);
        count++;
    }
    /* An empty set would be refused by the kernel too, with the same errno. */
    int rc = count == 0 ? -EINVAL : sched_setaffinity(0, size, set) ? -errno : 0;
    CPU_FREE(set);
    return rc;
}
