// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.jna;

/**
 * The libsrcu4j functions a domain needs, as JNA direct-mapped methods ({@link JnaLibrary}
 * registers them); the C header, {@code srcu4j/srcu4j.h}, documents each. Pointers travel as
 * {@code long} (srcu4j runs only on LP64 Linux, where a pointer is a 64-bit integer argument):
 * with primitive arguments only, a call converts nothing and takes no lock on the Java side.
 * Nothing checks a pointer here: callers pass only what {@code s4j_srcu_create} produced, never
 * null.
 */
final class JnaFunctions {

    private JnaFunctions() {
    }

    /** {@code out} has one element, which receives the {@code struct s4j_srcu *}. */
    static native int s4j_srcu_create(int flavor, long[] out);

    static native int s4j_srcu_flavor(long ssp);

    static native int s4j_srcu_close(long ssp);

    static native int s4j_srcu_free(long ssp);

    static native int s4j_srcu_down_read(long ssp);

    static native void s4j_srcu_up_read(long ssp, int idx);

    static native int s4j_srcu_synchronize(long ssp);

    static native int s4j_srcu_synchronize_expedited(long ssp);

    static native long s4j_srcu_get_state(long ssp);

    static native int s4j_srcu_poll_state(long ssp, long cookie);

    static native int s4j_srcu_advance(long ssp, long cookie);

    static native long s4j_srcu_start_advance(long ssp);

    static native long s4j_srcu_start_advance_expedited(long ssp);

    static native int s4j_srcu_close_start(long ssp);

    static native int s4j_srcu_close_poll(long ssp);

    static native long s4j_srcu_readers_active(long ssp);
}
