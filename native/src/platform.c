// SPDX-License-Identifier: Apache-2.0
/*
 * What the system offers, probed once: possible and online CPUs, glibc's rseq registration,
 * membarrier. Also CPU pinning and the current CPU.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <linux/membarrier.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/rseq.h>

#include "srcu4j/srcu4j.h"
#include "srcu4j/static/percpu.h"
#include "glibc_versions.h"

/*
 * glibc >= 2.35 registers an rseq area for every thread and exports where it sits and how large
 * it is (__rseq_offset, __rseq_size, defined by its dynamic loader); size 0 means it registered
 * none (kernel without rseq, or GLIBC_TUNABLES=glibc.pthread.rseq=0). They are looked up when
 * the platform is probed, not linked to: a reference would make the library need GLIBC_2.35
 * (glibc_versions.h). dlsym is weak: before glibc 2.34 it lives in libdl, which a process may
 * not have loaded, and such a glibc registers no rseq area anyway.
 */
#pragma weak dlsym

/* glibc's rseq area's offset from the thread pointer, when glibc registered one: 1, else 0. */
static int glibc_rseq_offset(ptrdiff_t *offset)
{
    if (!dlsym)
        return 0;
    const ptrdiff_t *at = dlsym(RTLD_DEFAULT, "__rseq_offset");
    const unsigned int *size = dlsym(RTLD_DEFAULT, "__rseq_size");

    if (!at || !size || *size == 0)
        return 0;
    *offset = *at;
    return 1;
}

S4J_EXPORT struct s4j_platform srcu4j_static_platform;
static pthread_once_t platform_once = PTHREAD_ONCE_INIT;

/*
 * srcu4j's own rseq area, used when glibc registered none. Initial-exec TLS, so its distance
 * from the thread pointer is the same in every thread and the read path finds it exactly as it
 * finds glibc's (thread pointer + rseq_offset). cpu_id starts at RSEQ_CPU_ID_UNINITIALIZED (-1),
 * which the rseq sequence treats as "not registered" and leaves to the registration slow path.
 * Without rseq in the process it still serves: an area nobody registers turns every sequence away.
 */
static __thread struct rseq own_rseq __attribute__((tls_model("initial-exec"), aligned(32))) = {
    .cpu_id = (uint32_t)RSEQ_CPU_ID_UNINITIALIZED,
};
static __thread int own_rseq_state __attribute__((tls_model("initial-exec"))); /* 1 ok, -1 failed */

static int register_own_rseq(void)
{
    if (syscall(__NR_rseq, &own_rseq, sizeof(own_rseq), 0, S4J_RSEQ_SIG) == 0)
        return 0;
    return -errno;
}

/* In S4J_RSEQ_OWN mode: registers the calling thread's rseq area; 0 when it is registered. */
static int register_current_thread(void)
{
    if (srcu4j_static_platform.rseq_mode != S4J_RSEQ_OWN || own_rseq_state < 0)
        return -ENOSYS;
    if (own_rseq_state == 0)
        own_rseq_state = register_own_rseq() == 0 ? 1 : -1;
    return own_rseq_state > 0 ? 0 : -EBUSY;
}

S4J_EXPORT int srcu4j_static_sched_getcpu(void)
{
    return sched_getcpu();
}

S4J_EXPORT void srcu4j_static_percpu_inc_slow(char *base, uint32_t ncpus)
{
    S4J_RSEQ_EVENT(S4J_RSEQ_SLOW);
    /* Without rseq in the process nobody adds plainly: any slot takes an atomic add. */
    if (srcu4j_static_platform.rseq_mode == S4J_RSEQ_UNAVAILABLE) {
        s4j_percpu_inc_atomic(base, ncpus);
        return;
    }
    /* This thread has no registration yet: make one (own mode) and retry, or use the shared
     * slot, which only ever sees atomic adds. */
    if (register_current_thread() == 0 &&
        s4j_percpu_try_inc(srcu4j_static_platform.rseq_offset, base, ncpus) == 0)
        return;
    __atomic_fetch_add(s4j_percpu_slot(base, ncpus), 1, __ATOMIC_RELAXED);
}

/* SRCU4J_RSEQ=off in the environment skips rseq altogether (tests of the atomic path). */
static int rseq_disabled_by_environment(void)
{
    const char *v = getenv("SRCU4J_RSEQ");
    return v && (!strcmp(v, "off") || !strcmp(v, "0") || !strcmp(v, "false"));
}

/*
 * Highest CPU number in a sysfs cpu list ("0-3,8,10-11") plus one; 0 when the text is not a
 * cpu list.
 */
static uint32_t cpu_list_count(const char *text)
{
    long highest = -1;
    const char *s = text;

    while (*s && *s != '\n') {
        char *end;
        long first = strtol(s, &end, 10);
        long last = first;

        if (end == s || first < 0)
            return 0;
        if (*end == '-') {
            s = end + 1;
            last = strtol(s, &end, 10);
            if (end == s || last < first)
                return 0;
        }
        if (last > highest)
            highest = last;
        s = end;
        if (*s == ',')
            s++;
        else if (*s && *s != '\n')
            return 0;
    }
    return highest < 0 ? 0 : (uint32_t)(highest + 1);
}

static uint32_t possible_cpus(void)
{
    char buf[4096];
    uint32_t n = 0;
    FILE *f = fopen("/sys/devices/system/cpu/possible", "re");

    if (f) {
        if (fgets(buf, sizeof(buf), f))
            n = cpu_list_count(buf);
        fclose(f);
    }
    if (n == 0) {
        /* No sysfs (some containers): the configured count is the next best upper bound. */
        long conf = sysconf(_SC_NPROCESSORS_CONF);
        n = conf > 0 ? (uint32_t)conf : 1;
    }
    return n;
}

static int membarrier_private_expedited(void)
{
    long cmds = syscall(__NR_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);

    return cmds >= 0 && (cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED) ? 1 : 0;
}

static void platform_probe(void)
{
    struct s4j_platform p = { 0 };

    p.possible_cpus = possible_cpus();
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    p.online_cpus = online > 0 ? (int32_t)online : 1;
    p.membarrier = membarrier_private_expedited();
    p.rseq_mode = S4J_RSEQ_UNAVAILABLE;
    /* Until a mode below is chosen: srcu4j's own area, which stays unregistered, so every rseq
     * sequence is turned away to the slow path (see srcu4j/static/percpu.h). */
    p.rseq_offset = (char *)&own_rseq - (char *)__builtin_thread_pointer();
    if (rseq_disabled_by_environment()) {
        /* atomic path */
    } else if (glibc_rseq_offset(&p.rseq_offset)) {
        p.rseq_mode = S4J_RSEQ_GLIBC;
    } else if (register_own_rseq() == 0) {
        /* The kernel has rseq and nobody registered this thread: register every thread that
         * needs it ourselves, lazily, on its first per-CPU increment. */
        own_rseq_state = 1;
        p.rseq_offset = (char *)&own_rseq - (char *)__builtin_thread_pointer();
        p.rseq_mode = S4J_RSEQ_OWN;
    }
    srcu4j_static_platform = p;
}

const struct s4j_platform *s4j_platform_init(void)
{
    /* pthread_once orders the probe's stores before any caller's return from here. */
    pthread_once(&platform_once, platform_probe);
    return &srcu4j_static_platform;
}

S4J_EXPORT int32_t s4j_capabilities_get(struct s4j_capabilities *caps)
{
    if (!caps)
        return -EINVAL;
    const struct s4j_platform *p = s4j_platform_init();
    caps->possible_cpus = (int32_t)p->possible_cpus;
    caps->online_cpus = p->online_cpus;
    caps->rseq_mode = p->rseq_mode;
    caps->membarrier = p->membarrier;
    return 0;
}

S4J_EXPORT int32_t s4j_pin_current_thread(int32_t cpu)
{
    const struct s4j_platform *p = s4j_platform_init();

    if (cpu < 0 || (uint32_t)cpu >= p->possible_cpus)
        return -EINVAL;
    cpu_set_t *set = CPU_ALLOC(p->possible_cpus);
    size_t size = CPU_ALLOC_SIZE(p->possible_cpus);
    if (!set)
        return -ENOMEM;
    CPU_ZERO_S(size, set);
    CPU_SET_S((size_t)cpu, size, set);
    int rc = sched_setaffinity(0, size, set) ? -errno : 0;
    CPU_FREE(set);
    return rc;
}

S4J_EXPORT int32_t s4j_unpin_current_thread(void)
{
    const struct s4j_platform *p = s4j_platform_init();
    cpu_set_t *set = CPU_ALLOC(p->possible_cpus);
    size_t size = CPU_ALLOC_SIZE(p->possible_cpus);

    if (!set)
        return -ENOMEM;
    CPU_ZERO_S(size, set);
    for (uint32_t cpu = 0; cpu < p->possible_cpus; cpu++)
        CPU_SET_S(cpu, size, set);
    /* The kernel intersects the mask with the CPUs the cgroup allows and that are online. */
    int rc = sched_setaffinity(0, size, set) ? -errno : 0;
    CPU_FREE(set);
    return rc;
}

S4J_EXPORT int32_t s4j_current_cpu(void)
{
    const struct s4j_platform *p = s4j_platform_init();

    if (p->rseq_mode != S4J_RSEQ_UNAVAILABLE) {
        int32_t cpu = (int32_t)S4J_READ_ONCE(s4j_rseq_area()->cpu_id);
        if (cpu >= 0)
            return cpu;
    }
    int cpu = sched_getcpu();
    return cpu >= 0 ? cpu : -errno;
}
