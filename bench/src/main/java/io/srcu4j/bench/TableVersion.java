// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One version of the off-heap lookup table {@link ReadMostlyBenchmark} reads: {@value #ENTRIES}
 * longs in a segment of its own shared {@link Arena}, which the updater closes once the version
 * is retired.
 *
 * <p>Layout: slot 0 holds the version's number, slot {@code 1 + key} holds
 * {@link #expected(long, int) expected(number, key)}. A reader that finds slot 0 differing from
 * the number it expects, or an entry that does not match slot 0, read a table that was not (or no
 * longer) the version it loaded: a torn read. A reader of a closed version gets the
 * {@link IllegalStateException} the JDK throws for a closed segment instead.
 */
final class TableVersion {

    static final int ENTRIES = 4096;

    /** What {@link #lookup} returns for a torn read. */
    static final long TORN = -1;

    private static final long MIX = 0x9E37_79B9_7F4A_7C15L;

    private final long number;
    private final Arena arena;
    private final MemorySegment slots;

    private TableVersion(long number, Arena arena, MemorySegment slots) {
        this.number = number;
        this.arena = arena;
        this.slots = slots;
    }

    /** A new version, filled; shared, so that readers on any thread may read it and any thread close it. */
    static TableVersion create(long number) {
        Arena arena = Arena.ofShared();
        MemorySegment slots = arena.allocate(ValueLayout.JAVA_LONG, ENTRIES + 1L);
        slots.setAtIndex(ValueLayout.JAVA_LONG, 0, number);
        for (int key = 0; key < ENTRIES; key++) {
            slots.setAtIndex(ValueLayout.JAVA_LONG, 1L + key, expected(number, key));
        }
        return new TableVersion(number, arena, slots);
    }

    /**
     * The entry version {@code number} holds for {@code key}: different for every version and
     * key, and never negative, so {@link #TORN} is never an entry.
     */
    static long expected(long number, int key) {
        return (number * MIX ^ key) & Long.MAX_VALUE;
    }

    long number() {
        return number;
    }

    /**
     * The entry for {@code key} ({@code 0 <= key < ENTRIES}), or {@link #TORN} when the
     * slots are not those of this version (torn: see the class comment).
     *
     * @throws IllegalStateException when the version was closed (the JDK's closed-segment check)
     */
    long lookup(int key) {
        long stored = slots.getAtIndex(ValueLayout.JAVA_LONG, 0);
        long value = slots.getAtIndex(ValueLayout.JAVA_LONG, 1L + key);
        return stored == number && value == expected(number, key) ? value : TORN;
    }

    /** Frees the memory; every later {@link #lookup} throws. */
    void close() {
        arena.close();
    }
}
