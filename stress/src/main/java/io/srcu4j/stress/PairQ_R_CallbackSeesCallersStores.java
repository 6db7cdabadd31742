// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.stress;

import io.srcu4j.Srcu;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Barriers [Q] (caller of {@code callSrcu}: the volatile compare-and-set that pushes on the
 * domain's callback queue) against [R] (the worker: the volatile exchange that takes every queued
 * callback): the actions before {@code callSrcu(r)} happen-before {@code r.run()}.
 * (volatile: SC, no litmus)
 *
 * <p>Two callers queue at the same time, so their enqueues race on the tail; each stores a
 * payload just before its {@code callSrcu}, and its callback, on the worker thread, copies what
 * it finds. After {@code barrier()} (whose return both callbacks happen-before), each copy must
 * be its caller's payload. A {@code 0} means a callback ran without seeing its caller's store,
 * or had not run when {@code barrier()} returned.
 */
@JCStressTest
@Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "Each callback saw its caller's store.")
@Outcome(id = ".*", expect = FORBIDDEN,
        desc = "A callback missed its caller's store, or had not run by the time barrier() returned.")
@State
public class PairQ_R_CallbackSeesCallersStores {

    /** One domain for every sample of this fork: creating one per sample would start a worker each time. */
    private static final Srcu SRCU = Srcu.create();

    private int payload1;
    private int payload2;
    private int seenByCallback1;
    private int seenByCallback2;

    @Actor
    public void caller1() {
        payload1 = 1;
        SRCU.callSrcu(() -> seenByCallback1 = payload1);
    }

    @Actor
    public void caller2() {
        payload2 = 2;
        SRCU.callSrcu(() -> seenByCallback2 = payload2);
    }

    @Arbiter
    public void afterBarrier(II_Result r) {
        SRCU.barrier();
        r.r1 = seenByCallback1;
        r.r2 = seenByCallback2;
    }
}
