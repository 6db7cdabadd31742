// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.stress;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import java.lang.invoke.VarHandle;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Barrier [B] as a {@code getAndAdd} followed by a full fence, against [F]/[A]: the fixed form of
 * {@link PairB_AF_GetAndAddWithoutFenceIsNoFullFence}, with the same actors and one
 * {@link VarHandle#fullFence()} after the reader's add. Two full fences in store buffering: either
 * the scan sees the increment or the reader sees the new state, on every architecture. Outcome
 * {@code 0, 0} is forbidden. (litmus: A-B.sb.java-ldaddal-dmb, A-B.sb.java-llsc-dmb)
 */
@JCStressTest
@Outcome(id = "0, 0", expect = FORBIDDEN,
        desc = "The load passed the add and its fence: the reader saw the old state and the scan missed its increment.")
@Outcome(id = {"0, 1", "1, 0", "1, 1"}, expect = ACCEPTABLE,
        desc = "The scan saw the increment, or the reader saw the new state.")
@State
public class PairB_AF_GetAndAddWithFullFenceOrdersLaterLoad extends LockCountRace {

    @Actor
    public void reader(II_Result r) {
        // [B] (litmus: A-B.sb.java-ldaddal-dmb, A-B.sb.java-llsc-dmb)
        LOCK_COUNT.getAndAdd(this, 1L);
        VarHandle.fullFence();
        r.r1 = updated;
    }

    @Actor
    public void updater(II_Result r) {
        r.r2 = updateThenScan();
    }
}
