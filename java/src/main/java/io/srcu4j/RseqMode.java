// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

/** How libsrcu4j updates its per-CPU counters on this system. */
public enum RseqMode {
    /**
     * No restartable sequences: a reader increments the counter of the CPU that
     * {@code sched_getcpu()} names with an atomic instruction. Still correct (the counters are
     * summed), only slower, and two threads may share a slot.
     */
    UNAVAILABLE,
    /** glibc registered rseq for every thread and libsrcu4j adopts that registration. */
    GLIBC,
    /**
     * glibc registered no rseq area (as under {@code GLIBC_TUNABLES=glibc.pthread.rseq=0}), so
     * libsrcu4j registers its own for each thread that enters a read section.
     */
    OWN;

    /** The mode for a {@code enum s4j_rseq_mode} value. */
    static RseqMode fromNative(int value) {
        return switch (value) {
            case 0 -> UNAVAILABLE;
            case 1 -> GLIBC;
            case 2 -> OWN;
            default -> throw new IllegalStateException("libsrcu4j reported an unknown rseq mode " + value
                    + " (known: 0 = UNAVAILABLE, 1 = GLIBC, 2 = OWN); is the library newer than this jar?");
        };
    }
}
