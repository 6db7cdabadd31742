package io.srcu4j;

import io.srcu4j.internal.Errno;
import io.srcu4j.internal.ffm.FfmPlatform;

/**
 * Pinning the current platform thread to one CPU, and asking which CPU it runs on.
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
