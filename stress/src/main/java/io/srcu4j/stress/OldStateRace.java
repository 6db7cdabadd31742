// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.stress;

import io.srcu4j.ReadGuard;
import io.srcu4j.Srcu;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The store-buffering race of the PairB_AF grace-period tests, one per sample: the reader enters,
 * loads {@code updated} and, still inside, stores {@code sectionDone}; the updater stores
 * {@code updated}, waits for a grace period, then loads {@code sectionDone}. {@code r1} is what
 * the reader saw, {@code r2} whether its section had ended; {@code 0, 0} is a grace period that
 * missed a reader of the old state.
 */
final class OldStateRace {

    private int updated;
    private int sectionDone;

    void reader(Srcu srcu, II_Result r) {
        try (ReadGuard guard = srcu.read()) {
            r.r1 = updated;
            SectionDelay.pause();
            sectionDone = 1;
        }
    }

    void updater(Runnable gracePeriod, II_Result r) {
        updated = 1;
        gracePeriod.run();
        r.r2 = sectionDone;
    }
}
