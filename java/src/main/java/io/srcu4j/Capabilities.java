// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import java.util.Objects;

/**
 * What the running system offers srcu4j, as {@link Srcu4j#capabilities()} found it.
 *
 * @param possibleCpus CPUs the kernel may ever bring online; valid CPU numbers are
 *                     {@code 0 .. possibleCpus - 1}, and every per-CPU array has this many slots
 * @param onlineCpus   CPUs online when asked
 * @param rseqMode     how per-CPU counters are updated
 * @param membarrier   whether {@code membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED)} is available
 */
public record Capabilities(int possibleCpus, int onlineCpus, RseqMode rseqMode, boolean membarrier) {

    /** Checks that the counts are consistent and the mode is given. */
    public Capabilities {
        if (possibleCpus < 1) {
            throw new IllegalArgumentException("possibleCpus is " + possibleCpus + "; it must be at least 1");
        }
        if (onlineCpus < 1 || onlineCpus > possibleCpus) {
            throw new IllegalArgumentException("onlineCpus is " + onlineCpus + "; it must be in 1.." + possibleCpus);
        }
        Objects.requireNonNull(rseqMode, "rseqMode");
    }
}
