// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * How deep one thread is in read sections of one domain, for the sections its path does not
 * track itself: so that {@code synchronize()} in that thread can refuse to wait for itself.
 *
 * <p>The owner counts its entries and its own exits with plain fields (only it writes them); a
 * guard closed by another thread counts its exit atomically in {@code exitsElsewhere}. Only the
 * owner asks for its depth, and it reads its own plain fields exactly; an exit made elsewhere
 * that it does not see yet only makes it refuse a wait that would have waited for that
 * section's end, never accept one that waits for itself.
 */
final class SectionDepth {

    private static final VarHandle EXITS_ELSEWHERE;

    static {
        try {
            EXITS_ELSEWHERE = MethodHandles.lookup().findVarHandle(SectionDepth.class, "exitsElsewhere", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Thread owner = Thread.currentThread();
    private long entries;
    private long exits;
    @SuppressWarnings("unused") // through EXITS_ELSEWHERE
    private volatile long exitsElsewhere;

    /** The owner entered a section. */
    void enter() {
        entries++;
    }

    /** The section ended, in the calling thread. */
    void exit() {
        if (Thread.currentThread() == owner) {
            exits++;
        } else {
            EXITS_ELSEWHERE.getAndAdd(this, 1L);
        }
    }

    /** Whether the owner (the caller) is inside a section it entered. */
    boolean inside() {
        return entries - exits - (long) EXITS_ELSEWHERE.getVolatile(this) > 0;
    }
}
