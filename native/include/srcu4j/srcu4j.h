// SPDX-License-Identifier: Apache-2.0
/*
 * srcu4j: sleepable read-copy-update with per-CPU counters.
 *
 * The one public header of libsrcu4j.so, and the only input to jextract. It stays
 * jextract-friendly: fixed-width types, opaque domain type, no varargs, no macros at call sites.
 *
 * Conventions
 * - Calls that can fail return 0 (or a non-negative value) on success and -errno on failure.
 * - A read section is the code between s4j_srcu_read_lock() and the s4j_srcu_read_unlock() given
 *   the index it returned. It may nest, and may end on another CPU; one that ends in another
 *   thread is entered with s4j_srcu_down_read() instead.
 * - s4j_srcu_synchronize() returns only after every read section of that domain that began before
 *   the call has ended. Stores before the call are visible to read sections that begin after it
 *   returns, and loads after it returns see nothing written inside a read section that it waited
 *   for before that section's unlock.
 * - A callback queued with s4j_call_srcu() runs once, on a thread of the callback pool, after a
 *   grace period that began after the call. A domain's callbacks run one at a time; those one
 *   thread queued run in the order it queued them, also when it moved to another CPU meanwhile.
 *   Callbacks queued by different threads run in no promised order, even when one call happened
 *   before the other (each thread queues on a per-CPU queue of the domain, its home, chosen at
 *   its first call); s4j_srcu_barrier() waits for those of every thread. The caller owns the
 *   head (as with the kernel's rcu_head) and must keep it alive until the callback starts; the
 *   callback may reuse or free it.
 * - The callback pool: threads named s4j-cb-<n>, shared by every domain, at most one per CPU the
 *   process could use when the library was loaded (SRCU4J_CALLBACK_WORKERS=n in the environment
 *   sets another number, 1 to 1024). It runs callbacks and the grace periods they and
 *   s4j_srcu_start_poll() need, starts its threads when a domain first has work, never stops
 *   them, and gives them the CPU affinity and signal mask of the thread that loaded the library.
 *   A domain costs no thread. A worker serves several domains in turn, so a callback that blocks
 *   holds up the others it serves; one that waits in s4j_srcu_barrier() or s4j_srcu_close() for
 *   another domain hands them to another worker first (up to twice the bound in all). When no
 *   thread can be started, callbacks wait for a later call that starts one.
 * - "Safe from any context" (s4j_call_srcu, s4j_defer) means: takes no lock, never allocates,
 *   never waits for another thread, makes a system call only to wake a worker that announced it
 *   sleeps, leaves errno as it found it; so it may be called from a signal handler (it is
 *   async-signal-safe, even when the handler interrupted another call of the same function), with
 *   any lock held, inside a read section, and from a callback or deferred function.
 * - fork(): a child has only the thread that called fork(), so the callback pool that served a
 *   domain it inherits does not exist there. The calls that need it refuse with -ESRCH in the
 *   child ("the domain's callback pool does not exist in this process"): s4j_call_srcu,
 *   s4j_srcu_barrier, s4j_srcu_close, s4j_srcu_close_start, s4j_srcu_close_poll and
 *   s4j_srcu_free (the child leaves the parent's copy alone); s4j_srcu_start_poll returns its
 *   cookie without starting a grace period. Read sections, s4j_srcu_synchronize,
 *   s4j_srcu_advance, s4j_srcu_get_state and s4j_srcu_poll_state keep working (a section another
 *   thread of the parent held open at the fork never ends in the child, so they wait for it
 *   forever; except a fast domain's read_lock section, counted in that thread's own words, which
 *   the child does not have: no reader of it can run there, and nothing waits for it).
 *   Domains the child creates are
 *   whole: the child's pool starts anew.
 */
#ifndef SRCU4J_H
#define SRCU4J_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Reader flavors, chosen once per domain at creation. Each has its own read_lock/read_unlock
 * pair; calling another flavor's read_lock on a domain returns -EINVAL (as the kernel refuses to
 * mix flavors on one srcu_struct). s4j_srcu_down_read()/s4j_srcu_up_read() work on every flavor.
 */
enum s4j_flavor {
    /* Full barrier after the lock increment and before the unlock increment. */
    S4J_FLAVOR_CLASSIC = 0,
    /* No reader barrier; grace periods pay with membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED),
     * but only when a fast reader entered since the last one (an idle domain's grace periods
     * issue none). Where membarrier is unavailable, s4j_srcu_create() makes a classic domain
     * instead and returns S4J_CREATED_AS_CLASSIC. */
    S4J_FLAVOR_FAST = 1,
    /* Atomic increments (no rseq), full barriers: usable from a signal handler at any point. */
    S4J_FLAVOR_SIGNAL_SAFE = 2
};

/* Positive result of s4j_srcu_create(): a fast domain was asked for, a classic one was made. */
enum s4j_create_result {
    S4J_CREATED = 0,
    S4J_CREATED_AS_CLASSIC = 1
};

/* The version of this header, of the library built from it and of the Java bindings generated
 * from it: the project's version. */
#define S4J_VERSION "0.1.0-SNAPSHOT"

/* The S4J_VERSION the library was built with: a caller built against another version's header
 * compares it with its own before anything else. */
const char *s4j_version(void);

/* How per-CPU counters are updated on this system (s4j_capabilities.rseq_mode). */
enum s4j_rseq_mode {
    /* No rseq: an atomic increment on the slot of the CPU that sched_getcpu() names. */
    S4J_RSEQ_UNAVAILABLE = 0,
    /* glibc registered rseq for every thread; srcu4j adopts its registration. */
    S4J_RSEQ_GLIBC = 1,
    /* glibc did not; srcu4j registers an rseq area for each thread that enters a read section. */
    S4J_RSEQ_OWN = 2
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

/* Queue node for s4j_call_srcu() and s4j_defer(), embedded by the caller in its own object. */
struct s4j_srcu_head {
    struct s4j_srcu_head *next;
    s4j_srcu_callback_fn func;
};

/*
 * Futex wake-ups issued to parked workers, and the workers' sleeps in the kernel, since the
 * library was loaded (process-wide, every domain): filled by s4j_wake_stats_get(). A snapshot.
 */
struct s4j_wake_stats {
    /* Wakes of a parked callback worker of the pool (by call_srcu, start_poll, barrier or close
     * callers, or by a worker making room for a callback that waits). */
    uint64_t callback_wakeups;
    /* Times a callback worker went to sleep in the kernel with no domain to serve. */
    uint64_t callback_parks;
    /* Wakes of the deferral worker by s4j_defer() callers. */
    uint64_t defer_wakeups;
    /* Times the deferral worker went to sleep in the kernel with nothing to do. */
    uint64_t defer_parks;
};

/* Fills *caps. Returns 0, or -EINVAL for a null pointer. */
int32_t s4j_capabilities_get(struct s4j_capabilities *caps);

/*
 * Creates a domain of the given flavor and stores it in *out. Starts no thread (the callback pool
 * does when the domain first has work). Returns S4J_CREATED, S4J_CREATED_AS_CLASSIC (fast asked
 * for, membarrier unavailable), -EINVAL (null out, unknown flavor), or -ENOMEM.
 */
int32_t s4j_srcu_create(int32_t flavor, struct s4j_srcu **out);

/* The flavor the domain runs (enum s4j_flavor). */
int32_t s4j_srcu_flavor(struct s4j_srcu *ssp);

/*
 * Closes a domain: refuses new callbacks (s4j_call_srcu() then returns -ESHUTDOWN), runs every
 * queued callback after a grace period, and waits until the callback pool has let the domain go.
 * Nothing queued is dropped. A domain that never queued a callback nor asked for a grace period
 * closes at once.
 * Returns 0; -EDEADLK when called from one of the domain's own callbacks; -EALREADY when already
 * closed (or being closed); -EBUSY when read sections are still open (the domain stays open);
 * -ESRCH in a child of fork(). Counters stay readable after close, so a racing reader touches
 * valid memory until s4j_srcu_free().
 */
int32_t s4j_srcu_close(struct s4j_srcu *ssp);

/*
 * s4j_srcu_close() in two steps, for a caller that must not block (the Java layer parks between
 * them). close_start makes the same checks with the same results (-EDEADLK, -EALREADY, -EBUSY,
 * -ESRCH), then refuses new callbacks, queues the drain of those already queued, and returns 0
 * at once. close_poll returns 0 while the drain runs, and 1 once every queued callback has run
 * and the pool has let the domain go (no worker touches it afterwards); the domain is then closed
 * as s4j_srcu_close() leaves it. close_poll never waits (it may start a pool thread when none
 * runs); several threads may call it; it returns -EINVAL when no close was started, 1 again once
 * closed, and -ESRCH in a child of fork(). s4j_srcu_barrier() called during the drain returns
 * once it is over.
 */
int32_t s4j_srcu_close_start(struct s4j_srcu *ssp);
int32_t s4j_srcu_close_poll(struct s4j_srcu *ssp);

/* Frees a closed domain's memory. Returns 0; -EBUSY when the domain is not closed; -ESRCH in a
 * child of fork(). */
int32_t s4j_srcu_free(struct s4j_srcu *ssp);

/*
 * Read sections. read_lock returns the index (0 or 1) to hand to the matching read_unlock, or
 * -EINVAL when the domain is of another flavor. The section must end in the thread that entered
 * it (use down_read/up_read otherwise). An unlock given a negative index does nothing, so the
 * result of a refused lock may be passed on unchecked.
 */
int32_t s4j_srcu_read_lock(struct s4j_srcu *ssp);
void s4j_srcu_read_unlock(struct s4j_srcu *ssp, int32_t idx);
int32_t s4j_srcu_read_lock_fast(struct s4j_srcu *ssp);
void s4j_srcu_read_unlock_fast(struct s4j_srcu *ssp, int32_t idx);
int32_t s4j_srcu_read_lock_signal_safe(struct s4j_srcu *ssp);
void s4j_srcu_read_unlock_signal_safe(struct s4j_srcu *ssp, int32_t idx);

/*
 * A read section that may end in another thread (the kernel's srcu_down_read/srcu_up_read), on a
 * domain of any flavor. Not tracked per thread, so s4j_srcu_synchronize() inside one is not
 * detected: it waits for itself forever. down_read's index is not read_lock's (bit 1 set marks
 * it untracked); each unlock function accepts either kind and ends the section it names.
 * A read_lock section must still end in its own thread: one ended elsewhere is counted right,
 * but its domain's per-thread tracking is then retired for good when the domain is freed.
 */
int32_t s4j_srcu_down_read(struct s4j_srcu *ssp);
void s4j_srcu_up_read(struct s4j_srcu *ssp, int32_t idx);

/*
 * Waits for a grace period; concurrent callers share grace periods. Returns 0, or -EDEADLK when
 * the calling thread is inside a read section of this domain (entered with a read_lock), which
 * would otherwise wait for itself forever.
 */
int32_t s4j_srcu_synchronize(struct s4j_srcu *ssp);

/* As s4j_srcu_synchronize(), with lower latency: polls for readers back to back for 5 us, then
 * sleeps between polls from 1 us, doubling to 1 ms, with the calling thread's timer slack lowered
 * to 1 us meanwhile (and restored before it returns), so that a reader preempted on this CPU gets
 * it at once and the wait ends on time. */
int32_t s4j_srcu_synchronize_expedited(struct s4j_srcu *ssp);

/*
 * Polled grace periods. A cookie names the end of a grace period that starts after the call:
 * get_state only takes the cookie; start_poll also makes sure such a grace period gets run (by
 * the callback pool, which it asks as s4j_call_srcu does, starting no thread itself; once close
 * has begun, or in a child of fork(), it only takes the cookie: drive it with s4j_srcu_advance).
 * poll_state returns 1 once that grace period has ended, else 0; it takes no lock and makes no
 * system call. Cookies compare with wrap-around, so any cookie taken within 2^62 grace periods
 * is answered correctly.
 */
uint64_t s4j_srcu_get_state(struct s4j_srcu *ssp);
uint64_t s4j_srcu_start_poll(struct s4j_srcu *ssp);
int32_t s4j_srcu_poll_state(struct s4j_srcu *ssp, uint64_t cookie);

/*
 * Drives the grace period cookie names (from s4j_srcu_get_state or s4j_srcu_start_poll) as far as
 * it goes without waiting: starts one when none runs, scans the readers, flips the index, ends it
 * once the readers it waits for are gone, and starts the next if the cookie needs it. Returns 1
 * when that grace period has ended (with [G], as poll_state), 0 when readers still hold it or
 * another thread is driving the domain's grace periods at this instant: call it again later.
 * Never blocks: it takes the grace-period lock only when it is free, and makes no system call
 * of its own but, on fast domains, membarrier once the readers look gone (releasing the lock
 * wakes a synchronize caller blocked on it, if one is). It is for callers that must not block
 * (the Java layer parks a virtual thread between calls); s4j_srcu_synchronize() is the same
 * loop with sleeps in C. Like poll_state, it does not refuse a caller inside its own read
 * section: that caller's section keeps it returning 0.
 */
int32_t s4j_srcu_advance(struct s4j_srcu *ssp, uint64_t cookie);

/*
 * s4j_srcu_get_state() and one s4j_srcu_advance() step on its cookie, in one call, so that a
 * grace period no reader holds up costs one call: returns the cookie (even) when the grace period
 * is still running after the step, or the cookie + 1 (odd) when the step ended it (with [G]). Keep
 * waiting with s4j_srcu_advance(ssp, result & ~1). Never blocks, as advance.
 */
uint64_t s4j_srcu_start_advance(struct s4j_srcu *ssp);

/*
 * s4j_srcu_start_advance() for an expedited wait, as s4j_srcu_synchronize_expedited() begins:
 * when the step starts a grace period, its first scan also sums the counter set in use, and the
 * grace period ends at once, without the flip, when neither set holds a reader. The same result
 * and the same waiting after it (s4j_srcu_advance()). Never blocks.
 */
uint64_t s4j_srcu_start_advance_expedited(struct s4j_srcu *ssp);

/*
 * Queues func(head) to run after a grace period. Safe from any context (see the top of this
 * file). Returns 0; -EINVAL for a null head or func; -ESHUTDOWN when the domain is closed;
 * -ESRCH in a child of fork().
 */
int32_t s4j_call_srcu(struct s4j_srcu *ssp, struct s4j_srcu_head *head, s4j_srcu_callback_fn func);

/*
 * Waits until every callback queued before this call, by any thread, has run (during a close,
 * until the close's drain is over). Returns 0; -EDEADLK when called from one of the domain's own
 * callbacks, or inside a read section of the domain entered with a read_lock in this thread (the
 * pool runs a grace period first, which would wait for it); -ESRCH in a child of fork(). It may
 * start a pool thread; from another domain's callback, see the callback pool above.
 */
int32_t s4j_srcu_barrier(struct s4j_srcu *ssp);

/*
 * Runs func(head) later, once, on the process's deferral worker thread (a normal thread, where
 * it may take locks, allocate, block, call s4j_call_srcu or s4j_srcu_synchronize...). Safe from
 * any context (see the top of this file): the lockless hop for code that must not do the work
 * where it stands. Functions run one at a time, in the order they were deferred; no grace period
 * is involved. Stores before the call are visible to func. The caller owns the head and must
 * keep it alive, and not queue it again, until func starts; func may reuse or free it.
 * Returns 0; -EINVAL for a null head or func; the error of pthread_create when the worker, which
 * starts when the library is loaded, could not be started (nothing is queued then).
 */
int32_t s4j_defer(struct s4j_srcu_head *head, s4j_srcu_callback_fn func);

/* Fills *stats. Returns 0, or -EINVAL for a null pointer. */
int32_t s4j_wake_stats_get(struct s4j_wake_stats *stats);

/*
 * membarrier(2) calls made since the library was loaded (process-wide, every domain): the [X] of
 * fast domains' grace-period scans, and of readers_active() and close on them. A snapshot.
 */
uint64_t s4j_membarrier_count(void);

/* Number of read sections of the domain open now (a racy snapshot, for diagnostics and close). */
int64_t s4j_srcu_readers_active(struct s4j_srcu *ssp);

/*
 * External readers: code that updates a domain's counters itself instead of calling the read
 * functions above (the Java layer's direct path does, through FFM memory access). Such a reader
 * claims counters of its own, which every grace period sums with the per-CPU ones:
 *   lock:   idx = *s4j_srcu_idx_word(ssp) & 1 (a single-copy-atomic load);
 *           lock_count[idx] += 1; then a full barrier ([B] in srcu.c's terms)
 *   unlock: a barrier that orders the section's accesses before the next store ([C]; release
 *           ordering suffices); then unlock_count[idx] += 1
 * Every add must be single-copy atomic (a 64-bit aligned store). Counters a single thread owns
 * may be added to with a plain load and store; counters shared by several threads need atomic
 * adds. Ownership passes from s4j_srcu_counters_release() to the next claim of the same set with
 * release/acquire ordering ([H]), so the next owner's loads see the last one's increments. The
 * idx of a section's unlock is the one its lock used; the section may end on other counters than
 * it began on (the sums still balance).
 */
struct s4j_srcu_counters {
    uint64_t lock_count[2];
    uint64_t unlock_count[2];
};

/*
 * Claims counters for an external reader and stores their address in *out; they stay valid until
 * s4j_srcu_free(). Returns 0, -EINVAL (null argument), -ENOMEM.
 */
int32_t s4j_srcu_counters_claim(struct s4j_srcu *ssp, struct s4j_srcu_counters **out);

/*
 * Claims count sets of counters side by side, for an external reader that finds a thread's set
 * by arithmetic instead of a lookup: set i is at (char *)*out + i * s4j_srcu_counters_stride().
 * They stay valid until s4j_srcu_free() and are never given back. Grace periods sum a set of a
 * block only once s4j_srcu_counters_use() marked it, so a scan pays only for the sets in use, and
 * the sets are pages of their own that hold memory only once a reader writes there.
 * Returns 0, -EINVAL (null argument, count 0 or above 65536), -ENOMEM.
 */
int32_t s4j_srcu_counters_claim_block(struct s4j_srcu *ssp, uint32_t count, struct s4j_srcu_counters **out);

/*
 * Marks a set of a block used: grace periods sum it from then on, for good. Call it before the
 * set's first lock increment (once is enough; again does nothing). Returns 0, or -EINVAL when set
 * is not a set of a block of this domain.
 */
int32_t s4j_srcu_counters_use(struct s4j_srcu *ssp, struct s4j_srcu_counters *set);

/* Bytes from one set of a block to the next (each set has its cache lines to itself). */
uint64_t s4j_srcu_counters_stride(void);

/*
 * Gives claimed counters back. Their counts stay (the sums need them); a later claim may hand them
 * out again, and its owner goes on from those counts: the release is ordered after the owner's
 * last increment and the claim before the next owner's first load ([H]). Call it from the owner
 * thread, or after a hand-over that orders its increments before the call. Returns 0, or -EINVAL
 * when set is not a claimed set of this domain (sets of a block are not: never given back).
 */
int32_t s4j_srcu_counters_release(struct s4j_srcu *ssp, struct s4j_srcu_counters *set);

/* The word whose bit 0 selects the counters new read sections use (see the external readers). */
const uint64_t *s4j_srcu_idx_word(struct s4j_srcu *ssp);

/* Pins the calling thread to one CPU. Returns 0, -EINVAL for a CPU outside the possible set. */
int32_t s4j_pin_current_thread(int32_t cpu);

/* Removes the calling thread's pinning (allows every online CPU). Returns 0 or -errno. */
int32_t s4j_unpin_current_thread(void);

/* The CPU the calling thread runs on now (it may move right after). Returns it, or -errno. */
int32_t s4j_current_cpu(void);

/*
 * CPU sets as bit arrays: CPU c is bit (c % 64) of words[c / 64]; nwords words hold CPUs
 * 0 .. 64 * nwords - 1. (possible_cpus + 63) / 64 words hold every possible CPU.
 */

/*
 * Stores the calling thread's affinity (the CPUs it may run on: sched_getaffinity) in words.
 * Returns how many CPUs are set; -EINVAL for a null words or nwords < 1; -ERANGE when an
 * allowed CPU does not fit in nwords words; or -errno.
 */
int32_t s4j_current_thread_affinity(uint64_t *words, int32_t nwords);

/*
 * Restricts the calling thread to the CPUs set in words. Returns 0; -EINVAL for a null words,
 * nwords < 1, an empty set, a CPU outside the possible set, or a set with no CPU online and
 * allowed to this process; or -errno.
 */
int32_t s4j_pin_current_thread_to_set(const uint64_t *words, int32_t nwords);

#ifdef __cplusplus
}
#endif

#endif /* SRCU4J_H */
