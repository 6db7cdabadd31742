// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.stress;

import io.srcu4j.ReadGuard;
import io.srcu4j.Srcu;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Barrier [C] (reader, before its unlock increment) against [G] (updater, on return from
 * {@code synchronize()}): the section's accesses before the unlock against the updater's
 * accesses after the grace period, the unpublish-wait-free pattern.
 *
 * <p>The updater unpublishes the object ({@code published = 0}), waits for a grace period and
 * poisons it ({@code value = POISON}), as a free would. The reader enters, loads
 * {@code published} and then {@code value}. A reader that still saw the object published began
 * before the grace period in the sense [B]/[F] decide (see
 * {@link PairB_AF_SynchronizeWaitsForReaderThatSawOldState}), so the grace period waited for its
 * unlock; without [C] its load of {@code value} could be performed after the unlock increment,
 * and without [G] the poisoning store before the scan that saw that increment. Either way the
 * reader would see the poison: outcome {@code 1, -1}. (litmus: A-C, G-C)
 */
@JCStressTest
@Outcome(id = "1, -1", expect = FORBIDDEN,
        desc = "The reader saw the object published, then saw it poisoned after the grace period: use after free.")
@Outcome(id = "1, 1", expect = ACCEPTABLE,
        desc = "The reader saw the object published and intact.")
@Outcome(id = "0, 1", expect = ACCEPTABLE,
        desc = "The reader saw the object unpublished (a real reader would not touch it); not yet poisoned.")
@Outcome(id = "0, -1", expect = ACCEPTABLE,
        desc = "The reader saw the object unpublished (a real reader would not touch it); already poisoned.")
@State
public class PairC_G_NoReaderSeesPoisonAfterSynchronize {

    static final int POISON = -1;

    /** One domain for every sample of this fork: creating one per sample would start a worker each time. */
    private static final Srcu SRCU = Srcu.create();

    private int published = 1;
    private int value = 1;

    @Actor
    public void reader(II_Result r) {
        try (ReadGuard guard = SRCU.read()) {
            r.r1 = published;
            SectionDelay.pause();
            r.r2 = value;
        }
    }

    @Actor
    public void updater() {
        published = 0;
        SRCU.synchronize();
        value = POISON;
    }
}
