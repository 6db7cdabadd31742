// SPDX-License-Identifier: Apache-2.0
/* The calling thread's affinity as a bit array, and pinning to a set. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>

#include "srcu4j/srcu4j.h"
#include "tap.h"

#define WORDS 64 /* 4096 CPUs: more than any machine these tests run on */

static int same_as_sched_getaffinity(const uint64_t *words, int32_t count)
{
    cpu_set_t set;
    int n = 0;

    if (sched_getaffinity(0, sizeof(set), &set) != 0)
        return 0;
    for (int cpu = 0; cpu < WORDS * 64; cpu++) {
        int bit = (int)(words[cpu / 64] >> (cpu % 64) & 1);
        int expected = cpu < CPU_SETSIZE && CPU_ISSET(cpu, &set);
        if (bit != expected) {
            printf("# cpu %d: bit %d, sched_getaffinity says %d\n", cpu, bit, expected);
            return 0;
        }
        n += bit;
    }
    return n == count;
}

int main(void)
{
    struct s4j_capabilities caps;
    uint64_t words[WORDS] = { 0 }, before[WORDS];

    s4j_capabilities_get(&caps);
    int32_t needed = (caps.possible_cpus + 63) / 64;

    TAP_EQ(s4j_current_thread_affinity(NULL, WORDS), -EINVAL, "affinity into NULL is refused");
    TAP_EQ(s4j_current_thread_affinity(words, 0), -EINVAL, "affinity into 0 words is refused");
    /* Only the words that cover the possible CPUs: the rest must stay as they are (zero). */
    int32_t count = s4j_current_thread_affinity(words, needed);
    TAP_OK(count >= 1 && count <= caps.possible_cpus, "affinity counts %d CPU(s) of %d possible",
           count, caps.possible_cpus);
    TAP_OK(same_as_sched_getaffinity(words, count), "affinity matches sched_getaffinity");
    memcpy(before, words, sizeof(words));

    int first = -1;
    for (int cpu = 0; cpu < needed * 64 && first < 0; cpu++)
        if (words[cpu / 64] >> (cpu % 64) & 1)
            first = cpu;

    uint64_t none[WORDS] = { 0 };
    TAP_EQ(s4j_pin_current_thread_to_set(NULL, 1), -EINVAL, "pinning to NULL is refused");
    TAP_EQ(s4j_pin_current_thread_to_set(none, WORDS), -EINVAL, "pinning to an empty set is refused");
    uint64_t beyond[WORDS] = { 0 };
    int past = caps.possible_cpus;
    beyond[past / 64] |= UINT64_C(1) << (past % 64);
    TAP_EQ(s4j_pin_current_thread_to_set(beyond, WORDS), -EINVAL,
           "pinning to CPU %d, past the possible CPUs, is refused", past);

    uint64_t one[WORDS] = { 0 };
    one[first / 64] |= UINT64_C(1) << (first % 64);
    TAP_EQ(s4j_pin_current_thread_to_set(one, WORDS), 0, "pin to the set {%d}", first);
    TAP_EQ(s4j_current_thread_affinity(words, WORDS), 1, "the affinity is now one CPU");
    TAP_OK(memcmp(words, one, sizeof(one)) == 0, "and it is CPU %d", first);
    TAP_EQ(sched_getcpu(), first, "the thread runs on CPU %d", first);

    TAP_EQ(s4j_pin_current_thread_to_set(before, needed), 0, "pin back to the whole former set");
    TAP_EQ(s4j_current_thread_affinity(words, WORDS), count, "the former count is back");
    TAP_OK(memcmp(words, before, sizeof(words)) == 0, "and so are the former CPUs");
    return tap_done();
}
