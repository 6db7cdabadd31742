// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal;

/**
 * Where an exception thrown by a callback goes, on every path: the domain's handler, or else the
 * worker thread's own uncaught-exception handler. Reporting never throws, so the worker goes on.
 */
public final class CallbackFailures {

    private CallbackFailures() {
    }

    /**
     * Hands {@code failure}, thrown by a callback on the current thread, to {@code handler} (or
     * to the thread's handler when it is {@code null}). A handler that throws gets its exception
     * added as suppressed, and the failure is printed.
     */
    public static void report(Thread.UncaughtExceptionHandler handler, Throwable failure) {
        try {
            Thread t = Thread.currentThread();
            (handler != null ? handler : t.getUncaughtExceptionHandler()).uncaughtException(t, failure);
        } catch (Throwable secondary) {
            try {
                failure.addSuppressed(secondary);
                failure.printStackTrace();
            } catch (Throwable ignored) {
                // Nothing left to report with; the caller must still go on normally.
            }
        }
    }
}
