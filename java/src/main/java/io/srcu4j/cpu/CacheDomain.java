// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.cpu;

import java.util.Objects;

/**
 * The CPUs that share one last-level cache: a cache line moves between them without leaving it,
 * which makes sharing data among them cheaper than across domains.
 *
 * @param level the cache level (3 for an L3), the highest the kernel reports for these CPUs
 * @param cpus  the CPUs sharing it
 */
public record CacheDomain(int level, CpuSet cpus) {

    /** Checks that the level is positive and the domain has a CPU. */
    public CacheDomain {
        Objects.requireNonNull(cpus, "cpus");
        if (level < 1) {
            throw new IllegalArgumentException("cache level is " + level + "; it must be at least 1");
        }
        if (cpus.isEmpty()) {
            throw new IllegalArgumentException("L" + level + " cache domain has no CPU");
        }
    }
}
