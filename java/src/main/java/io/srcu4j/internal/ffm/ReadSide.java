// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.ffm;

/**
 * How Java read sections of one native domain count themselves: through a downcall per lock
 * and unlock ({@link DowncallReadSide}), or by updating counters in native memory directly
 * ({@link DirectReadSide}). Both keep barriers [B] and [C] of {@code native/src/srcu.c}.
 */
interface ReadSide {

    /** Enters a read section; returns what {@link #unlock} needs (the set index in bit 0). */
    long lock();

    /** As {@link #lock()}, for a section {@link #insideOwnSection()} does not count. */
    default long lockUntracked() {
        return lock();
    }

    /** Leaves the section {@link #lock} returned {@code section} for, in any thread. */
    void unlock(long section);

    /** The path's name, as the {@code srcu4j.path} property spells it. */
    String pathName();

    /** Whether {@link #insideOwnSection()} accounts for the section {@code section} stands for. */
    default boolean tracksSection(long section) {
        return false;
    }

    /** The domain closed: nothing may begin a section on it any more (see Srcu.read()). */
    default void closed() {
    }

    /** Whether the calling thread is inside a section it entered, as far as this side tracks. */
    default boolean insideOwnSection() {
        return false;
    }
}
