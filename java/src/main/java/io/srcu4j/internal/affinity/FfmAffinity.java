// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.affinity;

import io.srcu4j.bindings.srcu4j_h;
import io.srcu4j.internal.loader.NativeLibrary;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The calling thread's affinity as 64-bit words (CPU {@code n} at bit {@code n % 64} of word
 * {@code n / 64}), through FFM; results are the C functions' ({@code -errno} on failure).
 */
public final class FfmAffinity {

    private FfmAffinity() {
    }

    /** Fills {@code words} with the calling thread's affinity; returns the number of CPUs in it. */
    public static int currentThreadAffinity(long[] words) {
        NativeLibrary.ensureAvailable();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(srcu4j_h.C_LONG, words.length);
            int rc = srcu4j_h.s4j_current_thread_affinity(segment, words.length);
            if (rc >= 0) {
                MemorySegment.copy(segment, srcu4j_h.C_LONG, 0, words, 0, words.length);
            }
            return rc;
        }
    }

    /** Restricts the calling thread to the CPUs set in {@code words}. */
    public static int pinCurrentThreadToSet(long[] words) {
        NativeLibrary.ensureAvailable();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocateFrom(srcu4j_h.C_LONG, words);
            return srcu4j_h.s4j_pin_current_thread_to_set(segment, words.length);
        }
    }
}
