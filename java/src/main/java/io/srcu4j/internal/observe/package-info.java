// SPDX-License-Identifier: Apache-2.0
/**
 * Not API: what a domain tells about itself. Its name ({@link DomainNames}), the statistics
 * behind {@code Srcu.stats()} ({@link DomainObserver}, {@link CallbackSampler},
 * {@link GracePeriodClock}), the JFR events ({@link GracePeriodEvent}, {@link CallbackBatchEvent},
 * {@link StallEvent}), stall warnings ({@link StallDetector}, fed by each {@link ObservedWait}),
 * where open read sections began in debug mode ({@link SectionOrigins}) and the JMX MXBean
 * ({@link DomainMXBeans}).
 *
 * <p>Cost: nothing here runs on the read path, except, in debug mode only, the record of where a
 * section began. {@code callSrcu} pays one atomic add, and one clock read per sampled callback;
 * the rest runs on the wait paths, when a callback runs, or when someone asks.
 *
 * <p>Synchronization (a letter of the Java side, with no C counterpart):
 * <ul>
 *   <li>[M] the thread that runs callbacks counts each one, after its hand-over, with a release
 *       store; statistics read that count with an acquire load before the count of callbacks
 *       queued, which each caller raised before queueing. So every callback counted as run is
 *       also seen counted as queued, and the pending count is never negative.</li>
 * </ul>
 */
package io.srcu4j.internal.observe;
