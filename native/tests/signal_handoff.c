// SPDX-License-Identifier: Apache-2.0
/*
 * Test-only shared library for the Java tests (libs4jtest_signal_handoff.so, never part of
 * libsrcu4j): native code in a signal handler hands work to Java through s4j_defer.
 *
 * s4j_test_defer_from_signal() installs a handler for a real-time signal the JVM does not use,
 * sends that signal to the calling thread (delivered before pthread_kill returns, as it is not
 * blocked) and restores the previous handler. The handler calls defer(head, func): the caller
 * passes s4j_defer's address, so this library needs no link to libsrcu4j and uses the very copy
 * the JVM loaded. Returns the handler's s4j_defer result, or -EIO when the handler did not run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>

#include "srcu4j/srcu4j.h"

typedef int32_t (*defer_fn)(struct s4j_srcu_head *head, s4j_srcu_callback_fn func);

static struct s4j_srcu_head *pending_head;
static s4j_srcu_callback_fn pending_func;
static defer_fn pending_defer;
static volatile sig_atomic_t handler_ran;
static int32_t handler_rc;

static void on_signal(int sig)
{
    int saved = errno;

    (void)sig;
    handler_rc = pending_defer(pending_head, pending_func);
    handler_ran = 1;
    errno = saved;
}

__attribute__((visibility("default"))) int32_t
s4j_test_defer_from_signal(struct s4j_srcu_head *head, s4j_srcu_callback_fn func, defer_fn defer)
{
    struct sigaction sa, old;
    int sig = SIGRTMIN + 2;

    if (!head || !func || !defer)
        return -EINVAL;
    pending_head = head;
    pending_func = func;
    pending_defer = defer;
    handler_ran = 0;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    if (sigaction(sig, &sa, &old) != 0)
        return -errno;
    int rc = pthread_kill(pthread_self(), sig);
    sigaction(sig, &old, NULL);
    if (rc != 0)
        return -rc;
    return handler_ran ? handler_rc : -EIO;
}
