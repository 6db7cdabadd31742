// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import io.srcu4j.internal.Errno;
import io.srcu4j.internal.ffm.FfmDeferral;

import java.util.Objects;

/**
 * Lockless deferral: hands a task to the process's deferral thread, to run there soon, from code
 * that must not do the work where it stands (it holds a lock the work needs, it is inside a read
 * section, it is a callback that must not block).
 *
 * <pre>{@code
 * synchronized (index) {                 // a lock that close() below would also take
 *     index.remove(key);
 *     Deferral.defer(segment::close);    // runs on the deferral thread, outside this lock
 * }
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>{@link #defer(Runnable) defer(r)} never blocks, takes no lock (in Java or in the native
 *       library) and makes no system call unless the deferral thread is asleep; it allocates
 *       only when more tasks are pending than ever before.</li>
 *   <li>Actions before {@code defer(r)} happen-before {@code r.run()}. {@code r} runs once, on the
 *       deferral thread (a normal platform thread), where it may block, take locks and call any
 *       srcu4j method. Tasks run one at a time, in the order their {@code defer} calls were
 *       ordered; tasks deferred by one thread run in that thread's order.</li>
 *   <li>No grace period is involved: to run something after one, use
 *       {@link Srcu#callSrcu(Runnable)}, which gives the same never-blocking guarantee.</li>
 * </ul>
 * The hand-off is the native {@code s4j_defer}'s wait-free queue (barriers [Q]/[R] and the
 * [W]/[P] wake protocol of {@code native/src/wfqueue.h}), plus a release/acquire pair in Java on
 * the task itself. Native code can queue tasks prepared in Java through the same path, from a
 * signal handler if need be.
 *
 * <h2>Misuse</h2>
 * A {@code null} task throws {@link NullPointerException}. An exception thrown by a task goes to
 * the {@linkplain #setUncaughtExceptionHandler uncaught-exception handler}; later tasks still
 * run. A task that waits for a task deferred after it waits forever (they run one at a time).
 */
public final class Deferral {

    private Deferral() {
    }

    /**
     * Queues {@code task} to run once on the deferral thread.
     *
     * @param task what to run
     * @throws NullPointerException  when {@code task} is null
     * @throws IllegalStateException when the native deferral thread could not be started
     * @throws UnsatisfiedLinkError  when the native library is unavailable
     */
    public static void defer(Runnable task) {
        Objects.requireNonNull(task, "defer: task is null");
        int rc = FfmDeferral.defer(task);
        if (rc != 0) {
            throw new IllegalStateException("defer: the native deferral thread is not running ("
                    + Errno.describe(-rc) + ")");
        }
    }

    /**
     * {@return whether the calling thread is the deferral thread, running a deferred task} Code
     * that may run there asks it before waiting for a task deferred later, which would wait
     * forever.
     */
    public static boolean isDeferralThread() {
        return FfmDeferral.onWorkerThread();
    }

    /**
     * Sets who hears about exceptions thrown by deferred tasks; {@code null} restores the
     * default, the deferral thread's own handler (which defers to
     * {@link Thread#getDefaultUncaughtExceptionHandler()} or prints the stack trace).
     *
     * @param handler the handler, or {@code null} for the default
     */
    public static void setUncaughtExceptionHandler(Thread.UncaughtExceptionHandler handler) {
        FfmDeferral.setUncaughtExceptionHandler(handler);
    }

    /**
     * {@return the handler set with {@link #setUncaughtExceptionHandler}, or {@code null} when
     * the default handles exceptions}
     */
    public static Thread.UncaughtExceptionHandler getUncaughtExceptionHandler() {
        return FfmDeferral.getUncaughtExceptionHandler();
    }
}
