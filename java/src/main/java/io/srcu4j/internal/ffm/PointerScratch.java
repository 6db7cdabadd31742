// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.ffm;

import io.srcu4j.bindings.srcu4j_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.function.Function;

/**
 * Native words for the out-parameters of the C calls that create a domain's parts
 * ({@code s4j_srcu_create}, {@code s4j_srcu_counters_claim_block}), reused from call to call: a
 * confined arena per call would cost each {@code Srcu.create()} a few hundred bytes of garbage.
 * As many words exist as calls ever ran at the same time, each held for the length of one call.
 */
final class PointerScratch {

    /** Guarded by itself. Creating domains is no hot path: a lock is cheap enough. */
    private static final ArrayDeque<MemorySegment> FREE = new ArrayDeque<>();

    private PointerScratch() {
    }

    /** Runs {@code call} with a pointer-sized native word, and returns what it returned. */
    static <T> T with(Function<MemorySegment, T> call) {
        MemorySegment word;
        synchronized (FREE) {
            word = FREE.poll();
        }
        if (word == null) {
            word = Arena.global().allocate(srcu4j_h.C_POINTER);
        }
        try {
            return call.apply(word);
        } finally {
            synchronized (FREE) {
                FREE.push(word);
            }
        }
    }
}
