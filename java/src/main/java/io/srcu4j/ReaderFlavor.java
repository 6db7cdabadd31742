// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

/**
 * How a domain's readers order their counter updates against their read sections, chosen when
 * the domain is created (see {@link Srcu#create(ReaderFlavor)}). Every flavor gives the same
 * guarantees (the {@link Srcu} class comment); they differ in who pays for the ordering.
 */
public enum ReaderFlavor {

    /** A full fence at each end of a read section; grace periods use ordinary fences. */
    CLASSIC(0),

    /**
     * No fence in read sections; each grace period pays instead, with
     * {@code membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED)}, which interrupts every CPU running
     * this process. For read-mostly data with rare updates. Where the kernel refuses membarrier,
     * and on the pure-Java path (Java has no membarrier), a domain asked for as {@code FAST} is
     * created {@code CLASSIC}; {@link Srcu#flavor()} and {@link Srcu#describe()} say so. Fast
     * readers need a native path ({@code -Dsrcu4j.path=native-downcall}).
     */
    FAST(1),

    /** Atomic counter updates with full fences: read sections may run inside signal handlers of
     *  native code that shares the domain. */
    SIGNAL_SAFE(2);

    private final int nativeValue;

    ReaderFlavor(int nativeValue) {
        this.nativeValue = nativeValue;
    }

    /** The {@code enum s4j_flavor} number. */
    int nativeValue() {
        return nativeValue;
    }

    static ReaderFlavor fromNative(int value) {
        for (ReaderFlavor f : values()) {
            if (f.nativeValue == value) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown reader flavor " + value);
    }
}
