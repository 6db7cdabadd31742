// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The calling platform thread's timer slack (Linux {@code prctl(PR_SET_TIMERSLACK)}): how much
 * later than asked the kernel may end the thread's timed waits, 50 us by default, so that a park
 * of 1 us lasts about 50. {@link ParkingWait}'s expedited waits lower it while they sleep in short
 * steps and set it back after, as the C library's expedited waits do ({@code native/src/srcu.c}).
 *
 * <p>It calls the C library's {@code prctl} through FFM, without libsrcu4j, so it serves every
 * path. It does nothing (and says so: {@link #set} returns -1) where that cannot work: when the
 * JVM did not grant this code native access (asking would print the JDK's restricted-method
 * warning), where there is no {@code prctl}, and in virtual threads, whose timed parks the JDK's
 * own timer thread ends.
 */
final class TimerSlack {

    private static final int PR_SET_TIMERSLACK = 29;
    private static final int PR_GET_TIMERSLACK = 30;

    /** {@code int prctl(int option, ...)}, with four unsigned long arguments; null when unavailable. */
    private static final MethodHandle PRCTL = find();

    private TimerSlack() {
    }

    private static MethodHandle find() {
        if (!TimerSlack.class.getModule().isNativeAccessEnabled()) {
            return null;
        }
        try {
            Linker linker = Linker.nativeLinker();
            Optional<MemorySegment> prctl = linker.defaultLookup().find("prctl");
            if (prctl.isEmpty()) {
                return null;
            }
            FunctionDescriptor fd = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
            return linker.downcallHandle(prctl.get(), fd, Linker.Option.firstVariadicArg(1));
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /**
     * Sets the calling thread's timer slack to {@code nanos} (at least 1).
     *
     * @return the slack it had, to give back to {@link #set} when done; -1 when nothing was
     *         changed (see the class comment)
     */
    static long set(long nanos) {
        if (PRCTL == null || Thread.currentThread().isVirtual()) {
            return -1;
        }
        try {
            long before = (int) PRCTL.invokeExact(PR_GET_TIMERSLACK, 0L, 0L, 0L, 0L);
            if (before <= 0 || (int) PRCTL.invokeExact(PR_SET_TIMERSLACK, nanos, 0L, 0L, 0L) != 0) {
                return -1;
            }
            return before;
        } catch (Throwable e) {
            return -1;
        }
    }

    /** The calling thread's timer slack in ns; -1 when it cannot be read (see the class comment). */
    static long get() {
        if (PRCTL == null) {
            return -1;
        }
        try {
            return (int) PRCTL.invokeExact(PR_GET_TIMERSLACK, 0L, 0L, 0L, 0L);
        } catch (Throwable e) {
            return -1;
        }
    }
}
