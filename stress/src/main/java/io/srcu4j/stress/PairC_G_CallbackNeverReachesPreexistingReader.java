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
 * Barrier [C] (reader, before its unlock increment) against [G] (the worker's grace period, before
 * it runs the batch), with [B]/[F] deciding which readers began before: a read section that
 * began before {@code callSrcu(r)} never sees what {@code r} does.
 *
 * <p>The shape of {@link PairC_G_NoReaderSeesPoisonAfterSynchronize}, but the poisoning store is
 * a callback: the updater unpublishes the object and queues {@code value = POISON} instead of
 * waiting. A reader that saw the object still published must never load the poison:
 * outcome {@code 1, -1} (litmus: A-C, G-C, F-B). The callback runs on the domain's worker, so
 * this also checks the worker's grace period and the hand-off to the callback
 * ([Q]/[R] (volatile: SC, no litmus)).
 */
@JCStressTest
@Outcome(id = "1, -1", expect = FORBIDDEN,
        desc = "The reader saw the object published, then saw the callback's poison: use after free.")
@Outcome(id = "1, 1", expect = ACCEPTABLE,
        desc = "The reader saw the object published and intact.")
@Outcome(id = "0, 1", expect = ACCEPTABLE,
        desc = "The reader saw the object unpublished (a real reader would not touch it); not yet poisoned.")
@Outcome(id = "0, -1", expect = ACCEPTABLE,
        desc = "The reader saw the object unpublished (a real reader would not touch it); already poisoned.")
@State
public class PairC_G_CallbackNeverReachesPreexistingReader {

    /**
     * One domain for every sample of this fork. Its worker runs one grace period per batch of
     * callbacks, so the queue stays short without a barrier() per sample.
     */
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
        SRCU.callSrcu(() -> value = PairC_G_NoReaderSeesPoisonAfterSynchronize.POISON);
    }
}
