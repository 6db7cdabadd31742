// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.stress;

import io.srcu4j.internal.ffm.DirectReadSide;
import io.srcu4j.internal.loader.NativeLibrary;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Barrier [B] as the Java direct read side runs it ({@code DirectReadSide.lockIncrement}, on a
 * counter in native memory), against [F]/[A]: store buffering, as in
 * {@link PairB_AF_GetAndAddWithFullFenceOrdersLaterLoad}. Whatever the increment compiles to
 * here (a locked add alone on x86-64, the add and a fence on aarch64), it must be a full fence:
 * outcome {@code 0, 0}, the missed reader, is forbidden. Before the fence was added this was
 * expected to show on aarch64 hardware, as {@link PairB_AF_GetAndAddWithoutFenceIsNoFullFence}
 * does. The end-to-end form, through a domain and {@code synchronize()}, is
 * {@link PairB_AF_SynchronizeWaitsForReaderThatSawOldState}.
 * (litmus: A-B.sb.java-ldaddal-dmb, A-B.sb.java-llsc-dmb, A-B.sb.java.x86)
 */
@JCStressTest
@Outcome(id = "0, 0", expect = FORBIDDEN,
        desc = "The load passed the read side's lock increment: the reader saw the old state and the scan missed it.")
@Outcome(id = {"0, 1", "1, 0", "1, 1"}, expect = ACCEPTABLE,
        desc = "The scan saw the increment, or the reader saw the new state.")
@State
public class PairB_AF_LockIncrementOrdersLaterLoad {

    /*
     * One counter per sample, 8 bytes apart in one native slab, handed out in turn: a counter is
     * used again only a million samples later, long after its sample ended (jcstress runs samples
     * in batches far smaller than that).
     */
    private static final int COUNTERS = 1 << 20;
    private static final VarHandle COUNT = ValueLayout.JAVA_LONG.varHandle();
    private static final MemorySegment SLAB;
    private static final AtomicInteger NEXT = new AtomicInteger();

    static {
        NativeLibrary.ensureAvailable();   // the read side's constants come from the library
        SLAB = Arena.global().allocate(ValueLayout.JAVA_LONG, COUNTERS);
    }

    private final long offset = (NEXT.getAndIncrement() & (COUNTERS - 1)) * Long.BYTES;
    private final long lockCount = SLAB.address() + offset;
    private int updated;

    public PairB_AF_LockIncrementOrdersLaterLoad() {
        SLAB.set(ValueLayout.JAVA_LONG, offset, 0L);
    }

    @Actor
    public void reader(II_Result r) {
        DirectReadSide.lockIncrement(lockCount);
        r.r1 = updated;
    }

    @Actor
    public void updater(II_Result r) {
        updated = 1;
        VarHandle.fullFence();   // [F] (litmus: A-B.sb.java)
        r.r2 = (int) (long) COUNT.getOpaque(SLAB, offset);
    }
}
