// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.util.List;

/**
 * What kind of thread runs a benchmark's loop. JMH runs its worker threads from an executor
 * chosen by the {@code jmh.executor} property of the forked JVM; {@code VIRTUAL} makes every
 * worker a virtual thread, so the measured code runs mounted on a carrier as application code in
 * virtual threads does.
 */
public enum ThreadKind {
    PLATFORM("platform", List.of()),
    VIRTUAL("virtual", List.of("-Djmh.executor=VIRTUAL"));

    final String label;
    final List<String> jvmArgs;

    ThreadKind(String label, List<String> jvmArgs) {
        this.label = label;
        this.jvmArgs = jvmArgs;
    }

    /**
     * The fork's JVM arguments for {@code threads} benchmark threads of this kind. Virtual threads
     * are not time-sliced and JMH's iteration barrier spins, so with more of them than carriers
     * the ones without a carrier would never arrive: above the CPU count, the scheduler gets one
     * carrier per benchmark thread, and the kernel time-slices the carriers as it would
     * platform threads.
     */
    List<String> jvmArgs(int threads) {
        if (this == VIRTUAL && threads > Runtime.getRuntime().availableProcessors()) {
            return List.of(jvmArgs.getFirst(), "-Djdk.virtualThreadScheduler.parallelism=" + threads);
        }
        return jvmArgs;
    }

    /** The kind a fork ran with, from its JVM arguments as JMH records them. */
    static ThreadKind of(java.util.Collection<String> forkJvmArgs) {
        return forkJvmArgs.containsAll(VIRTUAL.jvmArgs) ? VIRTUAL : PLATFORM;
    }
}
