// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.ffm;

import io.srcu4j.bindings.srcu4j_h;
import io.srcu4j.internal.WorkerThreads;
import io.srcu4j.internal.loader.NativeLibrary;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The process's deferral queue reached through FFM: {@code s4j_defer} with heads and the upcall
 * stub of one {@link CallbackTable}, the same machinery a domain's {@code callSrcu} uses.
 *
 * <p>The native deferral worker lives as long as the process, so the table's heads and stub live
 * in the global arena: a head may be queued at any time, and is never freed under the worker.
 * Methods return the C function's result ({@code 0} or {@code -errno}) and leave the translation
 * into exceptions to {@code io.srcu4j.Deferral}.
 */
public final class FfmDeferral {

    private FfmDeferral() {
    }

    /** Created on first use, after the library is loaded (class initialization is the lock). */
    private static final class Holder {
        static final CallbackTable TABLE = create();

        private static CallbackTable create() {
            NativeLibrary.ensureAvailable();
            return new CallbackTable(Arena.global(), WorkerThreads.DEFERRAL);
        }
    }

    /**
     * Queues {@code task} with {@code s4j_defer}. An ordinary downcall: it never blocks, but may
     * wake the worker with a system call. On failure the slot is given back.
     *
     * @throws UnsatisfiedLinkError when the native library is unavailable
     */
    public static int defer(Runnable task) {
        CallbackTable table = Holder.TABLE;
        int slot = table.acquire(task);
        int rc = srcu4j_h.s4j_defer(table.head(slot), table.function());
        if (rc != 0) {
            table.abandon(slot);
        }
        return rc;
    }

    /** Whether the calling thread is running a deferred task now. */
    public static boolean onWorkerThread() {
        return Holder.TABLE.isWorker(Thread.currentThread());
    }

    public static void setUncaughtExceptionHandler(Thread.UncaughtExceptionHandler handler) {
        Holder.TABLE.setUncaughtExceptionHandler(handler);
    }

    public static Thread.UncaughtExceptionHandler getUncaughtExceptionHandler() {
        return Holder.TABLE.getUncaughtExceptionHandler();
    }

    /**
     * A head armed with {@code task}, for native code to queue later with
     * {@code s4j_defer(head, func)} (from a signal handler, say): {@code [head, func]}. The slot
     * belongs to that one future call; the task runs, and the slot returns, when it does.
     */
    static MemorySegment[] armForNative(Runnable task) {
        CallbackTable table = Holder.TABLE;
        int slot = table.acquire(task);
        return new MemorySegment[] { table.head(slot), table.function() };
    }
}
