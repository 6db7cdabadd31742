// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.srcu4j.Srcu;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * What {@code CallSrcuBenchmark.call} stands on: a stream of {@code callSrcu} calls of one
 * callback allocates a few bytes per call (its slot's share of a chunk), not an object per call,
 * so that neither the caller nor the collector pays for one. The calling thread's allocation
 * counter ({@code com.sun.management.ThreadMXBean}) measures it; the best of several rounds
 * counts, so that the rounds before the JIT compiled the call (whose interpreted VarHandle calls
 * allocate) do not.
 */
class CallSrcuAllocationTest {

    private static final Runnable NOOP = () -> { };
    private static final int CALLS = 100_000;
    private static final int ROUNDS = 40;
    /** An object per call would be at least 16 bytes (a header and a reference). */
    private static final double MOST_BYTES_PER_CALL = 8.0;

    @Test
    void aStreamOfCallsAllocatesAFewBytesPerCallNotAnObjectEach() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)) {
            assumeTrue(false, "this JVM does not count allocated bytes per thread");
            return;
        }
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM does not count allocated bytes per thread");
        double best = Double.MAX_VALUE;
        try (Srcu srcu = Srcu.create()) {
            for (int round = 0; round < ROUNDS && best > MOST_BYTES_PER_CALL / 2; round++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < CALLS; i++) {
                    srcu.callSrcu(NOOP);
                }
                best = Math.min(best, (double) (threads.getCurrentThreadAllocatedBytes() - before) / CALLS);
                srcu.barrier();
            }
            assertTrue(best <= MOST_BYTES_PER_CALL, "callSrcu allocated " + best + " bytes per call at best over "
                    + ROUNDS + " rounds of " + CALLS + " calls on " + srcu.describe());
        }
    }
}
