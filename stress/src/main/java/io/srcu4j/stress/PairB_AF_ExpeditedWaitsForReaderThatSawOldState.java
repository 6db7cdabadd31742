// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.stress;

import io.srcu4j.Srcu;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@link PairB_AF_SynchronizeWaitsForReaderThatSawOldState} with {@code synchronizeExpedited()}:
 * [B] against [F] and [A] where an expedited grace period's first scan sums both counter sets
 * around one [A], and may end the grace period there without a flip. A reader that saw the old
 * state must be found in whichever set it counted in. {@code 0, 0} is the miss.
 * (litmus: A-B.sb, A-B.sb.both, F-B.sb)
 */
@JCStressTest
@Outcome(id = "0, 0", expect = FORBIDDEN,
        desc = "The reader saw the old state, yet synchronizeExpedited() returned before its section ended.")
@Outcome(id = {"0, 1", "1, 0", "1, 1"}, expect = ACCEPTABLE,
        desc = "Waited for the reader, or the reader saw the new state.")
@State
public class PairB_AF_ExpeditedWaitsForReaderThatSawOldState {

    /** One domain for every sample of this fork, as in the normal pair. */
    private static final Srcu SRCU = Srcu.create();

    private static final Runnable GRACE_PERIOD = SRCU::synchronizeExpedited;

    private final OldStateRace race = new OldStateRace();

    @Actor
    public void reader(II_Result r) {
        race.reader(SRCU, r);
    }

    @Actor
    public void updater(II_Result r) {
        race.updater(GRACE_PERIOD, r);
    }
}
