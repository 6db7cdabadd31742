// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.observe;

import io.srcu4j.internal.ParkingWait;

/**
 * One wait for a grace period through the Java API, as the domain's statistics, the
 * {@code srcu4j.GracePeriod} event and the stall warnings see it. Made when the wait begins;
 * {@link ParkingWait} tells it after each sleep how long it has waited; {@link #ended()} when the
 * grace period has ended. A wait that gives up (timeout, interrupt) simply drops it.
 */
public final class ObservedWait implements ParkingWait.Watch {

    private final DomainObserver observer;
    private final String operation;
    private final boolean expedited;
    private final long beganNanos = System.nanoTime();
    /** Null unless Flight Recorder was up when the wait began ({@link JfrGate}). */
    private final GracePeriodEvent event;
    private boolean slept;
    private long readersWaitedFor;
    /** The wait at which the next stall check is due; {@link Long#MAX_VALUE} when warnings are off. */
    private long nextStallCheck;

    ObservedWait(DomainObserver observer, String operation, boolean expedited) {
        this.observer = observer;
        this.operation = operation;
        this.expedited = expedited;
        long threshold = observer.stalls().thresholdNanos();
        this.nextStallCheck = threshold > 0 ? threshold : Long.MAX_VALUE;
        this.event = JfrGate.open() ? new GracePeriodEvent() : null;
        if (event != null) {
            event.begin();
        }
    }

    /** After a sleep, on the waiting thread: the first one notes the readers and the grace period running. */
    @Override
    public void waited(long waitedNanos) {
        if (!slept) {
            slept = true;
            observer.gracePeriods().waitSlept(observer.path(), beganNanos);
            if (event != null && event.isEnabled()) {
                readersWaitedFor = observer.path().readersActive();
            }
        }
        if (waitedNanos >= nextStallCheck) {
            long threshold = observer.stalls().thresholdNanos();
            // The next check one threshold later (skipping any a long sleep jumped over).
            nextStallCheck = (waitedNanos / threshold + 1) * threshold;
            observer.stalls().stalled(operation, beganNanos, waitedNanos);
        }
    }

    /** The grace period waited for has ended. */
    public void ended() {
        observer.waitEnded(expedited);
        if (event == null) {
            return;
        }
        event.end();
        if (event.shouldCommit()) {
            event.domain = observer.name();
            event.operation = operation;
            event.expedited = expedited;
            event.readersWaitedFor = readersWaitedFor;
            event.commit();
        }
    }
}
