// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.path;

import io.srcu4j.internal.ParkingWait;
import io.srcu4j.internal.callbacks.DomainCallbacks;
import io.srcu4j.internal.callbacks.GracePeriodSteps;
import io.srcu4j.internal.ffm.DirectReadSide;

/**
 * One SRCU domain as a path implements it: the native library through FFM downcalls, or the
 * same algorithm on the Java heap. {@code io.srcu4j.Srcu} owns one and does everything the paths
 * share: argument and state checks, turning {@code -errno} results into exceptions, and the
 * happens-before contract in its Javadoc, which every path must keep.
 *
 * <p>Results follow the C API: {@code 0} (or a non-negative value) on success, {@code -errno}
 * (constants in {@code io.srcu4j.internal.Errno}) on failure. Implementations never throw for a
 * condition that has an errno here.
 */
public interface DomainPath extends GracePeriodSteps {

    /**
     * Enters a read section and returns what {@link #readUnlock} needs to leave it: the counter
     * set's index in bit 0, and whatever else the path keeps there. Never blocks.
     */
    long readLock();

    /**
     * As {@link #readLock()}, for a section that may end in another thread: not counted by
     * {@link #insideOwnSection()}. Paths that track nothing need not override it.
     */
    default long readLockUntracked() {
        return readLock();
    }

    /**
     * The native-direct path's read side, which {@code io.srcu4j.Srcu} calls without this
     * interface in between; null on every other path.
     */
    default DirectReadSide directReadSide() {
        return null;
    }

    /** Leaves the read section that {@link #readLock} or {@link #readLockUntracked} entered. */
    void readUnlock(long section);

    /**
     * Whether the section {@link #readLock()} returned {@code section} for is one that
     * {@link #insideOwnSection()} accounts for; {@code io.srcu4j.Srcu} tracks the others itself.
     */
    default boolean tracksSection(long section) {
        return false;
    }

    /**
     * Whether the calling thread is inside a read section of this domain that it entered and has
     * not left, among those {@link #tracksSection} accepts, so that waiting for a grace period
     * would wait for itself.
     */
    default boolean insideOwnSection() {
        return false;
    }

    /**
     * Waits for a grace period, blocking the calling thread (inside native code on the native
     * paths). Returns 0. {@code io.srcu4j.Srcu} never calls it: it waits with {@link #advance}
     * so that no carrier is held; the C-level tests and the releasers do.
     */
    int synchronize(boolean expedited);

    /**
     * Drives the grace period {@code cookie} names as far as it goes without waiting, and tells
     * whether it has ended ([G] when it has, as {@link #pollState}). Never blocks: false also when
     * another thread is running a step of this domain's grace periods at this instant.
     */
    @Override
    boolean advance(long cookie);

    /**
     * {@link #getState()} and one {@link #advance} step on its cookie, in one call where the path
     * can: the cookie (even) while the grace period runs, or the cookie + 1 (odd) once the step
     * ended it ([G] then).
     */
    default long startAdvance() {
        long cookie = getState();
        return advance(cookie) ? cookie | 1 : cookie;
    }

    /**
     * {@link #startAdvance()} for an expedited wait: when the step starts a grace period, it ends
     * it at once, without the flip, if neither counter set holds a reader (the first step of
     * {@code s4j_srcu_synchronize_expedited}). The same result; [F] and [G] as there.
     */
    default long startAdvanceExpedited() {
        return startAdvance();
    }

    /** The domain's callbacks, which the shared pool runs. */
    DomainCallbacks callbacks();

    /** A cookie for the end of a grace period that starts after this call (starts none). */
    @Override
    long getState();

    /** As {@link #getState()}, and makes sure such a grace period runs (the callback pool drives it). */
    default long startPoll() {
        long cookie = getState();
        callbacks().requestGracePeriod(cookie);
        return cookie;
    }

    /** Whether the grace period {@code cookie} names has ended. Never blocks. */
    boolean pollState(long cookie);

    /** Queues {@code task} after a grace period. Returns 0, or -ESHUTDOWN once closed. */
    default int callSrcu(Runnable task) {
        java.util.Objects.requireNonNull(task, "callSrcu: callback is null");
        return callbacks().call(task);
    }

    /**
     * Queues {@code marker} to run on the worker once every callback queued before has run; 0, or
     * {@code -ESHUTDOWN} once close has begun. Never blocks.
     */
    default int queueMarker(Runnable marker) {
        return callbacks().queueMarker(marker);
    }

    /**
     * Waits for every queued callback, blocking the calling thread. Returns 0, or -EDEADLK from
     * one of its callbacks. {@code io.srcu4j.Srcu} queues a marker instead and parks.
     */
    default int barrier() {
        return callbacks().barrierAndWait();
    }

    /**
     * Closes the domain, running queued callbacks; blocks until they have run. Returns 0, -EBUSY
     * (read sections open), -EDEADLK (from one of its callbacks) or -EALREADY. For releasers and
     * tests; {@code io.srcu4j.Srcu} uses {@link #closeStart} and {@link #closePoll}.
     */
    default int close() {
        int rc = closeStart();
        if (rc == 0) {
            ParkingWait.awaitUninterruptibly(() -> closePoll() != 0, ParkingWait.Pace.NORMAL, ParkingWait.Watch.NONE);
        }
        return rc;
    }

    /**
     * The first half of {@link #close()}: the same checks and results, then refuses new callbacks
     * and queues the drain of those already queued, without waiting for it.
     */
    int closeStart();

    /**
     * After {@link #closeStart()} returned 0: 1 once every queued callback has run and the worker
     * has stopped (the domain is then closed as {@link #close()} leaves it), 0 while the drain
     * runs. Never waits for a reader or a callback.
     */
    int closePoll();

    /** Read sections open now: a racy snapshot. */
    long readersActive();

    /**
     * How many of the callbacks {@link #callSrcu} queued have started to run (not the markers
     * {@link #barrier()} and {@link #close()} queue themselves): counted by the thread that runs
     * them as each starts, so before it can tell anyone it ran; a racy snapshot.
     */
    default long callbacksRun() {
        return callbacks().callbacksRun();
    }

    /**
     * How many callbacks {@link #callSrcu} has queued (not the markers), read after
     * {@link #callbacksRun()} never below it; a racy snapshot.
     */
    default long callbacksQueued() {
        return callbacks().callbacksQueued();
    }

    /** Whether the calling thread is running one of this domain's callbacks. */
    default boolean onWorkerThread() {
        return callbacks().onWorkerThread();
    }

    default void setUncaughtExceptionHandler(Thread.UncaughtExceptionHandler handler) {
        callbacks().setUncaughtExceptionHandler(handler);
    }

    default Thread.UncaughtExceptionHandler getUncaughtExceptionHandler() {
        return callbacks().getUncaughtExceptionHandler();
    }

    /** The reader flavor the domain runs, as {@code enum s4j_flavor} numbers it. */
    int flavor();

    /** Why a domain asked for as fast runs classic readers, for {@code Srcu.describe()}. */
    default String fastFlavorFallbackReason() {
        return "membarrier is unavailable";
    }

    /** The path's name, as the {@code srcu4j.path} property spells it. */
    String name();

    /**
     * What a {@link java.lang.ref.Cleaner} runs once the owning {@code Srcu} is unreachable:
     * closes the domain if nobody did, then frees what the path allocated. Must not refer to
     * the owning {@code Srcu}.
     */
    Runnable releaser();
}
