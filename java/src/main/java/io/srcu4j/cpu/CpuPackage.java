// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.cpu;

import java.util.Objects;

/**
 * A processor package (socket).
 *
 * @param id   the kernel's {@code physical_package_id}
 * @param cpus the CPUs (hardware threads) it holds
 */
public record CpuPackage(int id, CpuSet cpus) {

    /** Checks that {@code cpus} is given. */
    public CpuPackage {
        Objects.requireNonNull(cpus, "cpus");
    }
}
