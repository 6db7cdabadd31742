/*
 * srcu4j: sleepable read-copy-update with per-CPU counters.
 *
 * The one public header of libsrcu4j.so, and the only input to jextract. It stays
 * jextract-friendly: fixed-width types, opaque domain type, no varargs, no macros at call sites.
 *
 * Conventions
 * - Calls that can fail return 0 (or a non-negative value) on success and -errno on failure.
 * - A read section is the code between s4j_srcu_read_lock() and the s4j_srcu_read_unlock() given
 *   the index it returned. It may nest, and may end on another CPU or in another thread.
 * - s4j_srcu_synchronize() returns only after every read section of that domain that began before
 *   the call has ended. Stores before the call are visible to read sections that begin after it
 *   returns, and loads after it returns see nothing written inside a read section that it waited
 *   for before that section's unlock.
 * - A callback queued with s4j_call_srcu() runs once, on the domain's worker thread, after a grace
 *   period that began after the call. The caller owns the head (as with the kernel's rcu_head) and
 *   must keep it alive until the callback starts; the callback may reuse or free it.
 */
#ifndef SRCU4J_H
#define SRCU4J_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Reader flavors, chosen once per domain at creation. */
enum s4j_flavor {
    /* Full barrier after the lock increment and before the unlock increment. */
    S4J_FLAVOR_CLASSIC = 0
};

/* How per-CPU counters are updated on this system (s4j_capabilities.rseq_mode). */
enum s4j_rseq_mode {
    /* No rseq: an atomic increment on the slot of the CPU that sched_getcpu() names. */
    S4J_RSEQ_UNAVAILABLE = 0,
    /* glibc registered rseq for every thread; srcu4j adopts its registration. */
    S4J_RSEQ_GLIBC = 1
};

/* What the running system offers; filled by s4j_capabilities_get(). */
struct s4j_capabilities {
    /* CPUs the kernel may ever bring online (sysfs "possible"): sizes every per-CPU array. */
    int32_t possible_cpus;
    /* CPUs online now. */
    int32_t online_cpus;
    /* One of enum s4j_rseq_mode. */
    int32_t rseq_mode;
    /* 1 when membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) is available, else 0. */
    int32_t membarrier;
};

/* An SRCU domain: opaque. Readers of one domain never delay updaters of another. */
struct s4j_srcu;

struct s4j_srcu_head;

/* A deferred callback; it receives the head it was queued with. */
typedef void (*s4j_srcu_callback_fn)(struct s4j_srcu_head *head);

/* Queue node for s4j_call_srcu(), embedded by the caller in its own object. */
struct s4j_srcu_head {
    struct s4j_srcu_head *next;
    s4j_srcu_callback_fn func;
};

/* Fills *caps. Returns 0, or -EINVAL for a null pointer. */
int32_t s4j_capabilities_get(struct s4j_capabilities *caps);

/*
 * Creates a domain of the given flavor and starts its callback worker; stores it in *out.
 * Returns 0, -EINVAL (null out, unknown flavor), -ENOMEM, or the error of pthread_create.
 */
int32_t s4j_srcu_create(int32_t flavor, struct s4j_srcu **out);

/*
 * Closes a domain: refuses new callbacks (s4j_call_srcu() then returns -ESHUTDOWN), runs every
 * queued callback after a grace period, and stops the worker. Nothing queued is dropped.
 * Returns 0; -EBUSY when read sections are still open (the domain stays open);
 * -EDEADLK when called from one of the domain's own callbacks; -EALREADY when already closed.
 * Counters stay readable after close, so a racing reader touches valid memory until
 * s4j_srcu_free().
 */
int32_t s4j_srcu_close(struct s4j_srcu *ssp);

/* Frees a closed domain's memory. Returns 0, or -EBUSY when the domain is not closed. */
int32_t s4j_srcu_free(struct s4j_srcu *ssp);

/* Enters a read section; returns the index to hand to s4j_srcu_read_unlock(). */
int32_t s4j_srcu_read_lock(struct s4j_srcu *ssp);

/* Leaves the read section entered with idx (only bit 0 of idx is used). */
void s4j_srcu_read_unlock(struct s4j_srcu *ssp, int32_t idx);

/* Waits for a grace period. Returns 0; never fails on an open or closed domain. */
int32_t s4j_srcu_synchronize(struct s4j_srcu *ssp);

/*
 * Queues func(head) to run after a grace period. Never blocks and takes no lock.
 * Returns 0; -EINVAL for a null head or func; -ESHUTDOWN when the domain is closed.
 */
int32_t s4j_call_srcu(struct s4j_srcu *ssp, struct s4j_srcu_head *head, s4j_srcu_callback_fn func);

/*
 * Waits until every callback queued before this call has run.
 * Returns 0; -EDEADLK when called from one of the domain's own callbacks.
 */
int32_t s4j_srcu_barrier(struct s4j_srcu *ssp);

/* Number of read sections of the domain open now (a racy snapshot, for diagnostics and close). */
int64_t s4j_srcu_readers_active(struct s4j_srcu *ssp);

/* Pins the calling thread to one CPU. Returns 0, -EINVAL for a CPU outside the possible set. */
int32_t s4j_pin_current_thread(int32_t cpu);

/* Removes the calling thread's pinning (allows every online CPU). Returns 0 or -errno. */
int32_t s4j_unpin_current_thread(void);

/* The CPU the calling thread runs on now (it may move right after). Returns it, or -errno. */
int32_t s4j_current_cpu(void);

#ifdef __cplusplus
}
#endif

#endif /* SRCU4J_H */
