// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import io.srcu4j.internal.observe.Durations;

import java.time.Duration;
import java.util.Objects;

/**
 * What one domain has done, as {@link Srcu#stats()} read it: a snapshot whose figures are read
 * one after the other while the domain runs, so they need not agree with each other exactly (a
 * grace period or a callback may end between two reads). Nothing here costs a read section
 * anything; see each component for what it counts and how racy it is.
 *
 * @param name                     the domain's name ({@link Srcu#name()})
 * @param gracePeriodsCompleted    grace periods that have ended since the domain was created,
 *                                 whoever ran them (waits, the worker for callbacks and polls),
 *                                 normal and expedited alike: derived from the domain's grace-period
 *                                 sequence number (see {@link Srcu#getState()}), exact at the
 *                                 instant it was read
 * @param gracePeriodRunning       whether a grace period was running at that instant
 * @param gracePeriodAge           how long the running grace period has run, as far as Java
 *                                 knows: from the start of the first wait that had to sleep for
 *                                 it, or else from the first {@code stats()} that found it
 *                                 running; so a lower bound (exact when a wait started it), and
 *                                 {@link Duration#ZERO} when none runs
 * @param normalWaitsCompleted     calls that waited for a grace period at the normal pace and saw
 *                                 it end: {@code synchronize()}, its timed and interruptible
 *                                 forms, and {@code awaitGracePeriod} calls whose grace period
 *                                 had not ended yet; counted as each returns
 * @param expeditedWaitsCompleted  {@code synchronizeExpedited()} calls that returned
 * @param callbacksQueued          callbacks queued with {@code callSrcu} (and
 *                                 {@code gracePeriodAsync}), counted when queued
 * @param callbacksRun             of those, how many have started to run, counted by the thread
 *                                 that runs them as each starts (so a callback that has told
 *                                 anyone it ran is counted); read before {@code callbacksQueued},
 *                                 so never above it
 * @param callbacksPending         {@code callbacksQueued - callbacksRun}: queued and not yet
 *                                 started
 * @param oldestPendingCallbackAge how long the sampled pending callback has waited: srcu4j
 *                                 timestamps one pending callback at a time (the first queued
 *                                 after the previous timestamped one ran), so callbacks queued
 *                                 just before it may be somewhat older; {@link Duration#ZERO}
 *                                 when none is pending
 * @param readersActive            read sections open at the instant they were summed (racy, as
 *                                 {@link Srcu#readersActive()})
 * @param stallWarnings            stall warnings this domain has logged
 */
public record SrcuStats(String name, long gracePeriodsCompleted, boolean gracePeriodRunning, Duration gracePeriodAge,
                        long normalWaitsCompleted, long expeditedWaitsCompleted, long callbacksQueued,
                        long callbacksRun, long callbacksPending, Duration oldestPendingCallbackAge,
                        long readersActive, long stallWarnings) {

    /**
     * A snapshot of the given figures; {@link Srcu#stats()} makes them.
     *
     * @throws NullPointerException when {@code name}, {@code gracePeriodAge} or
     *                              {@code oldestPendingCallbackAge} is null
     */
    public SrcuStats {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(gracePeriodAge, "gracePeriodAge");
        Objects.requireNonNull(oldestPendingCallbackAge, "oldestPendingCallbackAge");
    }

    /**
     * One line, such as {@code routes: 12 grace periods ended, one running for 3.2 ms; waits ended:
     * 5 normal, 2 expedited; callbacks: 40 queued, 38 run, 2 pending (sampled one waiting 1.1 ms);
     * 1 read section open; 0 stall warnings}.
     */
    @Override
    public String toString() {
        return name + ": " + gracePeriodsCompleted + " grace period" + plural(gracePeriodsCompleted) + " ended"
                + (gracePeriodRunning ? ", one running for " + Durations.format(gracePeriodAge) : ", none running")
                + "; waits ended: " + normalWaitsCompleted + " normal, " + expeditedWaitsCompleted + " expedited"
                + "; callbacks: " + callbacksQueued + " queued, " + callbacksRun + " run, " + callbacksPending
                + " pending" + (callbacksPending > 0
                        ? " (sampled one waiting " + Durations.format(oldestPendingCallbackAge) + ")" : "")
                + "; " + readersActive + " read section" + plural(readersActive) + " open; " + stallWarnings
                + " stall warning" + plural(stallWarnings);
    }

    private static String plural(long n) {
        return n == 1 ? "" : "s";
    }
}
