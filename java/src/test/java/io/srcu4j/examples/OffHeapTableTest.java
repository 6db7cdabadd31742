// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.examples;

import io.srcu4j.Srcu;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Readers on platform and virtual threads read an off-heap table while an updater replaces it
 * a thousand times, closing each old arena in a callback. A read of a closed segment throws,
 * and a snapshot that mixes two versions shows up as unequal values: either fails the test.
 */
class OffHeapTableTest {

    private static final int SIZE = 64;
    private static final int VERSIONS = 1000;

    private static long[] version(long v) {
        long[] values = new long[SIZE];
        Arrays.fill(values, v);
        return values;
    }

    @Test
    void noReaderEverTouchesAClosedSegment() throws Exception {
        try (Srcu srcu = Srcu.create()) {
            OffHeapTable table = new OffHeapTable(srcu, version(0));
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong reads = new AtomicLong();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<Thread> readers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Thread.Builder kind = i % 2 == 0 ? Thread.ofPlatform() : Thread.ofVirtual();
                readers.add(kind.start(() -> {
                    try {
                        while (!stop.get()) {
                            long[] snap = table.snapshot();
                            for (long value : snap) {
                                if (value != snap[0]) {
                                    throw new AssertionError("a snapshot mixed versions: " + Arrays.toString(snap));
                                }
                            }
                            table.get(SIZE - 1);
                            reads.incrementAndGet();
                            Thread.yield();
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            for (long v = 1; v <= VERSIONS; v++) {
                table.replace(version(v));
                if (v % 100 == 0) {
                    Thread.sleep(1);
                }
            }
            stop.set(true);
            for (Thread reader : readers) {
                reader.join();
            }
            table.close();
            failures.forEach(Throwable::printStackTrace);
            assertTrue(failures.isEmpty(), "a reader failed: " + failures.peek());
            assertTrue(reads.get() > 0, "the readers never ran");
        }
    }
}
