// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.stress;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The state of the store-buffering tests of a bare lock increment ([B] against [F]/[A]), and
 * their updater's half: store {@code updated}, a full fence ([F]), then an opaque load of the
 * lock count, as a grace period's scan. Each test adds the reader's half: its increment of
 * {@link #LOCK_COUNT}, then a plain load of {@code updated}. (litmus: A-B.sb.java)
 */
abstract class LockCountRace {

    static final VarHandle LOCK_COUNT;

    static {
        try {
            LOCK_COUNT = MethodHandles.lookup().findVarHandle(LockCountRace.class, "lockCount", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through LOCK_COUNT
    private long lockCount;
    int updated;

    /** The updater's half; returns 1 when the scan saw the reader's increment. */
    final int updateThenScan() {
        updated = 1;
        VarHandle.fullFence();   // [F] (litmus: A-B.sb.java)
        return (int) (long) LOCK_COUNT.getOpaque(this);
    }
}
