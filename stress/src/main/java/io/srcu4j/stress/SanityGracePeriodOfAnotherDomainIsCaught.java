// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.stress;

import io.srcu4j.Srcu;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;

/**
 * Checks the harness, not the library: {@link PairB_AF_SynchronizeWaitsForReaderThatSawOldState}
 * with a broken grace period, one of another domain, which costs as much as a real one but waits
 * for none of this domain's readers. Its outcome {@code 0, 0}, forbidden in the real test, should
 * show up here in every run; a run that never sees it is too short, or too quiet, to trust the
 * real test's silence.
 */
@JCStressTest
@Outcome(id = "0, 0", expect = ACCEPTABLE_INTERESTING,
        desc = "Caught: the broken grace period returned while a reader that saw the old state was inside.")
@Outcome(id = {"0, 1", "1, 0", "1, 1"}, expect = ACCEPTABLE,
        desc = "The reader and the updater did not overlap in a way that exposes the broken grace period.")
@State
public class SanityGracePeriodOfAnotherDomainIsCaught {

    private static final Srcu READERS_DOMAIN = Srcu.create();
    private static final Srcu UNRELATED_DOMAIN = Srcu.create();

    private static final Runnable GRACE_PERIOD = UNRELATED_DOMAIN::synchronize;

    private final OldStateRace race = new OldStateRace();

    @Actor
    public void reader(II_Result r) {
        race.reader(READERS_DOMAIN, r);
    }

    @Actor
    public void updater(II_Result r) {
        race.updater(GRACE_PERIOD, r);
    }
}
