// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench.study;

import java.util.Locale;

/**
 * How far apart two CPUs are, from near to far: what a cache line crosses to go from one to the
 * other. {@link #LLC_UNKNOWN} is for two cores the kernel tells no cache layout for (common in
 * virtual machines): they may share a last-level cache or not.
 */
enum Distance {
    SAME_CPU("same CPU"),
    SMT_SIBLING("SMT siblings"),
    SAME_LLC("same LLC"),
    OTHER_LLC("other LLC, same NUMA node"),
    LLC_UNKNOWN("other core, LLC unknown"),
    OTHER_NUMA("other NUMA node");

    final String label;

    Distance(String label) {
        this.label = label;
    }

    /** The name in study.json: the enum's name in lower case. */
    String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
