// SPDX-License-Identifier: Apache-2.0
/*
 * The probes' pure helpers: a repetition's median, the CPU lists the caller passes, loop sizing.
 * No system call and no libsrcu4j here, so test_stats.c checks them alone.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "study.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double study_median(double *v, int n)
{
    if (n <= 0)
        return NAN;
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double study_trimmed_mean(double *v, int n, double trim)
{
    if (n <= 0)
        return NAN;
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    int drop = (int)(trim * n);
    double sum = 0;
    for (int i = drop; i < n - drop; i++)
        sum += v[i];
    return sum / (n - 2 * drop);
}

/* A CPU number at *s: digits only, below 2^20 (CpuSet's bound); advances *s. -1 when none. */
static int read_cpu(const char **s)
{
    char *end;
    long v;

    if (**s < '0' || **s > '9')
        return -1;
    v = strtol(*s, &end, 10);
    if (v < 0 || v >= (1L << 20))
        return -1;
    *s = end;
    return (int)v;
}

int study_parse_pairs(const char *text, struct study_pair *pairs, int max, char *bad, int badlen)
{
    const char *s = text;
    int n = 0;

    while (*s) {
        const char *start = s;
        int a = read_cpu(&s), b = -1;

        if (a >= 0 && *s == ':') {
            s++;
            b = read_cpu(&s);
        }
        if (b < 0 || (*s && *s != ',') || n == max) {
            size_t len = strcspn(start, ",");
            snprintf(bad, (size_t)badlen, "%.*s%s", (int)len, start,
                     n == max && b >= 0 ? " (too many pairs)" : "");
            return -1;
        }
        pairs[n++] = (struct study_pair){ a, b };
        if (*s == ',')
            s++;
    }
    return n;
}

int study_parse_cpus(const char *text, int *cpus, int max)
{
    const char *s = text;
    int n = 0;

    while (*s) {
        int c = read_cpu(&s);
        if (c < 0 || (*s && *s != ',') || n == max)
            return -1;
        cpus[n++] = c;
        if (*s == ',')
            s++;
    }
    return n;
}

uint64_t study_iters(double est_ns_per_iter, double target_ns, uint64_t lo, uint64_t hi)
{
    /* No estimate: the shortest; a loop too fast to time: the longest. */
    if (isnan(est_ns_per_iter))
        return lo;
    double want = est_ns_per_iter > 0.01 ? target_ns / est_ns_per_iter : (double)hi;

    if (!(want >= (double)lo))
        return lo;
    return want > (double)hi ? hi : (uint64_t)want;
}
