// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.observe;

import io.srcu4j.internal.path.DomainPath;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A domain's grace periods as Java can tell them without help from the C library: how many have
 * ended, whether one runs, and since when Java knows it runs.
 *
 * <p>Counting: a grace period raises the sequence number by two (odd while it runs), and a
 * cookie is {@code (seq + 3) & ~1}, so with {@code c = getState()} the grace period ending at
 * {@code c - 2} runs exactly when {@code pollState(c - 2)} is false; then {@code c/2 - 2} have
 * ended, else {@code c/2 - 1}. Two reads, so a grace period that ends between them may be
 * counted or not.
 *
 * <p>Age: the C library keeps no start time, so the age is measured from the first time Java saw
 * that grace period run: a wait that had to sleep for it (from the wait's start: exact when the
 * wait started it, a lower bound when it was already running), or a statistics read that found
 * it running. A lower bound when neither was there when it began.
 */
final class GracePeriodClock {

    /** What Java knows of the running grace period: where it ends and when it was first seen. */
    private record Sighting(long end, long sinceNanos) {
    }

    /** What {@link #read} found. */
    record Reading(long completed, boolean running, long ageNanos) {
    }

    private final AtomicReference<Sighting> sighting = new AtomicReference<>();

    /** The count and the running grace period's age, now. */
    Reading read(DomainPath path) {
        long cookie = path.getState();
        boolean running = !path.pollState(cookie - 2);
        long completed = (cookie >>> 1) - (running ? 2 : 1);
        if (!running) {
            return new Reading(completed, false, 0);
        }
        long now = System.nanoTime();
        long since = note(cookie - 2, now);
        return new Reading(completed, true, Math.max(0, now - since));
    }

    /** A wait that began at {@code beganNanos} had to sleep: the grace period running now ran then. */
    void waitSlept(DomainPath path, long beganNanos) {
        long cookie = path.getState();
        if (!path.pollState(cookie - 2)) {
            note(cookie - 2, beganNanos);
        }
    }

    /** Records that the grace period ending at {@code end} ran at {@code nanos}; its first sighting. */
    private long note(long end, long nanos) {
        for (;;) {
            Sighting seen = sighting.get();
            if (seen != null && seen.end() - end > 0) {
                return nanos;   // a later grace period was seen already: this reading is stale
            }
            if (seen != null && seen.end() == end && seen.sinceNanos() - nanos <= 0) {
                return seen.sinceNanos();
            }
            // A newer grace period, or an earlier sighting of this one (a wait that began before
            // a statistics read saw it). Retries only when another sighting raced in.
            if (sighting.compareAndSet(seen, new Sighting(end, nanos))) {
                return nanos;
            }
        }
    }
}
