// SPDX-License-Identifier: Apache-2.0
/* The probes' pure helpers (stats.c): medians, trimmed means, the CPU lists, loop sizing. */
#include <math.h>
#include <string.h>

#include "../tests/tap.h"
#include "study.h"

int main(void)
{
    double odd[] = { 5, 1, 9, 3, 7 };
    TAP_OK(study_median(odd, 5) == 5, "median of an odd count is the middle value");
    double even[] = { 4, 1, 3, 2 };
    TAP_OK(study_median(even, 4) == 2.5, "median of an even count is the mean of the middle two");
    TAP_OK(isnan(study_median(even, 0)), "median of nothing is NaN");
    double one[] = { 42 };
    TAP_OK(study_median(one, 1) == 42, "median of one value is that value");

    double tails[] = { 1000, 10, 10, 10, 10, 10, 10, 10, 10, -1000 };
    TAP_OK(study_trimmed_mean(tails, 10, 0.1) == 10, "trimmed mean leaves out 10 %% at each end");
    double plain[] = { 1, 2, 3, 6 };
    TAP_OK(study_trimmed_mean(plain, 4, 0.1) == 3, "trimmed mean of 4 values trims none at 10 %%");
    TAP_OK(isnan(study_trimmed_mean(plain, 0, 0.1)), "trimmed mean of nothing is NaN");

    struct study_pair p[4];
    char bad[64] = "";
    TAP_EQ(study_parse_pairs("0:1,2:3,10:200", p, 4, bad, sizeof(bad)), 3, "three pairs parse");
    TAP_OK(p[0].a == 0 && p[0].b == 1 && p[2].a == 10 && p[2].b == 200, "pairs keep their order");
    TAP_EQ(study_parse_pairs("0:1,2-3", p, 4, bad, sizeof(bad)), -1, "a pair without ':' is refused");
    TAP_OK(!strcmp(bad, "2-3"), "the refused token is named (%s)", bad);
    TAP_EQ(study_parse_pairs("0:1,2:", p, 4, bad, sizeof(bad)), -1, "a pair missing its second CPU is refused");
    TAP_EQ(study_parse_pairs("0:1,1:2,2:3,3:4,4:5", p, 4, bad, sizeof(bad)), -1, "more pairs than room are refused");
    TAP_OK(strstr(bad, "too many") != NULL, "and the reason says so (%s)", bad);
    TAP_EQ(study_parse_pairs("", p, 4, bad, sizeof(bad)), 0, "an empty list is no pair");
    TAP_EQ(study_parse_pairs("-1:2", p, 4, bad, sizeof(bad)), -1, "a negative CPU is refused");
    TAP_EQ(study_parse_pairs("1048576:0", p, 4, bad, sizeof(bad)), -1, "a CPU above 2^20 - 1 is refused");

    int cpus[3];
    TAP_EQ(study_parse_cpus("3,1,7", cpus, 3), 3, "three CPUs parse");
    TAP_OK(cpus[0] == 3 && cpus[1] == 1 && cpus[2] == 7, "CPUs keep their order");
    TAP_EQ(study_parse_cpus("3,,1", cpus, 3), -1, "an empty CPU is refused");
    TAP_EQ(study_parse_cpus("1,2,3,4", cpus, 3), -1, "more CPUs than room are refused");
    TAP_EQ(study_parse_cpus("x", cpus, 3), -1, "a word is refused");

    TAP_EQ(study_iters(2.0, 1e6, 10, 1000000), 500000, "iterations fill the target time");
    TAP_EQ(study_iters(2.0, 1e6, 10, 1000), 1000, "iterations stop at the upper bound");
    TAP_EQ(study_iters(1e9, 1e6, 10, 1000), 10, "iterations start at the lower bound");
    TAP_EQ(study_iters(0, 1e6, 10, 1000), 1000, "an unmeasurably fast loop takes the upper bound");
    TAP_EQ(study_iters(NAN, 1e6, 10, 1000), 10, "a NaN estimate takes the lower bound");

    return tap_done();
}
