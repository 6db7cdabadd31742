// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.stress;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;

/**
 * Barrier [B] as a bare {@code getAndAdd}, against [F]/[A]: store buffering, in the shape of the
 * Java direct read side's lock increment before it was followed by a fence.
 *
 * <p>The reader adds to {@code lockCount} with a volatile {@code getAndAdd} whose result it does
 * not use, then loads {@code updated} plainly, as a read section's first load of data the updater
 * writes. The updater stores {@code updated}, executes a full fence (its [F]) and loads
 * {@code lockCount} opaquely, as a grace period's scan. Outcome {@code 0, 0} is the missed reader:
 * the section saw the old state and the scan did not see its increment.
 *
 * <p>The Java memory model allows it: a volatile read-modify-write orders later loads after its
 * read, not after its write becoming visible. On aarch64 hardware it is expected to show:
 * HotSpot emits {@code ldaddal} (with the zero register as destination the architecture drops
 * its acquire) or an {@code ldaxr}/{@code stlxr} loop, neither a full fence. On x86-64 it cannot:
 * the add is a {@code lock}-prefixed instruction, a full fence. So the outcome is only marked
 * interesting here, and {@code scripts/run-stress.sh} fails the run when an x86-64 machine shows
 * it, for the direct read side counts on that ({@code DirectReadSide.LOCKED_ADD_IS_FULL_FENCE}).
 * {@link PairB_AF_GetAndAddWithFullFenceOrdersLaterLoad} is the fixed form, which must never show
 * it anywhere.
 * (litmus: A-B.sb.java-ldaddal.aarch64, A-B.sb.java-llsc.aarch64, A-B.sb.java.x86)
 */
@JCStressTest
@Outcome(id = "0, 0", expect = ACCEPTABLE_INTERESTING,
        desc = "The load passed the add: the reader saw the old state and the scan missed its increment"
                + " (allowed by the JMM; expected on aarch64, impossible on x86-64).")
@Outcome(id = {"0, 1", "1, 0", "1, 1"}, expect = ACCEPTABLE,
        desc = "The scan saw the increment, or the reader saw the new state.")
@State
public class PairB_AF_GetAndAddWithoutFenceIsNoFullFence extends LockCountRace {

    @Actor
    public void reader(II_Result r) {
        // [B] without its fence (litmus: A-B.sb.java-ldaddal.aarch64, A-B.sb.java-llsc.aarch64)
        LOCK_COUNT.getAndAdd(this, 1L);
        r.r1 = updated;
    }

    @Actor
    public void updater(II_Result r) {
        r.r2 = updateThenScan();
    }
}
