// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.cpu;

import io.srcu4j.Capabilities;
import io.srcu4j.Srcu4j;
import io.srcu4j.Srcu4jException;
import io.srcu4j.internal.Errno;
import io.srcu4j.internal.affinity.FfmAffinity;
import io.srcu4j.internal.ffm.FfmPlatform;

import java.util.BitSet;
import java.util.Objects;

/**
 * Pinning the current platform thread to one CPU or a set of CPUs, and asking which CPUs it may
 * run on and which it runs on. {@link CpuTopology} tells how the CPUs are laid out.
 *
 * <p>CPU numbers are the kernel's, {@code 0 .. possibleCpus - 1} (see
 * {@link Capabilities#possibleCpus()}). Virtual threads are refused: pinning one would pin
 * whichever carrier it happens to run on, and that changes at every park.
 */
public final class Cpus {

    private Cpus() {
    }

    /**
     * Restricts the current thread to {@code cpu}.
     *
     * @param cpu the kernel's number of the CPU, {@code 0 .. possibleCpus - 1}
     * @throws IllegalArgumentException when {@code cpu} is not a possible CPU, or the kernel
     *                                  refuses it (offline, or outside this process's cpuset)
     * @throws IllegalStateException    when called from a virtual thread
     * @throws Srcu4jException          when the kernel refuses for another reason
     */
    public static void pin(int cpu) {
        requirePlatformThread("pin");
        int possible = Srcu4j.capabilities().possibleCpus();
        if (cpu < 0 || cpu >= possible) {
            throw new IllegalArgumentException("cpu " + cpu + " is out of range: valid CPUs are 0.." + (possible - 1));
        }
        int rc = FfmPlatform.pinCurrentThread(cpu);
        if (rc == -Errno.EINVAL) {
            throw new IllegalArgumentException("cpu " + cpu + " cannot be used (" + Errno.describe(Errno.EINVAL)
                    + "): it is offline or not allowed for this process; possible CPUs are 0.." + (possible - 1));
        }
        if (rc < 0) {
            throw new Srcu4jException("s4j_pin_current_thread", -rc, "pinning to cpu " + cpu);
        }
    }

    /**
     * Restricts the current thread to the CPUs of {@code cpus}, such as one core's SMT siblings or
     * one last-level-cache domain from {@link CpuTopology}. The kernel leaves out those offline
     * or outside this process's cpuset, and refuses when none remains.
     *
     * @param cpus the CPUs, each in {@code 0 .. possibleCpus - 1}
     * @throws IllegalArgumentException when {@code cpus} is empty, holds a CPU that is not
     *                                  possible, or holds no CPU online and allowed to this process
     * @throws IllegalStateException    when called from a virtual thread
     * @throws Srcu4jException          when the kernel refuses for another reason
     */
    public static void pin(CpuSet cpus) {
        Objects.requireNonNull(cpus, "cpus");
        requirePlatformThread("pin");
        int possible = Srcu4j.capabilities().possibleCpus();
        if (cpus.isEmpty()) {
            throw new IllegalArgumentException("cannot pin to an empty CPU set");
        }
        if (cpus.last() >= possible) {
            throw new IllegalArgumentException("CPU set " + cpus + " holds CPUs that are not possible: valid CPUs are 0.."
                    + (possible - 1));
        }
        int rc = FfmAffinity.pinCurrentThreadToSet(cpus.toWords((possible + 63) / 64));
        if (rc == -Errno.EINVAL) {
            throw new IllegalArgumentException("CPU set " + cpus + " cannot be used (" + Errno.describe(Errno.EINVAL)
                    + "): none of its CPUs is online and allowed for this process");
        }
        if (rc < 0) {
            throw new Srcu4jException("s4j_pin_current_thread_to_set", -rc, "pinning to CPUs " + cpus);
        }
    }

    /**
     * The CPUs the current thread may run on now (its affinity, {@code sched_getaffinity(2)}):
     * what {@link #pin} set, else the CPUs of this process's cpuset. For a virtual thread, those
     * of the carrier it runs on at the moment.
     *
     * @return the current thread's CPUs; never empty (the kernel keeps at least one)
     * @throws Srcu4jException when the kernel cannot tell
     */
    public static CpuSet allowed() {
        int words = (Srcu4j.capabilities().possibleCpus() + 63) / 64;
        long[] mask = new long[words];
        int rc = FfmAffinity.currentThreadAffinity(mask);
        if (rc < 0) {
            throw new Srcu4jException("s4j_current_thread_affinity", -rc, "reading the current thread's affinity");
        }
        return CpuSet.of(BitSet.valueOf(mask));
    }

    /**
     * Lets the current thread run on every CPU again (the kernel intersects that with the CPUs
     * online and allowed to this process).
     *
     * @throws IllegalStateException when called from a virtual thread
     * @throws Srcu4jException       when the kernel refuses
     */
    public static void unpin() {
        requirePlatformThread("unpin");
        int rc = FfmPlatform.unpinCurrentThread();
        if (rc < 0) {
            throw new Srcu4jException("s4j_unpin_current_thread", -rc, "unpinning the current thread");
        }
    }

    /**
     * The CPU the current thread runs on now; it may move right after, unless pinned.
     *
     * @return the CPU's number, as in {@link CpuSet}
     * @throws Srcu4jException when the kernel cannot tell
     */
    public static int current() {
        int cpu = FfmPlatform.currentCpu();
        if (cpu < 0) {
            throw new Srcu4jException("s4j_current_cpu", -cpu, "asking for the current CPU");
        }
        return cpu;
    }

    private static void requirePlatformThread(String operation) {
        if (Thread.currentThread().isVirtual()) {
            throw new IllegalStateException(operation + "() needs a platform thread; "
                    + Thread.currentThread() + " is virtual");
        }
    }
}
