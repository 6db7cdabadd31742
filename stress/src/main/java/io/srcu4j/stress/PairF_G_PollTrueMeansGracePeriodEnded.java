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
 * Barrier [F] (taking the cookie, after the caller's earlier stores) and [G] (in
 * {@code poll(cookie)} when it answers true, before the caller's later accesses), against the
 * reader's [B] and [C]: once {@code poll(cookie)} returns true, the same holds as after a
 * {@code synchronize()} called where the cookie was taken.
 *
 * <p>The shape of {@link PairC_G_NoReaderSeesPoisonAfterSynchronize}, with
 * {@code startPoll()} in place of entering {@code synchronize()} and the first {@code true} from
 * {@code poll(cookie)} in place of its return. A reader that saw the object still published must
 * never load the poison: outcome {@code 1, -1}. (litmus: F-B, G-C)
 */
@JCStressTest
@Outcome(id = "1, -1", expect = FORBIDDEN,
        desc = "The reader saw the object published, then saw it poisoned after poll() said the grace period ended.")
@Outcome(id = {"1, 1", "0, 1", "0, -1"}, expect = ACCEPTABLE,
        desc = "Nothing freed under a reader that saw the object published.")
@State
public class PairF_G_PollTrueMeansGracePeriodEnded {

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
        long cookie = SRCU.startPoll();
        // The worker runs the grace period startPoll() asked for; yield so it gets a CPU.
        while (!SRCU.poll(cookie)) {
            Thread.yield();
        }
        value = PairC_G_NoReaderSeesPoisonAfterSynchronize.POISON;
    }
}
