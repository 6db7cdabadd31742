// SPDX-License-Identifier: Apache-2.0
/*
 * A callback worker runs with the signal mask of the thread that loaded the library, whoever
 * starts it. The test runs itself again with SIGUSR2 blocked (a mask survives exec, so the
 * library loads under it); a thread that blocks every signal then starts the only worker
 * (SRCU4J_CALLBACK_WORKERS=1) with s4j_srcu_barrier(). A callback on that worker finds SIGUSR2
 * blocked and SIGUSR1 not, and the starting thread has its own mask back.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "srcu4j/srcu4j.h"
#include "tap.h"

#define LOADED_MASKED "loaded-with-SIGUSR2-blocked"

static struct s4j_srcu *ssp;
static struct s4j_srcu_head head;
static sigset_t worker_mask;

static void record_mask(struct s4j_srcu_head *h)
{
    pthread_sigmask(SIG_SETMASK, NULL, &worker_mask);
}

static void *starter(void *arg)
{
    sigset_t all, after;

    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, NULL);
    TAP_EQ(s4j_srcu_barrier(ssp), 0, "a thread that blocks every signal starts the worker");
    TAP_EQ(s4j_call_srcu(ssp, &head, record_mask), 0, "a callback queued");
    TAP_EQ(s4j_srcu_barrier(ssp), 0, "and run");
    pthread_sigmask(SIG_SETMASK, NULL, &after);
    TAP_OK(sigismember(&after, SIGUSR1) && sigismember(&after, SIGTERM),
           "the starting thread's mask is its own again");
    return arg;
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], LOADED_MASKED) != 0) {
        sigset_t usr2;

        sigemptyset(&usr2);
        sigaddset(&usr2, SIGUSR2);
        sigprocmask(SIG_BLOCK, &usr2, NULL);
        setenv("SRCU4J_CALLBACK_WORKERS", "1", 1);
        execl("/proc/self/exe", argv[0], LOADED_MASKED, (char *)NULL);
        TAP_OK(0, "runs itself again with SIGUSR2 blocked: exec failed: %s", strerror(errno));
        return 1;
    }
    tap_watchdog(60, "a worker started by a thread that blocks every signal");

    sigset_t loaded;
    pthread_sigmask(SIG_SETMASK, NULL, &loaded);
    TAP_OK(sigismember(&loaded, SIGUSR2) && !sigismember(&loaded, SIGUSR1),
           "the library was loaded with SIGUSR2 blocked, SIGUSR1 not");
    TAP_EQ(s4j_srcu_create(S4J_FLAVOR_CLASSIC, &ssp), S4J_CREATED, "a domain");

    pthread_t t;
    pthread_create(&t, NULL, starter, NULL);
    pthread_join(t, NULL);
    TAP_OK(!sigismember(&worker_mask, SIGUSR1), "the worker does not block SIGUSR1 (the starter did)");
    TAP_OK(sigismember(&worker_mask, SIGUSR2), "the worker blocks SIGUSR2 (the loading thread did)");

    TAP_EQ(s4j_srcu_close(ssp), 0, "closed");
    TAP_EQ(s4j_srcu_free(ssp), 0, "freed");
    tap_watchdog(0, "");
    return tap_done();
}
