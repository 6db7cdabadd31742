// SPDX-License-Identifier: Apache-2.0
/*
 * fork() while another thread is inside a fast section (srcu4j/static/track.h, src/track.c):
 * that thread does not exist in the child, nor does its section, and the child's registry keeps
 * only the forking thread, whose own sections count and end. A file of its own: qemu-user trips
 * on fork() of a threaded process (mk/arm64.mk), the other track tests run there.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <sys/wait.h>

#include "srcu4j/inline.h"
#include "fast_holder.h"
#include "tap.h"

/* fork() with another thread inside a fast section: that thread does not exist in the child,
 * nor does its section, which the child's grace periods do not wait for. */
static void test_fork(struct s4j_srcu *ssp)
{
    struct fast_holder h;
    int fds[2];

    fast_holder_start(&h, ssp);
    if (pipe(fds) != 0) {
        TAP_OK(0, "pipe");
        return;
    }
    pid_t pid = fork();
    if (pid == 0) {
        int64_t r[3];
        r[0] = s4j_srcu_readers_active(ssp);
        int32_t idx = s4j_inline_read_lock_fast(ssp);
        r[1] = s4j_srcu_readers_active(ssp);
        s4j_inline_read_unlock_fast(ssp, idx);
        r[2] = s4j_srcu_readers_active(ssp);
        if (s4j_srcu_synchronize(ssp) != 0)
            r[2] = -1;
        (void)!write(fds[1], r, sizeof(r));
        _exit(0);
    }
    int64_t r[3] = { -1, -1, -1 };
    close(fds[1]);
    (void)!read(fds[0], r, sizeof(r));
    waitpid(pid, NULL, 0);
    close(fds[0]);
    TAP_EQ(r[0], 0, "the child does not count a section of a thread it does not have");
    TAP_EQ(r[1], 1, "it counts its own sections");
    TAP_EQ(r[2], 0, "which end");
    fast_holder_end(&h);
    TAP_EQ(s4j_srcu_readers_active(ssp), 0, "the parent's section ended");
}

int main(void)
{
    struct s4j_srcu *ssp;

    tap_watchdog(60, "test_track_fork");
    s4j_srcu_create(S4J_FLAVOR_FAST, &ssp);
    if (s4j_srcu_flavor(ssp) != S4J_FLAVOR_FAST) {
        TAP_SKIP("no membarrier: fast domains are created classic here");
        return tap_done();
    }
    s4j_inline_read_unlock_fast(ssp, s4j_inline_read_lock_fast(ssp));
    test_fork(ssp);
    s4j_srcu_close(ssp);
    s4j_srcu_free(ssp);
    return tap_done();
}
