// SPDX-License-Identifier: Apache-2.0
/*
 * membarrier(2) for the fast flavor: MEMBARRIER_CMD_PRIVATE_EXPEDITED makes every CPU that runs
 * a thread of this process execute a full barrier before the call returns, which is how fast
 * readers (compiler barriers only) get ordered against the grace period.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/membarrier.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "srcu4j/srcu4j.h"
#include "srcu4j/static/compiler.h"
#include "membarrier.h"
#include "glibc_versions.h"

static pthread_once_t register_once = PTHREAD_ONCE_INIT;
static int registered_rc = -ENOSYS;

static void register_private_expedited(void)
{
    /* Registration is per process and permanent; needed once before the first expedited call. */
    if (syscall(__NR_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0)
        registered_rc = 0;
    else
        registered_rc = -errno;
}

int s4j_membarrier_register(void)
{
    pthread_once(&register_once, register_private_expedited);
    return registered_rc;
}

/* Calls made, for s4j_membarrier_count(). Relaxed: it orders nothing, and the system call
 * beside it costs a thousand times more. A line of its own, as the wake counters have. */
static uint64_t calls __attribute__((aligned(S4J_CACHE_LINE)));

void s4j_membarrier(void)
{
    if (syscall(__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) != 0) {
        /* Only fast domains call this, and they exist only after a successful registration:
         * a failure here means the kernel broke its promise, and no grace period is safe. */
        fprintf(stderr, "srcu4j: membarrier(PRIVATE_EXPEDITED) failed (errno %d)\n", errno);
        abort();
    }
    __atomic_fetch_add(&calls, 1, __ATOMIC_RELAXED);
}

S4J_EXPORT uint64_t s4j_membarrier_count(void)
{
    return __atomic_load_n(&calls, __ATOMIC_RELAXED);
}
