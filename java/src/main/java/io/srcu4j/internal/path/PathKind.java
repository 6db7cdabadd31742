// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.path;

/**
 * The paths a domain can run on, fastest first (by measurement: see the comment on the
 * constants): {@link PathSelection} takes the first one available unless the {@code srcu4j.path}
 * property names another. Names only: the bottom of the path layer, which each implementation
 * uses to name itself; {@link PathFactory} above them knows what each needs and creates its
 * domains.
 */
public enum PathKind {

    /*
     * Order = preference, by the read pair of ReadPairBenchmark (see the README for the latest
     * run on this machine kind): Java counting in libsrcu4j's memory with one fence per pair,
     * then two locked adds on heap stripes, then two critical downcalls, then two JNA calls
     * (about 60 ns each: the slowest, so never the default while the Java path can run).
     */

    /**
     * Java readers count in the native domain's memory themselves (FFM memory access, no
     * downcall per read); grace periods and callbacks run in libsrcu4j.
     */
    NATIVE_DIRECT("native-direct", "libsrcu4j's counters updated by Java through FFM memory access, no downcall"
            + " per read; grace periods and callbacks in libsrcu4j"),

    /** The same algorithm on the Java heap: striped counters with atomic adds, no native code. */
    JAVA("java", "the SRCU algorithm on the Java heap, atomic adds on striped counters, no native code"),

    /** Each read lock and unlock is one FFM critical downcall into libsrcu4j's rseq path. */
    NATIVE_DOWNCALL("native-downcall", "libsrcu4j through FFM, one critical downcall per read lock and unlock"),

    /**
     * libsrcu4j through JNA direct mapping, the same file the FFM paths load; every read section
     * is a down_read/up_read pair, so any may end in another thread. Needs JNA (see JnaAvailability).
     */
    JNA("jna", "libsrcu4j through JNA direct mapping, one JNA call per read lock and unlock");

    private final String propertyName;
    private final String summary;

    PathKind(String propertyName, String summary) {
        this.propertyName = propertyName;
        this.summary = summary;
    }

    /** The name the {@code srcu4j.path} property uses. */
    public String propertyName() {
        return propertyName;
    }

    /** One line on how the path works. */
    public String summary() {
        return summary;
    }

    /** The kind whose property name is {@code name}, or {@code null}. */
    static PathKind byPropertyName(String name) {
        for (PathKind kind : values()) {
            if (kind.propertyName.equals(name)) {
                return kind;
            }
        }
        return null;
    }
}
