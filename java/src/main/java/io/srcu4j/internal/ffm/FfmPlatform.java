// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.ffm;

import io.srcu4j.bindings.s4j_capabilities;
import io.srcu4j.bindings.srcu4j_h;
import io.srcu4j.internal.loader.NativeLibrary;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Topology and pinning calls through FFM; results are the C functions' ({@code -errno} on failure). */
public final class FfmPlatform {

    /** {@code struct s4j_capabilities} copied out: possible, online, rseq mode, membarrier. */
    public record RawCapabilities(int possibleCpus, int onlineCpus, int rseqMode, int membarrier) {
    }

    private FfmPlatform() {
    }

    /**
     * The number of CPUs the kernel may ever bring online: fixed for the life of the process, so
     * read once (each domain sizes its shared counter sets by it).
     */
    public static int possibleCpus() {
        return PossibleCpus.VALUE;
    }

    private static final class PossibleCpus {
        static final int VALUE = capabilities().possibleCpus();
    }

    /** Fills a {@code struct s4j_capabilities}; throws {@code IllegalStateException} if the C call fails. */
    public static RawCapabilities capabilities() {
        NativeLibrary.ensureAvailable();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment caps = s4j_capabilities.allocate(arena);
            int rc = srcu4j_h.s4j_capabilities_get(caps);
            if (rc != 0) {
                throw new IllegalStateException("s4j_capabilities_get returned " + rc);
            }
            return new RawCapabilities(s4j_capabilities.possible_cpus(caps), s4j_capabilities.online_cpus(caps),
                    s4j_capabilities.rseq_mode(caps), s4j_capabilities.membarrier(caps));
        }
    }

    public static int pinCurrentThread(int cpu) {
        NativeLibrary.ensureAvailable();
        return srcu4j_h.s4j_pin_current_thread(cpu);
    }

    public static int unpinCurrentThread() {
        NativeLibrary.ensureAvailable();
        return srcu4j_h.s4j_unpin_current_thread();
    }

    public static int currentCpu() {
        NativeLibrary.ensureAvailable();
        return srcu4j_h.s4j_current_cpu();
    }
}
