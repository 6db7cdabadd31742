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

    /** The kind a fork ran with, from its JVM arguments as JMH records them. */
    static ThreadKind of(java.util.Collection<String> forkJvmArgs) {
        return forkJvmArgs.containsAll(VIRTUAL.jvmArgs) ? VIRTUAL : PLATFORM;
    }
}
