// SPDX-License-Identifier: Apache-2.0
/* The version, capabilities, pinning and the current CPU. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "srcu4j/srcu4j.h"
#include "tap.h"

extern const unsigned int __rseq_size __attribute__((weak));

int main(void)
{
    struct s4j_capabilities caps;

    TAP_OK(s4j_version() != NULL && strcmp(s4j_version(), S4J_VERSION) == 0,
           "s4j_version() is the header's S4J_VERSION (%s)", S4J_VERSION);
    TAP_EQ(s4j_capabilities_get(NULL), -EINVAL, "capabilities_get(NULL) is refused");
    TAP_EQ(s4j_capabilities_get(&caps), 0, "capabilities_get fills the struct");
    TAP_OK(caps.possible_cpus >= caps.online_cpus && caps.online_cpus >= 1,
           "possible (%d) >= online (%d) >= 1", caps.possible_cpus, caps.online_cpus);
    int glibc_rseq = &__rseq_size != NULL && __rseq_size > 0;
    const char *env = getenv("SRCU4J_RSEQ");
    if (env && !strcmp(env, "off"))
        TAP_EQ(caps.rseq_mode, S4J_RSEQ_UNAVAILABLE, "SRCU4J_RSEQ=off selects the atomic path");
    else if (glibc_rseq)
        TAP_EQ(caps.rseq_mode, S4J_RSEQ_GLIBC, "glibc's rseq registration is adopted");
    else
        TAP_OK(caps.rseq_mode == S4J_RSEQ_OWN || caps.rseq_mode == S4J_RSEQ_UNAVAILABLE,
               "without glibc's registration: srcu4j's own, or none (%d)", caps.rseq_mode);
    TAP_OK(caps.membarrier == 0 || caps.membarrier == 1, "membarrier is a flag (%d)",
           caps.membarrier);
    static const char *const modes[] = { "unavailable", "glibc", "srcu4j" };
    printf("# possible=%d online=%d rseq=%s membarrier=%d\n", caps.possible_cpus,
           caps.online_cpus, modes[caps.rseq_mode], caps.membarrier);

    TAP_EQ(s4j_pin_current_thread(-1), -EINVAL, "pinning to CPU -1 is refused");
    TAP_EQ(s4j_pin_current_thread(caps.possible_cpus), -EINVAL,
           "pinning past the possible CPUs is refused");

    cpu_set_t allowed;
    sched_getaffinity(0, sizeof(allowed), &allowed);
    int pinned_ok = 1, tried = 0;
    for (int cpu = 0; cpu < caps.possible_cpus && cpu < CPU_SETSIZE; cpu++) {
        if (!CPU_ISSET(cpu, &allowed))
            continue;
        tried++;
        if (s4j_pin_current_thread(cpu) != 0) {
            pinned_ok = 0;
            continue;
        }
        /* The kernel moves a thread off a CPU it may no longer use before the call returns. */
        for (int i = 0; i < 1000; i++) {
            if (s4j_current_cpu() != cpu || sched_getcpu() != cpu) {
                pinned_ok = 0;
                printf("# pinned to %d, running on %d\n", cpu, s4j_current_cpu());
                break;
            }
        }
    }
    TAP_OK(tried > 0 && pinned_ok, "pinned to each allowed CPU (%d), and stays there", tried);
    TAP_EQ(s4j_unpin_current_thread(), 0, "unpin");
    cpu_set_t after;
    sched_getaffinity(0, sizeof(after), &after);
    cpu_set_t lost;
    CPU_AND(&lost, &allowed, &after);
    TAP_OK(CPU_EQUAL(&lost, &allowed), "unpin allows again every CPU allowed before pinning");
    return tap_done();
}
