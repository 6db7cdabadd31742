// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import io.srcu4j.internal.path.PathKind;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Run by {@link GuardAllocationTest} in a JVM of its own, on the path its argument names: many
 * threads take their first read section (which goes past the native-direct home-set test: the
 * thread does not own its slot yet) after {@code read()} has been profiled, then the main thread
 * times rounds of sections in try-with-resources and prints {@code BYTES_PER_READ <n>}, the
 * fewest heap bytes it allocated per section in any round. A guard the JIT cannot remove costs
 * its size on every section, and in a JVM with hundreds of reader threads the garbage and the
 * first touch of the heap's pages cost more than the section itself.
 */
final class GuardAllocationProbe {

    static final String RESULT = "BYTES_PER_READ ";
    private static final int FIRST_READERS = 64;
    private static final int ROUNDS = 30;
    private static final int READS = 200_000;

    private static int sink;

    private GuardAllocationProbe() {
    }

    public static void main(String[] args) throws Exception {
        PathKind path = List.of(PathKind.values()).stream().filter(k -> k.propertyName().equals(args[0])).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no path " + args[0]));
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Srcu srcu = Srcu.builder().path(path).build()) {
            // Profiled code first, so the other threads' first sections are in read()'s profile.
            readMany(srcu, READS);
            List<Thread> first = new ArrayList<>();
            for (int i = 0; i < FIRST_READERS; i++) {
                first.add(Thread.ofPlatform().start(() -> readMany(srcu, 1_000)));
            }
            for (Thread t : first) {
                t.join();
            }
            long fewest = Long.MAX_VALUE;
            for (int round = 0; round < ROUNDS; round++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                readMany(srcu, READS);
                fewest = Math.min(fewest, threads.getCurrentThreadAllocatedBytes() - before);
            }
            System.out.printf("%s%.3f%n", RESULT, (double) fewest / READS);
        }
    }

    private static void readMany(Srcu srcu, int reads) {
        int seen = 0;
        for (int i = 0; i < reads; i++) {
            try (ReadGuard guard = srcu.read()) {
                seen += guard.isClosed() ? 0 : 1;
            }
        }
        sink += seen;
    }
}
