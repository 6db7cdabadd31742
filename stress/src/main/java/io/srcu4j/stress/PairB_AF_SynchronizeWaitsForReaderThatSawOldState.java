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
 * Barrier [B] (reader, after its lock increment) against [F] and [A] (updater, on entry to
 * {@code synchronize()} and between its sums of unlocks and locks): store buffering.
 *
 * <p>The reader enters, loads {@code updated} and, still inside the section, stores
 * {@code sectionDone}. The updater stores {@code updated} and calls {@code synchronize()}, then
 * loads {@code sectionDone}. Either the reader's load comes after the updater's store (it sees the
 * new state, and need not be waited for), or the updater's counter scan comes after the reader's
 * lock increment (it sees the reader, and waits for its unlock). Without [B], or without [F]/[A],
 * both can miss: the reader sees the old state while the grace period finds no reader and
 * returns before the section ends. That is outcome {@code 0, 0}. (litmus: A-B.sb, F-B.sb)
 *
 * <p>The updater learns that the section ended from a store made inside it, which reaches it
 * through [C] (before the reader's unlock increment) and [G] (on return from
 * {@code synchronize()}); {@link PairC_G_NoReaderSeesPoisonAfterSynchronize} checks that pair on
 * its own terms. (litmus: A-C.mp, G-C)
 */
@JCStressTest
@Outcome(id = "0, 0", expect = FORBIDDEN,
        desc = "The reader saw the old state, yet synchronize() returned before its section ended.")
@Outcome(id = "0, 1", expect = ACCEPTABLE,
        desc = "The reader saw the old state; synchronize() waited for its section.")
@Outcome(id = "1, 0", expect = ACCEPTABLE,
        desc = "The reader saw the new state; the grace period did not wait for it.")
@Outcome(id = "1, 1", expect = ACCEPTABLE,
        desc = "The reader saw the new state and had left before synchronize() returned.")
@State
public class PairB_AF_SynchronizeWaitsForReaderThatSawOldState {

    /** One domain for every sample of this fork: creating one per sample would start a worker each time. */
    private static final Srcu SRCU = Srcu.create();

    private static final Runnable GRACE_PERIOD = SRCU::synchronize;

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
