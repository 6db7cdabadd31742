// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.heap;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The heap counters alone: stripe count, sums across threads, and the flip. */
class ReadCountersTest {

    @Test
    void stripesAreAPowerOfTwoAtLeastFourPerCpu() {
        for (int cpus : new int[] {0, 1, 2, 3, 8, 100, 10_000}) {
            int stripes = new ReadCounters(cpus).stripes();
            assertEquals(1, Integer.bitCount(stripes), cpus + " cpus: " + stripes);
            assertTrue(stripes >= Math.min(4L * Math.max(1, cpus), 1024), cpus + " cpus: " + stripes);
            assertTrue(stripes <= 1024, cpus + " cpus: " + stripes);
        }
    }

    @Test
    void aSectionEndedByAnotherThreadBalancesTheSums() throws Exception {
        ReadCounters counters = new ReadCounters(2);
        int idx = counters.lock();
        assertEquals(counters.currentIndex(), idx);
        assertFalse(counters.readersGone(idx));
        assertTrue(counters.readersGone(1 - idx));
        assertEquals(1, counters.readersActive());
        Thread other = Thread.ofPlatform().start(() -> counters.unlock(idx));
        other.join();
        assertTrue(counters.readersGone(idx));
        assertEquals(0, counters.readersActive());
    }

    @Test
    void aFlipSendsNewReadersToTheOtherSet() {
        ReadCounters counters = new ReadCounters(1);
        int before = counters.lock();
        counters.flip();
        int after = counters.lock();
        assertEquals(1 - before, after);
        assertFalse(counters.readersGone(before));
        assertFalse(counters.readersGone(after));
        counters.unlock(before);
        assertTrue(counters.readersGone(before));
        counters.unlock(after);
        assertEquals(0, counters.readersActive());
    }

    /** The expedited first scan tells a reader in the set it scans from one only in the other. */
    @Test
    void theFirstScanTellsWhichSetHoldsTheReader() {
        ReadCounters counters = new ReadCounters(2);
        int old = 1 - counters.currentIndex();
        assertEquals(ReadCounters.BOTH_GONE, counters.scanFirst(old));
        int inUse = counters.lock();
        assertEquals(ReadCounters.IDX_GONE, counters.scanFirst(old), "a reader of the set in use only");
        counters.flip();
        assertEquals(ReadCounters.READERS_LEFT, counters.scanFirst(inUse), "a reader of the set scanned");
        counters.unlock(inUse);
        assertEquals(ReadCounters.BOTH_GONE, counters.scanFirst(inUse));
    }
}
