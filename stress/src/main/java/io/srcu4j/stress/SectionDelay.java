// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.stress;

/**
 * Keeps a read section open for about a microsecond, between the load that decides whether the
 * section saw the old state and the access the test judges it by.
 *
 * <p>A section of two loads lasts a few nanoseconds, far less than a grace period, so without a
 * delay almost every sample would find the reader long gone before the updater looks, and a
 * grace period that forgot to wait would rarely be caught. The delay gives the updater's
 * {@code synchronize()} something to wait for; it does not touch the barrier pairs under test,
 * which sit at the ends of the section.
 */
final class SectionDelay {

    /** About one microsecond of {@code pause} on current x86-64 and arm64 cores. */
    private static final int SPINS = Integer.getInteger("srcu4j.stress.sectionSpins", 40);

    private SectionDelay() {
    }

    static void pause() {
        for (int i = 0; i < SPINS; i++) {
            Thread.onSpinWait();
        }
    }
}
