// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal;

import io.srcu4j.internal.callbacks.DomainCallbacks;

import java.lang.System.Logger.Level;

/**
 * What a {@link java.lang.ref.Cleaner} runs for a libsrcu4j domain once its {@code Srcu} is
 * unreachable, on any path that calls the library: {@code s4j_srcu_close} if nobody closed it
 * (running any callback still queued), then {@code s4j_srcu_free}, then the path's own memory
 * (heads, upcall stub). If read sections are still open (guards never closed) it frees nothing
 * and tells the path to keep its memory for good: counters a reader may still decrement, and
 * heads and a stub the worker may still use, must stay valid. A subclass makes the calls through
 * its own foreign-call mechanism and must not refer to the {@code Srcu}.
 */
public abstract class NativeDomainReleaser implements Runnable {

    private static final System.Logger LOG = System.getLogger("io.srcu4j");

    /** {@code s4j_srcu_close}. */
    protected abstract int close();

    /** {@code s4j_srcu_free}. */
    protected abstract int free();

    /** {@code s4j_srcu_readers_active}. */
    protected abstract long readersActive();

    /** Frees the path's memory; the C domain is freed and its worker joined. */
    protected abstract void releaseMemory();

    /** Keeps the path's memory for good; the C domain could not be freed. */
    protected abstract void keepMemory();

    private final DomainCallbacks callbacks;

    /** A releaser that first drains {@code callbacks}, the domain's Java callbacks. */
    protected NativeDomainReleaser(DomainCallbacks callbacks) {
        this.callbacks = callbacks;
    }

    @Override
    public final void run() {
        try {
            long open = readersActive();
            if (open > 0) {
                keepMemory();
                LOG.log(Level.WARNING, "srcu4j: an unreachable domain was never closed and cannot be closed now ("
                        + open + " read sections open); its native memory is kept and its queued callbacks never run");
                return;
            }
            // The Java callbacks run after grace periods of this domain: drain them while it lives.
            callbacks.closeAndWait();
            int rc = close();
            if (rc != 0 && rc != -Errno.EALREADY) {
                keepMemory();
                LOG.log(Level.WARNING, "srcu4j: an unreachable domain was never closed and cannot be closed now ("
                        + Errno.describe(-rc) + ", " + readersActive() + " read sections open); its native memory is kept");
                return;
            }
            rc = free();
            if (rc != 0) {
                keepMemory();
                LOG.log(Level.WARNING, "srcu4j: s4j_srcu_free failed (" + Errno.describe(-rc)
                        + "); the domain's native memory is kept");
                return;
            }
            releaseMemory();
        } catch (Throwable t) {
            keepMemory();
            LOG.log(Level.WARNING, "srcu4j: releasing a domain failed", t);
        }
    }
}
