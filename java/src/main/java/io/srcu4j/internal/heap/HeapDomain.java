// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.heap;

import io.srcu4j.internal.Errno;
import io.srcu4j.internal.callbacks.DomainCallbacks;
import io.srcu4j.internal.path.DomainPath;
import io.srcu4j.internal.path.PathKind;

import java.lang.System.Logger.Level;

/**
 * One SRCU domain on the Java heap: the algorithm of {@code native/src/srcu.c} with
 * {@link ReadCounters} in place of per-CPU counters and {@link GracePeriods}; its callbacks run on
 * the shared pool of {@link DomainCallbacks}, as on every path. No native code, so it runs
 * wherever Java does.
 *
 * <p>Reader flavors: there is no {@code membarrier} in Java, so a fast domain runs classic
 * readers and {@link #flavor()} says so; signal-safe readers are the classic ones (atomic adds
 * with full fences), which is what that flavor asks for.
 *
 * <p>Lifetime: nothing here is native; {@link #releaser()} only closes a domain nobody closed,
 * so its queued callbacks run.
 */
public final class HeapDomain implements DomainPath {

    private static final System.Logger LOG = System.getLogger("io.srcu4j");

    private static final int CLASSIC = 0;
    private static final int FAST = 1;
    private static final int SIGNAL_SAFE = 2;

    private final int flavor;
    private final ReadCounters counters;
    private final GracePeriods gracePeriods;
    private final DomainCallbacks callbacks;

    private HeapDomain(int flavor) {
        this.flavor = flavor == FAST ? CLASSIC : flavor;
        this.counters = new ReadCounters(Runtime.getRuntime().availableProcessors());
        this.gracePeriods = new GracePeriods(counters);
        this.callbacks = new DomainCallbacks(gracePeriods);
    }

    /**
     * A domain whose readers use {@code flavor} ({@code enum s4j_flavor} number).
     *
     * @throws IllegalArgumentException when {@code flavor} is not 0, 1 or 2
     */
    public static HeapDomain create(int flavor) {
        if (flavor < CLASSIC || flavor > SIGNAL_SAFE) {
            throw new IllegalArgumentException("reader flavor " + flavor
                    + " is not one of 0 (classic), 1 (fast), 2 (signal-safe)");
        }
        return new HeapDomain(flavor);
    }

    /** [B] inside {@link ReadCounters#lock()}. */
    @Override
    public long readLock() {
        return counters.lock();
    }

    /** [C] inside {@link ReadCounters#unlock(int)}. */
    @Override
    public void readUnlock(long section) {
        counters.unlock((int) section);
    }

    @Override
    public int synchronize(boolean expedited) {
        gracePeriods.runUntil(gracePeriods.getState(), expedited);
        return 0;
    }

    /** Never blocks; [G] inside when it returns true. */
    @Override
    public boolean advance(long cookie) {
        return gracePeriods.advance(cookie);
    }

    /** [F] inside {@link GracePeriods#getState()}, [G] when the step ended the grace period. */
    @Override
    public long startAdvanceExpedited() {
        long cookie = gracePeriods.getState();
        return gracePeriods.advance(cookie, true) ? cookie | 1 : cookie;
    }

    /** [F] inside {@link GracePeriods#getState()}. */
    @Override
    public long getState() {
        return gracePeriods.getState();
    }

    /** [G] inside {@link GracePeriods#reached(long)}. */
    @Override
    public boolean pollState(long cookie) {
        return gracePeriods.reached(cookie);
    }

    /** In the native order: own callback, then already closed, then open readers. */
    @Override
    public int close() {
        int rc = refuseClose();
        return rc != 0 ? rc : callbacks.closeAndWait();
    }

    @Override
    public int closeStart() {
        int rc = refuseClose();
        return rc != 0 ? rc : callbacks.closeStart();
    }

    @Override
    public int closePoll() {
        if (!callbacks.closing()) {
            return -Errno.EINVAL;
        }
        return callbacks.closeFinished() ? 1 : 0;
    }

    /** Why close cannot start, as {@code s4j_srcu_close} says it; 0 when it can. */
    private int refuseClose() {
        if (callbacks.onWorkerThread()) {
            return -Errno.EDEADLK;
        }
        if (callbacks.closing()) {
            return -Errno.EALREADY;
        }
        if (counters.readersActive() > 0) {
            return -Errno.EBUSY;
        }
        return 0;
    }

    @Override
    public long readersActive() {
        return counters.readersActive();
    }


    @Override
    public DomainCallbacks callbacks() {
        return callbacks;
    }

    @Override
    public int flavor() {
        return flavor;
    }

    @Override
    public String fastFlavorFallbackReason() {
        return "the pure-Java path has no membarrier";
    }

    @Override
    public String name() {
        return PathKind.JAVA.propertyName();
    }

    /**
     * Closes the domain if nobody did, running its queued callbacks. With read sections still open
     * (guards never closed) the callbacks cannot run, and a warning says so.
     */
    @Override
    public Runnable releaser() {
        return this::closeUnreachable;
    }

    private void closeUnreachable() {
        try {
            int rc = close();
            if (rc != 0 && rc != -Errno.EALREADY) {
                LOG.log(Level.WARNING, "srcu4j: an unreachable domain was never closed and cannot be closed now ("
                        + Errno.describe(-rc) + ", " + readersActive() + " read sections open); its queued"
                        + " callbacks never run");
            }
        } catch (Throwable t) {
            LOG.log(Level.WARNING, "srcu4j: releasing a domain failed", t);
        }
    }
}
