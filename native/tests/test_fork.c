// SPDX-License-Identifier: Apache-2.0
/*
 * fork(): a domain inherited by the child has no pool worker there. The calls that need it refuse
 * with -ESRCH instead of queueing work nobody runs or waiting forever; read sections and grace
 * periods, which need no worker, keep working; a domain the child creates is whole; the parent's
 * domain is untouched.
 *
 * The child reports each result through a pipe and the parent checks them, so the TAP lines
 * stay in one process; an alarm in the child turns a hang into a missing report.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include "srcu4j/srcu4j.h"
#include "tap.h"

enum {
    CALL_SRCU, BARRIER, CLOSE_START, CLOSE_POLL, CLOSE, FREE,
    READERS_INSIDE, READERS_AFTER, SYNCHRONIZE, SYNCHRONIZE_EXPEDITED,
    START_POLL_RAN, ADVANCE, POLL_AFTER_ADVANCE,
    NEW_CREATE, NEW_START_POLL, NEW_CALL_SRCU, NEW_BARRIER, NEW_RAN, NEW_CLOSE, NEW_FREE,
    RESULTS
};

/* What the child must have got, result by result. */
static const struct {
    int result;
    int64_t value;
    const char *what;
} expected[] = {
    { CALL_SRCU, -ESRCH, "call_srcu on an inherited domain" },
    { BARRIER, -ESRCH, "barrier" },
    { CLOSE_START, -ESRCH, "close_start" },
    { CLOSE_POLL, -ESRCH, "close_poll" },
    { CLOSE, -ESRCH, "close" },
    { FREE, -ESRCH, "free leaves the parent's copy alone" },
    { READERS_INSIDE, 1, "a read section is counted" },
    { READERS_AFTER, 0, "and ends" },
    { SYNCHRONIZE, 0, "synchronize" },
    { SYNCHRONIZE_EXPEDITED, 0, "synchronize_expedited" },
    { START_POLL_RAN, 0, "start_poll starts no grace period" },
    { ADVANCE, 1, "advance drives its cookie" },
    { POLL_AFTER_ADVANCE, 1, "poll_state sees it ended" },
    { NEW_CREATE, 0, "create a domain of its own" },
    { NEW_START_POLL, 1, "start_poll's grace period on it ends, the pool starting anew" },
    { NEW_CALL_SRCU, 0, "call_srcu on it" },
    { NEW_BARRIER, 0, "barrier on it" },
    { NEW_RAN, 1, "its callback ran, the inherited domain's did not" },
    { NEW_CLOSE, 0, "close it" },
    { NEW_FREE, 0, "free it" },
};

static int ran;
static struct s4j_srcu_head head, new_head;

static void count_run(struct s4j_srcu_head *h)
{
    __atomic_fetch_add(&ran, 1, __ATOMIC_RELAXED);
}

static void child(struct s4j_srcu *ssp, int out)
{
    int64_t r[RESULTS];

    alarm(20);
    r[CALL_SRCU] = s4j_call_srcu(ssp, &head, count_run);
    r[BARRIER] = s4j_srcu_barrier(ssp);
    r[CLOSE_START] = s4j_srcu_close_start(ssp);
    r[CLOSE_POLL] = s4j_srcu_close_poll(ssp);
    r[CLOSE] = s4j_srcu_close(ssp);
    r[FREE] = s4j_srcu_free(ssp);

    int32_t idx = s4j_srcu_read_lock(ssp);
    r[READERS_INSIDE] = s4j_srcu_readers_active(ssp);
    s4j_srcu_read_unlock(ssp, idx);
    r[READERS_AFTER] = s4j_srcu_readers_active(ssp);
    r[SYNCHRONIZE] = s4j_srcu_synchronize(ssp);
    r[SYNCHRONIZE_EXPEDITED] = s4j_srcu_synchronize_expedited(ssp);
    uint64_t cookie = s4j_srcu_start_poll(ssp);
    sleep_ms(20);
    r[START_POLL_RAN] = s4j_srcu_poll_state(ssp, cookie);
    r[ADVANCE] = s4j_srcu_advance(ssp, cookie);
    r[POLL_AFTER_ADVANCE] = s4j_srcu_poll_state(ssp, cookie);

    struct s4j_srcu *fresh;
    r[NEW_CREATE] = s4j_srcu_create(S4J_FLAVOR_CLASSIC, &fresh);
    uint64_t fresh_cookie = s4j_srcu_start_poll(fresh);
    for (int i = 0; i < 10000 && !s4j_srcu_poll_state(fresh, fresh_cookie); i++)
        sleep_ms(1);
    r[NEW_START_POLL] = s4j_srcu_poll_state(fresh, fresh_cookie);
    r[NEW_CALL_SRCU] = s4j_call_srcu(fresh, &new_head, count_run);
    r[NEW_BARRIER] = s4j_srcu_barrier(fresh);
    r[NEW_RAN] = __atomic_load_n(&ran, __ATOMIC_RELAXED);
    r[NEW_CLOSE] = s4j_srcu_close(fresh);
    r[NEW_FREE] = s4j_srcu_free(fresh);
    _exit(write(out, r, sizeof(r)) == (ssize_t)sizeof(r) ? 0 : 1);
}

static void test_inherited_domain(void)
{
    struct s4j_srcu *ssp;
    int fds[2];
    int64_t r[RESULTS];

    s4j_srcu_create(S4J_FLAVOR_CLASSIC, &ssp);
    /* The parent's pool has run it, so the child inherits a domain in full use and a pool whose
     * workers it does not have. */
    s4j_call_srcu(ssp, &head, count_run);
    s4j_srcu_barrier(ssp);
    __atomic_store_n(&ran, 0, __ATOMIC_RELAXED);
    if (pipe(fds) != 0) {
        TAP_OK(0, "pipe");
        return;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        child(ssp, fds[1]);
    }
    close(fds[1]);
    ssize_t got = read(fds[0], r, sizeof(r));
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    TAP_OK(got == (ssize_t)sizeof(r) && WIFEXITED(status) && WEXITSTATUS(status) == 0,
           "the child ran every call to the end (status 0x%x)", status);
    if (got != (ssize_t)sizeof(r))
        return;
    for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
        TAP_EQ(r[expected[i].result], expected[i].value, "child: %s", expected[i].what);

    /* The parent's domain and pool carry on. */
    TAP_EQ(s4j_call_srcu(ssp, &head, count_run), 0, "parent: call_srcu after the fork");
    TAP_EQ(s4j_srcu_barrier(ssp), 0, "parent: barrier");
    TAP_EQ(ran, 1, "parent: the callback ran");
    TAP_EQ(s4j_srcu_close(ssp), 0, "parent: close");
    TAP_EQ(s4j_srcu_free(ssp), 0, "parent: free");
}

int main(void)
{
    test_inherited_domain();
    return tap_done();
}
