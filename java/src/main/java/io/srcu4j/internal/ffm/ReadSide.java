package io.srcu4j.internal.ffm;

/**
 * How Java read sections of one native domain count themselves: through a downcall per lock
 * and unlock ({@link DowncallReadSide}), or by updating counters in native memory directly
 * ({@link DirectReadSide}). Both keep barriers [B] and [C] of {@code native/src/srcu.c}.
 */
interface ReadSide {

    /** Enters a read section; returns the index for {@link #unlock}. */
    int lock();

    /** As {@link #lock()}, for a section {@link #insideOwnSection()} does not count. */
    default int lockUntracked() {
        return lock();
    }

    /** Leaves the section {@link #lock} entered with {@code idx}, in any thread. */
    void unlock(int idx);

    /** The path's name, as the {@code srcu4j.path} property spells it. */
    String pathName();

    /** Whether {@link #insideOwnSection()} accounts for the section entered with {@code idx}. */
    default boolean tracksSection(int idx) {
        return false;
    }

    /** Whether the calling thread is inside a section it entered, as far as this side tracks. */
    default boolean insideOwnSection() {
        return false;
    }
}
