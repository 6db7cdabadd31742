// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.cpu;

import java.util.Objects;

/**
 * A physical core: the hardware threads (SMT siblings) that share its execution units.
 *
 * @param packageId the kernel's {@code physical_package_id} of the socket it sits in, or -1 when
 *                  unknown
 * @param coreId    the kernel's {@code core_id}; unique only within a package, and not
 *                  necessarily dense
 * @param cpus      its hardware threads: one CPU without SMT, two or more with
 */
public record CpuCore(int packageId, int coreId, CpuSet cpus) {

    /** Checks that the core has a CPU. */
    public CpuCore {
        Objects.requireNonNull(cpus, "cpus");
        if (cpus.isEmpty()) {
            throw new IllegalArgumentException("core " + coreId + " of package " + packageId + " has no CPU");
        }
    }
}
