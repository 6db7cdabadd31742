// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.callbacks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Where a domain's {@code callSrcu} calls put their callbacks: one {@link CallbackQueue} while
 * calls do not collide, and a set of stripes once they do.
 *
 * <p>One queue costs one compare-and-set per call, but callers on several cores then pass its
 * line from core to core on every call. The first push that loses its compare-and-set to another
 * push creates the stripes (one queue per stripe, each on lines of its own) and forwards the
 * first queue to them; from then on each thread pushes on the stripe its thread id selects, so
 * threads on different stripes share no line. A call that finds the stripes goes straight to its
 * own, without reading the first queue's top or its mark. A domain whose callers never collide never
 * allocates stripes.
 *
 * <p><b>Order.</b> A thread always pushes on the same stripe, after any callback it pushed on the
 * first queue, so the callbacks of one thread run in the order it queued them:
 * <ul>
 *   <li>The worker takes the stripes first and the first queue last, and puts the first queue's
 *       callbacks ahead of the stripes'. A callback a thread pushed on a stripe was claimed after
 *       its earlier ones on the first queue (program order; volatile accesses are SC), so a take
 *       whose stripe take found it comes after those claims too, and its first-queue take, later
 *       still, finds them, if an earlier take did not.</li>
 *   <li>Close marks the stripes closed (where none exist, it puts a closed stand-in in their
 *       place for good), then the first queue; it takes nothing itself, so every callback goes
 *       through the worker's takes, in the order above.</li>
 * </ul>
 * Callbacks queued by different threads that collided run in no set order among themselves,
 * as in the kernel's and liburcu's per-CPU callback lists: an order across threads would need
 * one line that every call writes, which is exactly the cost the stripes remove. A thread that
 * needs callbacks of other threads to have run waits with {@code barrier()}.
 *
 * <p>Synchronization: [Q]/[R] on each queue (see {@link CallbackQueue}); {@code stripes} is
 * written once, with a volatile compare-and-set, before any forward mark is, and read (volatile)
 * by a caller before its push, or after it saw that mark, so a forwarded caller always finds the
 * stripes.
 */
final class CallbackInbox {

    private static final VarHandle STRIPES;

    static {
        try {
            STRIPES = MethodHandles.lookup().findVarHandle(CallbackInbox.class, "stripes", CallbackQueue[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Stripes per domain: a power of two, twice the CPUs (at least 4, at most 256), so that the
     * threads of one burst, whose ids are mostly consecutive, get stripes of their own.
     */
    static final int STRIPE_COUNT = stripeCount(Runtime.getRuntime().availableProcessors());

    /** What a domain closed before any collision has for stripes: one queue, closed, whatever
     *  thread calls. Shared: closing such a domain allocates nothing. */
    private static final CallbackQueue[] CLOSED_STRIPES = {closedQueue()};

    private final CallbackQueue first = new CallbackQueue();
    /** Null until calls collide, or close comes first ({@link #CLOSED_STRIPES}). */
    private volatile CallbackQueue[] stripes;

    /** The worker's scratch list for the stripes' callbacks, made by its first take of them; used
     *  by the serving worker only. */
    private CallbackQueue.Batch fromStripes;

    private static CallbackQueue closedQueue() {
        CallbackQueue q = new CallbackQueue();
        q.close();
        return q;
    }

    static int stripeCount(int cpus) {
        int wanted = Math.clamp(2L * cpus, 4, 256);
        return Integer.highestOneBit(wanted - 1) << 1;
    }

    /** Queues {@code task}; false once close has begun. Lock-free; never blocks. */
    boolean push(Runnable task) {
        // Volatile read: once the stripes exist, a call goes straight to its own.
        // (volatile: SC, no litmus)
        CallbackQueue[] s = stripes;
        if (s != null) {
            return pushOnStripe(s, task);
        }
        for (;;) {
            int result = first.tryPush(task);   // [Q] (volatile: SC, no litmus)
            if (result == CallbackQueue.PUSHED) {
                return true;
            }
            if (result == CallbackQueue.CLOSED) {
                return false;
            }
            if (result == CallbackQueue.FORWARDED) {
                // Volatile read after the forward mark was seen: the stripes are there.
                // (volatile: SC, no litmus)
                return pushOnStripe(stripes, task);
            }
            spreadOut();
        }
    }

    /** A collision: creates the stripes (once) and forwards the first queue to them. */
    void spreadOut() {
        if (stripes == null) {
            CallbackQueue[] created = new CallbackQueue[STRIPE_COUNT];
            for (int i = 0; i < created.length; i++) {
                created[i] = new StripeQueue();
            }
            // Volatile CAS, before the forward mark: a caller that sees the mark sees the stripes.
            // (volatile: SC, no litmus)
            STRIPES.compareAndSet(this, null, created);
        }
        first.forward();
    }

    private static boolean pushOnStripe(CallbackQueue[] s, Runnable task) {
        CallbackQueue stripe = s[(int) Thread.currentThread().threadId() & (s.length - 1)];
        return stripe.push(task) == CallbackQueue.PUSHED;   // [Q] (volatile: SC, no litmus)
    }

    /** Refuses every later push; what was pushed before stays for the worker's next take. */
    void close() {
        // Where no stripes exist, the closed stand-in takes their place for good (volatile CAS):
        // a collision after this cannot open stripes that a call would find and this close
        // would never close. (volatile: SC, no litmus)
        CallbackQueue[] s = stripes;
        while (s == null && !STRIPES.compareAndSet(this, null, CLOSED_STRIPES)) {
            s = stripes;
        }
        if (s != null) {
            for (CallbackQueue stripe : s) {
                stripe.close();
            }
        }
        first.close();
    }

    /**
     * Takes every callback queued so far into {@code into}, in queue order: the stripes first,
     * the first queue last, its callbacks ahead of theirs (see the class comment). Only the worker
     * serving the domain calls it.
     */
    void takeInto(CallbackQueue.Batch into) {
        takeInto(into, null);
    }

    /** {@link #takeInto(CallbackQueue.Batch)}, running {@code between} (a test's pushes) after the
     *  stripes' takes and before the first queue's. */
    void takeInto(CallbackQueue.Batch into, Runnable between) {
        CallbackQueue[] s = stripes;
        if (s == CLOSED_STRIPES) {
            s = null;   // nothing on it, ever
        }
        if (s != null) {
            if (fromStripes == null) {
                fromStripes = new CallbackQueue.Batch();
            }
            for (CallbackQueue stripe : s) {
                stripe.takeInto(fromStripes);   // [R] (volatile: SC, no litmus)
            }
        }
        if (between != null) {
            between.run();
        }
        first.takeInto(into);   // [R] (volatile: SC, no litmus)
        if (s != null) {
            into.appendAll(fromStripes);
        }
    }

    /** Whether callbacks are queued (volatile reads; see the worker's parking protocol). */
    boolean hasTasks() {
        if (first.hasTasks()) {
            return true;
        }
        CallbackQueue[] s = stripes;
        if (s != null) {
            for (CallbackQueue stripe : s) {
                if (stripe.hasTasks()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether calls collided and the stripes exist. */
    boolean striped() {
        CallbackQueue[] s = stripes;
        return s != null && s != CLOSED_STRIPES;
    }

    /** Callbacks ever queued (a racy sum of volatile reads). */
    long pushed() {
        long sum = first.pushed();
        CallbackQueue[] s = stripes;
        if (s != null) {
            for (CallbackQueue stripe : s) {
                sum += stripe.pushed();
            }
        }
        return sum;
    }
}

/**
 * A stripe: a {@link CallbackQueue} followed by a line of nothing, so that stripes made one after
 * another have their tops 128 bytes apart (the JVM lays out a superclass's fields before its
 * subclass's), and the cores pushing on two stripes do not share a line, or the adjacent line x86
 * prefetches with it.
 */
final class StripeQueue extends CallbackQueue {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}
