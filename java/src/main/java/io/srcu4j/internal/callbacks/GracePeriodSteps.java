// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.callbacks;

/**
 * What a worker needs of a domain to run its callbacks: a cookie for a grace period that begins
 * after the call, and non-blocking steps that drive that grace period to its end. Every path's
 * domain offers them ({@code s4j_srcu_get_state}/{@code s4j_srcu_advance} in C, or the heap's
 * grace periods), so one pool of workers serves the domains of every path.
 */
public interface GracePeriodSteps {

    /** The cookie of a grace period that begins after this call ([F] inside). */
    long getState();

    /**
     * Drives the grace period {@code cookie} names as far as it goes without waiting; true once it
     * has ended ([G] inside). Never blocks.
     */
    boolean advance(long cookie);
}
