// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A read section that may end in another thread than the one that began it (the kernel's
 * {@code srcu_down_read}/{@code srcu_up_read}): made by {@link Srcu#lock()}, ended by
 * {@link Srcu#unlock(ReadToken)} in any thread. Hand the token over with a happens-before edge
 * (a concurrent queue, a {@code CompletableFuture}, a virtual thread's own continuation).
 *
 * <p>Unlike a {@link ReadGuard}'s, a token's section belongs to no thread: a
 * {@code synchronize()} in the thread that locked it is not refused, and waits for the section
 * like for any other reader's.
 */
public final class ReadToken {

    private static final VarHandle ENDED;

    static {
        try {
            ENDED = MethodHandles.lookup().findVarHandle(ReadToken.class, "ended", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Srcu domain;
    /** What the path's lock returned: the counter set's index, and what else it keeps there. */
    private final long section;
    @SuppressWarnings("unused") // through ENDED
    private volatile boolean ended;

    ReadToken(Srcu domain, long section) {
        this.domain = domain;
        this.section = section;
    }

    /** {@return the domain this section belongs to, the one that opened it} */
    public Srcu domain() {
        return domain;
    }

    /** {@return whether the section has been ended} */
    public boolean isEnded() {
        return ended;
    }

    long section() {
        return section;
    }

    /** Marks the section ended; false when it already was (by any thread). */
    boolean end() {
        return ENDED.compareAndSet(this, false, true);
    }
}
