// SPDX-License-Identifier: Apache-2.0
/*
 * The process-wide pool of callback workers (pool.c) and what it asks of a domain (callbacks.c).
 * Internal.
 */
#ifndef S4J_POOL_H
#define S4J_POOL_H

struct s4j_srcu;

/* What a worker's turn with a domain (s4j_callbacks_step) did. */
enum s4j_step {
    S4J_STEP_PROGRESS,   /* callbacks ran, or a requested grace period ended: the worker keeps it */
    S4J_STEP_WAITING,    /* its grace period waits for readers: the worker keeps it */
    S4J_STEP_PAUSED,     /* a batch builds up: the worker keeps it and naps a little first */
    S4J_STEP_RELEASED    /* nothing left: the domain is no longer the worker's */
};

/* callbacks.c: one turn of the worker that holds ssp; it never waits. */
enum s4j_step s4j_callbacks_step(struct s4j_srcu *ssp);

/*
 * Hands a domain the caller has just moved to S4J_SCHED_QUEUED to the pool (its ready_node goes
 * on the ready queue) and makes sure a worker will take it: wakes one that is parked or napping,
 * else starts one. may_start: the caller is an ordinary thread that may call pthread_create;
 * otherwise the start is asked of the deferral worker. Wait-free but for that wake-up and start.
 */
void s4j_pool_submit(struct s4j_srcu *ssp, int may_start);

/* For a thread about to wait for callbacks to run: starts a worker when none exists; on a worker
 * thread (a callback that waits), first hands its other domains back to the pool and makes sure
 * another worker serves them. Returns 0, or the error of pthread_create when no worker exists and
 * none could be started (the caller waits with a timeout and calls it again). */
int s4j_pool_before_wait(void);

#endif
