// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.examples;

import io.srcu4j.ReadGuard;
import io.srcu4j.Srcu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The use case srcu4j exists for: a table of longs off the Java heap that readers read without
 * locks while an updater replaces it whole, freeing each old version's memory as soon as no
 * reader can still be reading it.
 *
 * <p>Readers enter a read section, load {@link #current} and read the segment. The updater
 * publishes a new version, then hands the old version's {@link Arena#close()} to
 * {@link Srcu#callSrcu}: it runs after a grace period, when every read section that could have
 * loaded the old version has ended. No reader ever touches a closed segment, and the updater
 * never waits.
 */
public final class OffHeapTable implements AutoCloseable {

    /** One immutable version: its values and the arena that owns their memory. */
    private record Version(Arena arena, MemorySegment values) {
    }

    private final Srcu srcu;
    private volatile Version current;

    public OffHeapTable(Srcu srcu, long[] initial) {
        this.srcu = srcu;
        this.current = copyOf(initial);
    }

    /** The value at {@code index} of the version current when the read began. */
    public long get(int index) {
        try (ReadGuard g = srcu.read()) {
            return current.values().getAtIndex(ValueLayout.JAVA_LONG, index);
        }
    }

    /** Every value of one version, read in one section: never a mix of two versions. */
    public long[] snapshot() {
        try (ReadGuard g = srcu.read()) {
            return current.values().toArray(ValueLayout.JAVA_LONG);
        }
    }

    /** Publishes {@code values} as the new version; the old one is freed after a grace period. */
    public void replace(long[] values) {
        Version old = current;
        current = copyOf(values);
        srcu.callSrcu(old.arena()::close);
    }

    /** Frees the current version once every reader has left it. */
    @Override
    public void close() {
        Version last = current;
        srcu.callSrcu(last.arena()::close);
        srcu.barrier();
    }

    private static Version copyOf(long[] values) {
        Arena arena = Arena.ofShared();
        MemorySegment segment = arena.allocate(ValueLayout.JAVA_LONG, values.length);
        MemorySegment.copy(values, 0, segment, ValueLayout.JAVA_LONG, 0, values.length);
        return new Version(arena, segment);
    }
}
