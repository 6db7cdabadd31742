// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import io.srcu4j.internal.observe.SectionOrigins;

import java.lang.ref.Reference;

/**
 * An open read section of one {@link Srcu} domain, ended by {@link #close()}. Made by
 * {@link Srcu#read()}, normally in a try-with-resources statement:
 * <pre>{@code
 * try (ReadGuard g = srcu.read()) {
 *     ...
 * }
 * }</pre>
 *
 * <p>A guard holds only its domain and the word its path needs to end the section, and is final,
 * so when it does not escape the method that made it the JIT can replace it by those values and
 * the read side allocates nothing.
 *
 * <p>The section belongs to the thread that opened it until it is closed: a
 * {@code synchronize()} there in the meantime would wait for itself and is refused with an
 * {@link IllegalStateException}. A guard may
 * still be closed by another thread (the hand-over needs a happens-before edge, and only one
 * thread may close it); for a section meant to end elsewhere, {@link Srcu#lock()} gives a
 * {@link ReadToken}, which belongs to no thread.
 */
public final class ReadGuard implements AutoCloseable {

    private final Srcu domain;
    /** What the path's lock returned: the counter set's index, and what else it keeps there. */
    private final long section;
    /** The opener's depth, when the path does not track this section itself; else null. */
    private final SectionDepth depth;
    /** The thread that began the section; reachable until the section has ended (see close()). */
    private final Thread locker = Thread.currentThread();
    /** Counted on the locker's own native-direct set: closed there, a plain increment ends it. */
    private final boolean onLockerSet;
    private boolean closed;

    ReadGuard(Srcu domain, long section, SectionDepth depth, boolean onLockerSet) {
        this.domain = domain;
        this.section = section;
        this.onLockerSet = onLockerSet;
        this.depth = depth;
    }

    /** {@return the domain this section belongs to, the one that opened it} */
    public Srcu domain() {
        return domain;
    }

    /** {@return whether {@link #close()} has been called} */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Ends the read section. A grace period that is waiting for this section may end once this
     * returns; every action of the section happens-before the end of such a grace period
     * (barrier [C] in the native library, see {@link Srcu}).
     *
     * @throws IllegalStateException when the guard was already closed (the section is not
     *                               ended twice)
     */
    @Override
    public void close() {
        if (closed) {
            throw new IllegalStateException("read guard already closed: each read() is ended by exactly one close()");
        }
        closed = true;
        if (depth != null) {
            depth.exit();
        }
        if (SectionOrigins.ENABLED) {
            domain.sectionEnded(this);
        }
        domain.readUnlock(section, onLockerSet && Thread.currentThread() == locker);
        // The locker owns the home set the section was counted on until it is collected. Closed
        // elsewhere, the unlock counts the exit against that slot after its increment: were the
        // locker collected in between, a new owner could claim the slot and the exit would
        // cancel one of its own sections (its synchronize() inside it would then wait for
        // itself). Also the release side of [O] for that count (see DirectReadSide).
        // (litmus: O.cleaner, O.handover)
        Reference.reachabilityFence(locker);
    }
}
