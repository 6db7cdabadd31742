// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.cpu;

import java.util.Objects;

/**
 * A NUMA node: memory and the CPUs closest to it.
 *
 * @param id   the kernel's node number ({@code /sys/devices/system/node/node<id>})
 * @param cpus its CPUs; empty for a node with memory only
 */
public record NumaNode(int id, CpuSet cpus) {

    /** Checks that {@code cpus} is given. */
    public NumaNode {
        Objects.requireNonNull(cpus, "cpus");
    }
}
