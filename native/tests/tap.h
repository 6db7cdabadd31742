// SPDX-License-Identifier: Apache-2.0
/*
 * Minimal TAP output for the C tests: ok/not ok/skip lines, a plan at the end, exit status 1 when
 * anything failed; sleep_ms(), and a watchdog that turns a hang into a failure. Header-only; each
 * test file is one program.
 */
#ifndef S4J_TAP_H
#define S4J_TAP_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int tap_run, tap_failed;

#define TAP_OK(cond, ...)                                                                   \
    do {                                                                                    \
        tap_run++;                                                                          \
        if (cond) {                                                                         \
            printf("ok %d - ", tap_run);                                                    \
        } else {                                                                            \
            tap_failed++;                                                                   \
            printf("not ok %d - ", tap_run);                                                \
        }                                                                                   \
        printf(__VA_ARGS__);                                                                \
        if (cond)                                                                           \
            printf("\n");                                                                   \
        else                                                                                \
            printf("  (%s:%d: %s)\n", __FILE__, __LINE__, #cond);                           \
        fflush(stdout);                                                                     \
    } while (0)

#define TAP_EQ(actual, expected, ...)                                                       \
    do {                                                                                    \
        long long tap_a = (long long)(actual), tap_e = (long long)(expected);               \
        TAP_OK(tap_a == tap_e, __VA_ARGS__);                                                \
        if (tap_a != tap_e)                                                                 \
            printf("#   got %lld, expected %lld\n", tap_a, tap_e);                          \
    } while (0)

/* A test this machine cannot run: counted as passed, with the reason (TAP's "# skip"). */
#define TAP_SKIP(...)                                                                       \
    do {                                                                                    \
        tap_run++;                                                                          \
        printf("ok %d # skip ", tap_run);                                                   \
        printf(__VA_ARGS__);                                                                \
        printf("\n");                                                                       \
        fflush(stdout);                                                                     \
    } while (0)

static inline void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

static const char *tap_watchdog_what __attribute__((unused));

static inline void tap_watchdog_fire(int sig)
{
    static const char before[] = "not ok - ", after[] = " hung (watchdog)\n";

    (void)sig;
    (void)!write(STDOUT_FILENO, before, sizeof(before) - 1);
    (void)!write(STDOUT_FILENO, tap_watchdog_what, strlen(tap_watchdog_what));
    (void)!write(STDOUT_FILENO, after, sizeof(after) - 1);
    _exit(1);
}

/* After seconds, prints "not ok - <what> hung (watchdog)" and exits 1; seconds 0 disarms. */
static inline void tap_watchdog(unsigned seconds, const char *what)
{
    struct sigaction sa = { .sa_handler = tap_watchdog_fire };

    tap_watchdog_what = what;
    sigaction(SIGALRM, &sa, NULL);
    alarm(seconds);
}

static inline int tap_done(void)
{
    printf("1..%d\n", tap_run);
    if (tap_failed)
        printf("# %d of %d failed\n", tap_failed, tap_run);
    return tap_failed ? 1 : 0;
}

#endif
